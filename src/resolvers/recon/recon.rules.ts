import { can, type RuleMap } from '../../schema/rules';

// The source matrix: reconciliations read admin/analyst/auditor, write admin/analyst, delete admin;
// exceptions read admin/analyst/auditor, write and resolve admin/analyst; approvals read
// admin/analyst/supervisor, approve admin/supervisor; reports read admin/analyst/auditor, generate admin/analyst.
export const reconRules: RuleMap = {
  Query: {
    reconciliationFile: can('reconciliation:read'),
    reconciliationFiles: can('reconciliation:read'),
    suggestMapping: can('reconciliation:write'),
    matchingRule: can('matching_rule:read'),
    matchingRules: can('matching_rule:read'),
    approval: can('approval:read'),
    approvals: can('approval:read'),
    reconciliationJob: can('reconciliation:read'),
    reconciliationJobs: can('reconciliation:read'),
    reconciliationMatches: can('reconciliation:read'),
    unmatchedRows: can('reconciliation:read'),
    reconciliationRuleStatistics: can('reconciliation:read'),
    reconciliationException: can('exception:read'),
    reconciliationExceptions: can('exception:read'),
    exceptionAging: can('exception:read'),
  },
  Mutation: {
    createReconciliationFile: can('reconciliation:write'),
    saveMapping: can('reconciliation:write'),
    deleteReconciliationFile: can('reconciliation:delete'),
    createMatchingRule: can('matching_rule:write'),
    updateMatchingRule: can('matching_rule:write'),
    approveRequest: can('approval:approve'),
    declineRequest: can('approval:approve'),
    commentOnApproval: can('approval:read'),
    startReconciliation: can('reconciliation:write'),
    cancelReconciliation: can('reconciliation:write'),
    generateReconciliationReport: can('report:generate'),
    assignException: can('exception:write'),
    commentOnException: can('exception:write'),
    escalateException: can('exception:write'),
    ignoreException: can('exception:resolve'),
    resolveException: can('exception:resolve'),
    bulkAssignExceptions: can('exception:write'),
    bulkResolveExceptions: can('exception:resolve'),
  },
  Subscription: {
    reconciliationProgress: can('reconciliation:read'),
  },
};
