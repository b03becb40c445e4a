import { can, isPlatformOperator, isPublic, type RuleMap } from '../../schema/rules';

export const tenancyRules: RuleMap = {
  Query: {
    organization: can('organization:read'),
    organizations: isPlatformOperator,
    members: can('member:read'),
    invitations: can('member:read'),
  },
  Mutation: {
    createOrganization: isPlatformOperator,
    updateOrganization: isPlatformOperator,
    suspendOrganization: isPlatformOperator,
    activateOrganization: isPlatformOperator,
    updateOrganizationSettings: can('organization:update'),
    updateMemberRoles: can('member:update'),
    suspendMember: can('member:remove'),
    removeMember: can('member:remove'),
    inviteMember: can('member:invite'),
    revokeInvitation: can('member:invite'),
    resendInvitation: can('member:invite'),
    acceptInvitation: isPublic,
  },
};
