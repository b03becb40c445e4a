/**
 * Runs a reconciliation job pass by pass (src/services/recon/run.service.ts). One attempt: a
 * failure marks the run failed; a worker that dies mid-run leaves the job stalled, and the next
 * worker resumes it after the last committed pass.
 */
import { defineJob } from '../../core/jobs';
import { runReconciliation } from '../../services/recon';

export const runReconciliationJob = defineJob<{ jobId: string }, { status: string }>({
  name: 'run-reconciliation',
  attempts: 1,
  backoff: { delayMs: 1_000 },
  summarize: (p) => ({ reconciliationJobId: p.jobId }),
  run: (ctx, payload, progress) => runReconciliation(ctx, payload, progress),
});
