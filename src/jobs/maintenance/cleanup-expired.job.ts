/**
 * Scheduled platform housekeeping (CLEANUP_SCHEDULE): expired sessions and refresh tokens, used
 * or expired single-use tokens; then one cleanup-tenant job per organization for tenant tables.
 */
import { defineJob, enqueueJob } from '../../core/jobs';
import { deleteExpiredCredentials, type CredentialCleanup } from '../../services/identity';
import { organizationIds } from '../../services/tenancy';
import { cleanupTenantJob } from './cleanup-tenant.job';
import { markOverdueMilestonesJob } from '../csr/mark-overdue-milestones.job';

export const cleanupExpiredJob = defineJob<Record<string, never>, CredentialCleanup & { organizations: number }>({
  name: 'cleanup-expired',
  system: true,
  attempts: 3,
  backoff: { delayMs: 30_000 },
  async run(ctx) {
    const removed = await deleteExpiredCredentials(ctx);
    const orgs = await organizationIds(ctx);
    // Keyed by this run (ctx.requestId names the queue job): a retried run fans out the same jobs, not new ones.
    for (const tenantId of orgs) enqueueJob(ctx, cleanupTenantJob, {}, { tenantId, key: ctx.requestId });
    // CSR: past-due milestones become overdue on the same schedule.
    for (const tenantId of orgs) enqueueJob(ctx, markOverdueMilestonesJob, {}, { tenantId, key: ctx.requestId });
    return { ...removed, organizations: orgs.length };
  },
});
