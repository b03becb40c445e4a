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
export {
  inviteMember,
  listInvitations,
  invitationStatus,
  invitationRoles,
  invitationInviter,
  revokeInvitation,
  resendInvitation,
  acceptInvitation,
  INVITATION_TTL_MS,
} from './invitation.service';
export type { InviteMemberInput, ListInvitations, AcceptInvitationInput } from './invitation.service';
export { organizationIds, deleteExpiredInvitations } from './maintenance.service';
