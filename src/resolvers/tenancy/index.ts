import { InvitationResolver } from './invitation.resolver';
import { MemberResolver } from './member.resolver';
import { OrganizationResolver } from './organization.resolver';

export { tenancyRules } from './tenancy.rules';
export const tenancyResolvers = [OrganizationResolver, MemberResolver, InvitationResolver] as const;
