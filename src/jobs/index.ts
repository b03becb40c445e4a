/** Every job this server runs. A domain adds its src/jobs/<domain>/<verb-noun>.job.ts here. */
import type { AnyJob } from '../core/jobs';
import { cleanupExpiredJob } from './maintenance/cleanup-expired.job';
import { cleanupTenantJob } from './maintenance/cleanup-tenant.job';
import { sendMessageJob } from './messaging/send-message.job';
import { markOverdueMilestonesJob } from './csr/mark-overdue-milestones.job';
import { crmExportJob } from './crm/export-records.job';
import { normalizeReconciliationFileJob } from './recon/normalize-reconciliation-file.job';
import { runReconciliationJob } from './recon/run-reconciliation.job';
import { generateReconciliationReportJob } from './recon/generate-reconciliation-report.job';

export { cleanupExpiredJob, cleanupTenantJob, sendMessageJob, markOverdueMilestonesJob };
export { normalizeReconciliationFileJob, runReconciliationJob, generateReconciliationReportJob };
export { queueMessage } from './messaging/send-message.job';
export { crmExportJob };
export { enqueueCrmExport } from './crm/export-records.job';

export const allJobs: AnyJob[] = [
  cleanupExpiredJob,
  cleanupTenantJob,
  sendMessageJob,
  markOverdueMilestonesJob,
  crmExportJob,
  normalizeReconciliationFileJob,
  runReconciliationJob,
  generateReconciliationReportJob,
];
