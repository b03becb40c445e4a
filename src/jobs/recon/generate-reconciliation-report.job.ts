/** Writes a run's summary report (CSV or Excel, streamed) as a file; the result holds its id. */
import { defineJob } from '../../core/jobs';
import { writeReconciliationReport, type ReportPayload } from '../../services/recon';

export const generateReconciliationReportJob = defineJob<ReportPayload, { fileId: string }>({
  name: 'generate-reconciliation-report',
  attempts: 2,
  backoff: { delayMs: 5_000 },
  summarize: (p) => ({ reconciliationJobId: p.jobId, format: p.format }),
  run: (ctx, payload) => writeReconciliationReport(ctx, payload),
});
