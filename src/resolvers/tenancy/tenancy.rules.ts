import { can, isPlatformOperator, type RuleMap } from '../../schema/rules';

export const tenancyRules: RuleMap = {
  Query: {
    organization: can('organization:read'),
    organizations: isPlatformOperator,
    members: can('member:read'),
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
  },
};
