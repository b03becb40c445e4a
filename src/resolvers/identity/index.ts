import { AccountResolver, SessionResolver } from './account.resolver';
import { AuthResolver } from './auth.resolver';
import { MfaResolver } from './mfa.resolver';
import { RecoveryResolver } from './recovery.resolver';

export { identityRules } from './identity.rules';
export const identityResolvers = [AuthResolver, AccountResolver, SessionResolver, RecoveryResolver, MfaResolver] as const;
