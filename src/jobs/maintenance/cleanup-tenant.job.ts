/** Per-organization housekeeping, fanned out by cleanup-expired: expired invitations and uploads, old job rows. */
import { defineJob } from '../../core/jobs';
import { deleteExpiredInvitations } from '../../services/tenancy';
import { deleteOldJobRecords } from '../../services/jobs';
import { deleteExpiredUploads } from '../../services/files';

export const cleanupTenantJob = defineJob<Record<string, never>, { invitations: number; uploads: number; jobRecords: number }>({
  name: 'cleanup-tenant',
  attempts: 3,
  backoff: { delayMs: 10_000 },
  async run(ctx, _payload, progress) {
    const invitations = await deleteExpiredInvitations(ctx);
    await progress(33);
    const uploads = await deleteExpiredUploads(ctx);
    await progress(66);
    const jobRecords = await deleteOldJobRecords(ctx);
    return { invitations, uploads, jobRecords };
  },
});
