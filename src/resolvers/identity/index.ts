import { AuthResolver } from './auth.resolver';

export { identityRules } from './identity.rules';
export const identityResolvers = [AuthResolver] as const;
