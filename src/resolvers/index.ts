/** Every domain's resolvers and shield rules. A new domain adds its two lines here. */
import { identityResolvers, identityRules } from './identity';
import { tenancyResolvers, tenancyRules } from './tenancy';
import { accessResolvers, accessRules } from './access';
import { auditResolvers, auditRules } from './audit';
import { jobsResolvers, jobsRules } from './jobs';
import type { RuleMap } from '../schema/rules';

export const resolvers = [...identityResolvers, ...tenancyResolvers, ...accessResolvers, ...auditResolvers, ...jobsResolvers] as const;

export const ruleMaps: RuleMap[] = [identityRules, tenancyRules, accessRules, auditRules, jobsRules];
