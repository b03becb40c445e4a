import { AuditResolver } from './audit.resolver';

export { auditRules } from './audit.rules';
export const auditResolvers = [AuditResolver] as const;
