import { AccountResolver, SessionResolver } from './account.resolver';
import { AuthResolver } from './auth.resolver';
import { MfaResolver } from './mfa.resolver';

export { identityRules } from './identity.rules';
export const identityResolvers = [AuthResolver, AccountResolver, SessionResolver, MfaResolver] as const;
