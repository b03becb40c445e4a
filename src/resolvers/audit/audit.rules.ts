import { can, type RuleMap } from '../../schema/rules';

export const auditRules: RuleMap = {
  Query: { auditLogs: can('audit:read'), verifyAuditChain: can('audit:read') },
  Subscription: { auditLogAdded: can('audit:read') },
};
