export { recordAudit, recordSecurityEvent, verifyAuditChain, listAuditLogs, verifyOwnAuditChain } from './audit.service';
export type { AuditEntry, AuditChainReport, ListAuditLogs } from './audit.service';
