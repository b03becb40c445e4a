import { AccountResolver, SessionResolver } from './account.resolver';
import { AuthResolver } from './auth.resolver';

export { identityRules } from './identity.rules';
export const identityResolvers = [AuthResolver, AccountResolver, SessionResolver] as const;
