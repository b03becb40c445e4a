export { recordAudit, recordSecurityEvent, verifyAuditChain } from './audit.service';
export type { AuditEntry, AuditChainReport } from './audit.service';
