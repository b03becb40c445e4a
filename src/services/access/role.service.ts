/** Roles: system roles from templates for each new organization; custom roles; assignment to members. */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../core/context/request-context';
import { requireTenant } from '../../core/context/request-context';
import { isKnownGrant, permissionCatalog as catalog, type PermissionDefinition } from '../../core/access/permissions';
import { DomainError, badInput, conflict, notFound, assertId } from '../../core/errors';
import { scopedSelect } from '../../core/orm/rows';
import { Role, RoleAssignment } from '../../entities/access/role.entity';
import { recordAudit } from '../audit';
import './permission-catalog';
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

// ---------------------------------------------------------------------------------------------
// Roles of the caller's organization, custom roles, and the roles a membership holds


export const ROLE_KEY_PATTERN = /^[a-z][a-z0-9_]{1,49}$/;

export function permissionCatalog(): PermissionDefinition[] {
  return catalog();
}

/** Every role of the caller's organization, system roles first, then by key. */
export async function listRoles(ctx: RequestContext): Promise<Role[]> {
  requireTenant(ctx);
  return scopedSelect(ctx.db, await ctx.db.trx(), Role).orderBy([{ column: 'is_system', order: 'desc' }, { column: 'key' }]);
}

/** The roles held by a membership (two batched lookups per level). */
export async function rolesOfMembership(ctx: RequestContext, membershipId: string): Promise<Role[]> {
  const assignments = await ctx.loaders.manyBy<RoleAssignment>(RoleAssignment, 'membershipId', membershipId);
  const roles = await Promise.all(assignments.map((a) => ctx.loaders.byId<Role>(Role, a.roleId)));
  return roles.filter((r): r is Role => r !== null);
}

function normalizeGrants(permissions: string[]): string[] {
  const grants = [...new Set(permissions.map((p) => p.trim()))].sort();
  const unknown = grants.filter((g) => !isKnownGrant(g));
  if (unknown.length) throw badInput('permissions', `Unknown permission: ${unknown.join(', ')}`);
  return grants;
}

export interface NewRole {
  key: string;
  name: string;
  description?: string | null;
  permissions: string[];
}

export async function createRole(ctx: RequestContext, input: NewRole): Promise<Role> {
  requireTenant(ctx);
  if (!ROLE_KEY_PATTERN.test(input.key)) throw badInput('key', 'key must be 2-50 lowercase letters, digits or underscores');
  const permissions = normalizeGrants(input.permissions);
  return ctx.db.transactional(async (em) => {
    if (await em.count(Role, { key: input.key })) throw conflict(`A role with key "${input.key}" exists`, 'key');
    const role = em.create(Role, { key: input.key, name: input.name, description: input.description ?? null, permissions, isSystem: false } as Role);
    await em.flush();
    await recordAudit(ctx, em, { action: 'role.create', resourceType: 'Role', resourceId: role.id, changes: { key: role.key, name: role.name, permissions } });
    return role;
  });
}

export interface RolePatch {
  name?: string;
  description?: string | null;
  permissions?: string[];
}

async function customRole(em: EntityManager, id: string, verb: string): Promise<Role> {
  assertId('id', id);
  const role = await em.findOne(Role, { id });
  if (!role) throw notFound('Role', 'id');
  if (role.isSystem) throw new DomainError('FORBIDDEN', `System roles cannot be ${verb}`);
  return role;
}

export async function updateRole(ctx: RequestContext, id: string, patch: RolePatch): Promise<Role> {
  requireTenant(ctx);
  const permissions = patch.permissions ? normalizeGrants(patch.permissions) : undefined;
  return ctx.db.transactional(async (em) => {
    const role = await customRole(em, id, 'edited');
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (patch.name !== undefined && patch.name !== role.name) {
      changes.name = { from: role.name, to: patch.name };
      role.name = patch.name;
    }
    if (patch.description !== undefined && patch.description !== role.description) {
      changes.description = { from: role.description ?? null, to: patch.description };
      role.description = patch.description;
    }
    if (permissions && permissions.join() !== role.permissions.join()) {
      changes.permissions = { from: role.permissions, to: permissions };
      role.permissions = permissions;
    }
    await em.flush();
    await recordAudit(ctx, em, { action: 'role.update', resourceType: 'Role', resourceId: role.id, changes });
    return role;
  });
}

/** Deletes a custom role that no member holds (a member must never lose their last role silently). */
export async function deleteRole(ctx: RequestContext, id: string): Promise<boolean> {
  requireTenant(ctx);
  return ctx.db.transactional(async (em) => {
    const role = await customRole(em, id, 'deleted');
    const holders = await em.count(RoleAssignment, { roleId: role.id });
    if (holders) throw conflict(`The role is held by ${holders} member(s); reassign them first`);
    await em.remove(role).flush();
    await recordAudit(ctx, em, { action: 'role.delete', resourceType: 'Role', resourceId: role.id, changes: { key: role.key, permissions: role.permissions } });
    return true;
  });
}

/** Roles of the organization `em` is scoped to, by id; any id that is not one of them is NOT_FOUND. */
export async function resolveRoles(em: EntityManager, ids: string[]): Promise<Role[]> {
  const roles = await em.find(Role, { id: { $in: ids } });
  if (roles.length !== new Set(ids).size) throw notFound('Role', 'roleIds');
  return roles;
}

export async function membershipRoleIds(em: EntityManager, membershipId: string): Promise<string[]> {
  const rows = await em.find(RoleAssignment, { membershipId }, { orderBy: { roleId: 'asc' } });
  return rows.map((r) => r.roleId);
}

/** Makes the membership hold exactly `roleIds`; returns them sorted. */
export async function setMembershipRoles(em: EntityManager, membershipId: string, roleIds: string[]): Promise<string[]> {
  const current = await em.find(RoleAssignment, { membershipId });
  const wanted = new Set(roleIds);
  for (const a of current) if (!wanted.has(a.roleId)) em.remove(a);
  const have = new Set(current.map((a) => a.roleId));
  for (const id of wanted) if (!have.has(id)) em.create(RoleAssignment, { membershipId, roleId: id } as RoleAssignment);
  await em.flush();
  return [...wanted].sort();
}
