/** Per-organization housekeeping, fanned out by cleanup-expired: expired invitations, old job rows. */
import { defineJob } from '../../core/jobs';
import { deleteExpiredInvitations } from '../../services/tenancy';
import { deleteOldJobRecords } from '../../services/jobs';

export const cleanupTenantJob = defineJob<Record<string, never>, { invitations: number; jobRecords: number }>({
  name: 'cleanup-tenant',
  attempts: 3,
  backoff: { delayMs: 10_000 },
  async run(ctx, _payload, progress) {
    const invitations = await deleteExpiredInvitations(ctx);
    await progress(50);
    const jobRecords = await deleteOldJobRecords(ctx);
    return { invitations, jobRecords };
  },
});
