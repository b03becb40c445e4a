export { ROLE_TEMPLATES } from './role-templates';
export type { RoleTemplate } from './role-templates';
export {
  createSystemRoles,
  permissionCatalog,
  listRoles,
  rolesOfMembership,
  createRole,
  updateRole,
  deleteRole,
  resolveRoles,
  membershipRoleIds,
  setMembershipRoles,
  assertHoldsGrants,
  auditingEscalation,
  escalationRefused,
  ROLE_KEY_PATTERN,
} from './role.service';
export type { NewRole, RolePatch } from './role.service';
