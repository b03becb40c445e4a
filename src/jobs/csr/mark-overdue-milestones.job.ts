/**
 * Per organization, fanned out by the scheduled cleanup-expired run (CLEANUP_SCHEDULE): marks
 * past-due milestones overdue in one statement and notifies the projects' people. Idempotent.
 */
import { defineJob } from '../../core/jobs';
import { markOverdueMilestones } from '../../services/csr';

export const markOverdueMilestonesJob = defineJob<{ today?: string }, { overdue: number }>({
  name: 'mark-overdue-milestones',
  attempts: 3,
  backoff: { delayMs: 10_000 },
  async run(ctx, payload) {
    return { overdue: await markOverdueMilestones(ctx, payload.today) };
  },
});
