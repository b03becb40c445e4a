/** Every domain's resolvers, shield rules and plain HTTP routes. A new domain adds its lines here. */
import { identityResolvers, identityRules } from './identity';
import { tenancyResolvers, tenancyRules } from './tenancy';
import { accessResolvers, accessRules } from './access';
import { auditResolvers, auditRules } from './audit';
import { filesResolvers, filesRules, mountFileRoutes } from './files';
import { notificationsResolvers, notificationsRules } from './notifications';
import { jobsResolvers, jobsRules } from './jobs';
import { csrResolvers, csrRules } from './csr';
import { crmResolvers, crmRules } from './crm';
import { reconResolvers, reconRules } from './recon';
import { conversationsResolvers, conversationsRules } from './conversations';
import type { Express } from 'express';
import type { AppDeps } from '../core/context/request-context';
import type { RuleMap } from '../schema/rules';

export const resolvers = [...identityResolvers, ...tenancyResolvers, ...accessResolvers, ...auditResolvers, ...filesResolvers, ...notificationsResolvers, ...jobsResolvers, ...csrResolvers, ...crmResolvers, ...reconResolvers, ...conversationsResolvers] as const;

export const ruleMaps: RuleMap[] = [identityRules, tenancyRules, accessRules, auditRules, filesRules, notificationsRules, jobsRules, csrRules, crmRules, reconRules, conversationsRules];

/** Endpoints outside GraphQL (signed file URLs), mounted on the Express app before /graphql. */
export const httpRoutes: ((app: Express, deps: AppDeps) => void)[] = [mountFileRoutes];
