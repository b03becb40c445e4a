/** Roles: system roles from templates for each new organization; custom roles; assignment to members. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Role } from '../../entities/access/role.entity';
import { ROLE_TEMPLATES } from './role-templates';

/** Creates every system role in the organization `em` is scoped to; returns them by key. */
export async function createSystemRoles(em: EntityManager): Promise<Map<string, Role>> {
  const roles = new Map<string, Role>();
  for (const t of ROLE_TEMPLATES) {
    const role = em.create(Role, {
      key: t.key,
      name: t.name,
      description: t.description,
      permissions: [...new Set(t.permissions())].sort(),
      isSystem: true,
    } as Role);
    roles.set(t.key, role);
  }
  await em.flush();
  return roles;
}
