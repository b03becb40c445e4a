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
export type { AuditEntry, AuditChainReport, AuditLogEvent } from './audit.service';
