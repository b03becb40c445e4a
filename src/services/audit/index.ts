export {
  recordAudit,
  recordSecurityEvent,
  verifyAuditChain,
  listAuditLogs,
  verifyOwnAuditChain,
  subscribeAuditLogAdded,
  auditLogFromEvent,
  AuditLogAdded,
} from './audit.service';
export type { AuditEntry, AuditChainReport, ListAuditLogs, AuditLogEvent } from './audit.service';
