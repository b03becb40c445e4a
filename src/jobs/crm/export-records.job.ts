/** CSV export of customers, leads or deals (services/crm/export.service.ts does the work). */
import { defineJob, enqueueJob, type EnqueuedJob } from '../../core/jobs';
import type { RequestContext } from '../../core/context/request-context';
import { runExport, type ExportPayload } from '../../services/crm';

export const crmExportJob = defineJob<ExportPayload, { fileId: string; rows: number; name: string }>({
  name: 'crm-export',
  attempts: 3,
  backoff: { delayMs: 5_000 },
  summarize: (p) => ({ kind: p.kind, search: p.search ?? null, filtered: Boolean(p.filter) }),
  // A retry writes a new file; the job's result names the one that completed.
  run: (ctx, payload, progress) => runExport(ctx, payload, progress),
});

/** Enqueues an export once the caller's transaction commits; `key` makes each request its own job. */
export function enqueueCrmExport(ctx: RequestContext, payload: ExportPayload, key: string): EnqueuedJob {
  return enqueueJob(ctx, crmExportJob, payload, { key });
}
