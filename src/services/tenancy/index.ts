export {
  createOrganization,
  currentOrganization,
  listOrganizations,
  createOrganizationAsOperator,
  updateOrganization,
  suspendOrganization,
  activateOrganization,
  updateOrganizationSettings,
} from './organization.service';
export type { NewOrganization, OrganizationPatch, ListOrganizations, CreateOrganizationByOperator } from './organization.service';
export { listMembers, memberUser, memberRoles, updateMemberRoles, suspendMember, removeMember } from './membership.service';
export type { ListMembers } from './membership.service';
export { organizationIds, deleteExpiredInvitations } from './maintenance.service';
