export { ROLE_TEMPLATES } from './role-templates';
export type { RoleTemplate } from './role-templates';
export { createSystemRoles } from './role.service';
