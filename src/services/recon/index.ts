/** The reconciliation domain's services: the only entry other domains (and the resolvers) use. */
export { createReconciliationFile, getReconciliationFile, listReconciliationFiles, deleteReconciliationFile } from './files.service';
export type { NewReconciliationFile } from './files.service';
export { suggestMapping, saveMapping, getMapping, normalizeReconciliationFile } from './mapping.service';
export type { MappingSuggestion, SaveMappingInput, ColumnMappingInput, NormalizePayload } from './mapping.service';
export { requestApproval, getApproval, listApprovals, approveRequest, declineRequest, commentOnApproval, onApprovalDecision } from './approval.service';
export type { NewApproval, ApprovalHandler } from './approval.service';
export { createMatchingRule, updateMatchingRule, getMatchingRule, listMatchingRules } from './rules.service';
export type { RuleInput } from './rules.service';
export {
  startReconciliation,
  cancelReconciliation,
  getReconciliationJob,
  listReconciliationJobs,
  subscribeReconciliationProgress,
  runReconciliation,
  jobFromEvent,
  runHooks,
  ReconciliationProgress,
} from './run.service';
export type { StartReconciliationInput, ReconProgressEvent } from './run.service';
export {
  getException,
  listExceptions,
  assignException,
  commentOnException,
  resolveException,
  escalateException,
  ignoreException,
  bulkAssignExceptions,
  bulkResolveExceptions,
  exceptionAging,
  DEFAULT_RESOLUTION_APPROVAL_AMOUNT,
} from './exceptions.service';
export type { BulkOutcome, AgingBucket } from './exceptions.service';
export { matchRows, listMatches, listUnmatchedRows, ruleStatistics, generateReconciliationReport, writeReconciliationReport, ReportFormat } from './results.service';
export type { MatchedRow, MatchRecord, RuleStatistic, ReportPayload } from './results.service';
