/** Streams a mapped reconciliation file into recon_row (COPY); a bad row puts the file in error. */
import { defineJob } from '../../core/jobs';
import { normalizeReconciliationFile, type NormalizePayload } from '../../services/recon';

export const normalizeReconciliationFileJob = defineJob<NormalizePayload, { rows: number; status: string }>({
  name: 'normalize-reconciliation-file',
  attempts: 3,
  backoff: { delayMs: 5_000 },
  summarize: (p) => ({ reconciliationFileId: p.reconciliationFileId }),
  run: (ctx, payload, progress) => normalizeReconciliationFile(ctx, payload, progress),
});
