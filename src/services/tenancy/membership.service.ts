/** Members of the caller's organization: listing, roles, suspension and removal (never the last owner). */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../core/context/request-context';
import { requireTenant, requireViewer } from '../../core/context/request-context';
import { badInput, conflict, notFound } from '../../core/errors';
import { buildConnection, type ListArgs } from '../../core/orm/connection';
import { Membership, MembershipStatus } from '../../entities/tenancy/membership.entity';
import { User } from '../../entities/identity/user.entity';
import {
  assertHoldsGrants,
  auditingEscalation,
  escalationRefused,
  membershipRoleIds,
  resolveRoles,
  rolesOfMembership,
  setMembershipRoles,
} from '../access';
import type { Role } from '../../entities/access/role.entity';
import { recordAudit } from '../audit';
import { assertId } from '../../core/ids';
import type { Loaded } from '../../core/orm/loaders';

export function listMembers(ctx: RequestContext, args: ListArgs) {
  requireTenant(ctx);
  return buildConnection<Membership>(ctx.db, Membership, {
    filter: args.filter,
    orderBy: args.orderBy ?? [{ field: 'createdAt', direction: 'ASC' }],
    first: args.first,
    after: args.after,
    select: args.select,
  });
}

/** The member's user (batched per level), reading the `select`ed fields. */
export function memberUser(ctx: RequestContext, membership: Pick<Membership, 'userId'>, select?: Iterable<string>): Loaded<User | null> {
  return ctx.loaders.byId<User>(User, membership.userId, select);
}

/** The member's roles (batched per level). */
export function memberRoles(ctx: RequestContext, membership: Pick<Membership, 'id'>): Promise<Role[]> {
  return rolesOfMembership(ctx, membership.id);
}

/** Active memberships other than `exceptId` that hold the system owner role. */
async function otherActiveOwners(em: EntityManager, organizationId: string, exceptId: string): Promise<number> {
  const [row] = await em.execute<{ count: string }[]>(
    `select count(distinct m.id) as count from tenancy_membership m
       join access_role_assignment ra on ra.membership_id = m.id
       join access_role r on r.id = ra.role_id
      where m.organization_id = ? and m.id <> ? and m.status = 'active' and r.key = 'owner' and r.is_system`,
    [organizationId, exceptId],
  );
  return Number(row.count);
}

async function isOwner(em: EntityManager, membershipId: string): Promise<boolean> {
  const [row] = await em.execute<{ n: string }[]>(
    `select count(*) as n from access_role_assignment ra join access_role r on r.id = ra.role_id
      where ra.membership_id = ? and r.key = 'owner' and r.is_system`,
    [membershipId],
  );
  return Number(row.n) > 0;
}

async function loadMembership(em: EntityManager, id: string): Promise<Membership> {
  assertId('membershipId', id);
  const membership = await em.findOne(Membership, { id });
  if (!membership) throw notFound('Member', 'membershipId');
  return membership;
}

async function refuseLastOwner(em: EntityManager, orgId: string, membership: Membership, what: string): Promise<void> {
  if ((await isOwner(em, membership.id)) && (await otherActiveOwners(em, orgId, membership.id)) === 0) {
    throw conflict(`Cannot ${what} the last owner of the organization`);
  }
}

const isOwnerRole = (role: Role) => role.key === 'owner' && role.isSystem;

/**
 * No escalation through assignment: every role given or taken away must lie within the caller's
 * own grants, and only an owner gives or takes the owner role.
 */
async function assertMayChangeRoles(ctx: RequestContext, em: EntityManager, before: string[], wanted: Role[]): Promise<void> {
  const viewer = requireViewer(ctx);
  const wantedIds = new Set(wanted.map((r) => r.id));
  const removedIds = before.filter((id) => !wantedIds.has(id));
  const changed = [
    ...wanted.filter((r) => !before.includes(r.id)),
    ...(removedIds.length ? await resolveRoles(em, removedIds) : []),
  ];
  if (changed.some(isOwnerRole) && !(viewer.membershipId && (await isOwner(em, viewer.membershipId)))) {
    throw escalationRefused('Only an owner can give or take the owner role', 'owner');
  }
  assertHoldsGrants(ctx, new Set(changed.flatMap((r) => r.permissions)));
}

/**
 * Replaces a member's roles; role ids must be roles of this organization, at least one, keeping an
 * owner, and within the caller's own grants (see assertMayChangeRoles).
 */
export async function updateMemberRoles(ctx: RequestContext, membershipId: string, roleIds: string[]): Promise<Membership> {
  const orgId = requireTenant(ctx);
  const wanted = [...new Set(roleIds)];
  if (wanted.length === 0) throw badInput('roleIds', 'A member needs at least one role');
  wanted.forEach((id) => assertId('roleIds', id));
  const target = { resourceType: 'Membership', resourceId: membershipId, operation: 'updateMemberRoles' };
  return auditingEscalation(ctx, target, () => ctx.db.transactional(async (em) => {
    const membership = await loadMembership(em, membershipId);
    const roles = await resolveRoles(em, wanted);
    const before = await membershipRoleIds(em, membership.id);
    await assertMayChangeRoles(ctx, em, before, roles);
    const keepsOwner = roles.some(isOwnerRole);
    if (!keepsOwner && membership.status === 'active') await refuseLastOwner(em, orgId, membership, 'take the owner role from');
    const after = await setMembershipRoles(em, membership.id, roles.map((r) => r.id));
    await recordAudit(ctx, em, {
      action: 'member.update_roles',
      resourceType: 'Membership',
      resourceId: membership.id,
      changes: { roleIds: { from: before, to: after } },
    });
    return membership;
  }));
}

/**
 * Suspending or removing a member takes all their roles away in effect: the same rule as
 * updateMemberRoles applies (their grants within the caller's own; an owner only by an owner).
 */
export async function suspendMember(ctx: RequestContext, membershipId: string): Promise<Membership> {
  const orgId = requireTenant(ctx);
  const target = { resourceType: 'Membership', resourceId: membershipId, operation: 'suspendMember' };
  return auditingEscalation(ctx, target, () => ctx.db.transactional(async (em) => {
    const membership = await loadMembership(em, membershipId);
    if (membership.status === MembershipStatus.SUSPENDED) throw conflict('The member is already suspended');
    await assertMayChangeRoles(ctx, em, await membershipRoleIds(em, membership.id), []);
    await refuseLastOwner(em, orgId, membership, 'suspend');
    membership.status = MembershipStatus.SUSPENDED;
    await em.flush();
    await recordAudit(ctx, em, {
      action: 'member.suspend',
      resourceType: 'Membership',
      resourceId: membership.id,
      changes: { status: { from: 'active', to: 'suspended' }, userId: membership.userId },
    });
    return membership;
  }));
}

export async function removeMember(ctx: RequestContext, membershipId: string): Promise<boolean> {
  const orgId = requireTenant(ctx);
  const target = { resourceType: 'Membership', resourceId: membershipId, operation: 'removeMember' };
  return auditingEscalation(ctx, target, () => ctx.db.transactional(async (em) => {
    const membership = await loadMembership(em, membershipId);
    const roleIds = await membershipRoleIds(em, membership.id);
    await assertMayChangeRoles(ctx, em, roleIds, []);
    await refuseLastOwner(em, orgId, membership, 'remove');
    await em.remove(membership).flush();
    await recordAudit(ctx, em, {
      action: 'member.remove',
      resourceType: 'Membership',
      resourceId: membership.id,
      changes: { userId: membership.userId, roleIds },
    });
    return true;
  }));
}
