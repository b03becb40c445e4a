/** Every domain's resolvers and shield rules. A new domain adds its two lines here. */
import { identityResolvers, identityRules } from './identity';
import type { RuleMap } from '../schema/rules';

export const resolvers = [...identityResolvers] as const;

export const ruleMaps: RuleMap[] = [identityRules];
