/**
 * Invitations by email: an admin invites an address with roles of the organization; the person
 * accepts with the emailed token, as a new user or as the existing account of that address.
 *
 * The accepting person has no tenant context (and row-level security hides every invitation
 * without one), so the token carries its organization: `<organizationId>.<random>`. Only the
 * SHA-256 of the whole token is stored; acceptance acts inside that organization with asTenant.
 */
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../core/context/request-context';
import { requireTenant, requireViewer } from '../../core/context/request-context';
import { DomainError, badInput, conflict, forbidden, notFound, unauthenticated } from '../../core/errors';
import { hashOpaqueToken, newOpaqueToken } from '../../core/auth/opaque-tokens';
import { hashPassword, passwordPolicyViolation } from '../../core/auth/passwords';
import { buildConnection, type FilterInput, type ListArgs } from '../../core/orm/connection';
import { Invitation, InvitationStatus } from '../../entities/tenancy/invitation.entity';
import { Membership, MembershipStatus } from '../../entities/tenancy/membership.entity';
import { Organization, OrganizationStatus } from '../../entities/tenancy/organization.entity';
import { User, UserStatus } from '../../entities/identity/user.entity';
import { Role } from '../../entities/access/role.entity';
import { assertHoldsGrants, resolveRoles, setMembershipRoles } from '../access';
import { recordAudit, recordSecurityEvent } from '../audit';
import { notify } from '../notifications';
import { findUserByEmail, openSession, type AuthPayload } from '../identity';
import { assertId, isUuid } from '../../core/ids';
import { queueMessage } from '../../jobs';
import type { Loaded } from '../../core/orm/loaders';

export const INVITATION_TTL_MS = 7 * 86400_000;

const normalizeEmail = (email: string) => email.trim().toLowerCase();

export function invitationStatus(inv: Pick<Invitation, 'acceptedAt' | 'revokedAt' | 'expiresAt'>, now = new Date()): InvitationStatus {
  if (inv.acceptedAt) return InvitationStatus.ACCEPTED;
  if (inv.revokedAt) return InvitationStatus.REVOKED;
  return new Date(inv.expiresAt) > now ? InvitationStatus.PENDING : InvitationStatus.EXPIRED;
}

/** The SQL twin of invitationStatus, for filtering lists. */
function whereStatus(qb: Knex.QueryBuilder, status: InvitationStatus): void {
  const now = new Date();
  switch (status) {
    case InvitationStatus.ACCEPTED: qb.whereNotNull('accepted_at'); break;
    case InvitationStatus.REVOKED: qb.whereNull('accepted_at').whereNotNull('revoked_at'); break;
    case InvitationStatus.PENDING: qb.whereNull('accepted_at').whereNull('revoked_at').where('expires_at', '>', now); break;
    case InvitationStatus.EXPIRED: qb.whereNull('accepted_at').whereNull('revoked_at').where('expires_at', '<=', now); break;
  }
}

/** `<organizationId>.<random>`: the organization lets acceptance find the invitation under RLS. */
function newInvitationToken(organizationId: string): { token: string; tokenHash: string } {
  const token = `${organizationId}.${newOpaqueToken()}`;
  return { token, tokenHash: hashOpaqueToken(token) };
}

function invitationOrganization(token: string): string | null {
  const dot = token.indexOf('.');
  const orgId = dot > 0 ? token.slice(0, dot) : '';
  return isUuid(orgId) && token.length > dot + 1 ? orgId.toLowerCase() : null;
}

async function countSeats(em: EntityManager, organizationId: string, exceptInvitationId: string | null): Promise<number> {
  const [row] = await em.execute<{ members: string; pending: string }[]>(
    `select (select count(*) from tenancy_membership where organization_id = ? and status = 'active') as members,
            (select count(*) from tenancy_invitation where organization_id = ? and accepted_at is null and revoked_at is null
               and expires_at > now() and id is distinct from ?) as pending`,
    [organizationId, organizationId, exceptInvitationId],
  );
  return Number(row.members) + Number(row.pending);
}

/**
 * What every new or renewed invitation must satisfy: the address is not a member yet, has no
 * other pending invitation, and active members plus pending invitations stay within maxUsers.
 * Takes a per-organization lock so concurrent invitations cannot both pass the quota.
 */
async function assertInvitable(em: EntityManager, organizationId: string, email: string, exceptInvitationId: string | null): Promise<void> {
  await em.execute('select pg_advisory_xact_lock(hashtextextended(?, 42))', [`invite:${organizationId}`]);
  const user = await findUserByEmail(em, email);
  if (user) {
    const membership = await em.findOne(Membership, { userId: user.id });
    if (membership?.status === MembershipStatus.ACTIVE) throw conflict(`${email} is already a member of this organization`, 'email');
    if (membership) throw conflict(`${email} is a suspended member of this organization; remove the member before inviting again`, 'email');
  }
  const pending = await em.execute<{ id: string }[]>(
    `select id from tenancy_invitation where organization_id = ? and email = ? and accepted_at is null and revoked_at is null
       and expires_at > now() and id is distinct from ?`,
    [organizationId, email, exceptInvitationId],
  );
  if (pending.length) throw conflict(`${email} already has a pending invitation; resend or revoke it`, 'email');
  const org = await em.findOneOrFail(Organization, { id: organizationId });
  const seats = await countSeats(em, organizationId, exceptInvitationId);
  if (seats >= org.quotas.maxUsers) {
    throw conflict(
      `The organization's user quota is reached (${org.quotas.maxUsers} users, counting active members and pending invitations); ` +
        'revoke a pending invitation, remove a member or ask for a higher quota',
    );
  }
}

function sendInvitation(ctx: RequestContext, inv: Invitation, token: string, org: Organization, inviter: User | null): void {
  const url = `${ctx.app.config.publicUrl.replace(/\/$/, '')}/accept-invitation?token=${encodeURIComponent(token)}`;
  const who = inviter ? `${inviter.firstName} ${inviter.lastName}`.trim() : 'An administrator';
  queueMessage(ctx, {
    channel: 'email',
    to: inv.email,
    subject: `You are invited to join ${org.name} on Tessera`,
    text: `${who} invited you to join ${org.name} on Tessera.\n\nAccept the invitation before ${inv.expiresAt.toUTCString()}:\n${url}\n\nIf you did not expect this, ignore this email.`,
    template: 'invitation',
    data: { token, link: url, organizationId: org.id, organizationName: org.name, expiresAt: inv.expiresAt.toISOString() },
  }, hashOpaqueToken(token));
}

export interface InviteMemberInput {
  email: string;
  roleIds: string[];
}

/** Invites an address with roles of the caller's organization; the emailed token works for 7 days. */
export async function inviteMember(ctx: RequestContext, input: InviteMemberInput): Promise<Invitation> {
  const orgId = requireTenant(ctx);
  const viewer = requireViewer(ctx);
  const email = normalizeEmail(input.email);
  const roleIds = [...new Set(input.roleIds)];
  if (roleIds.length === 0) throw badInput('roleIds', 'An invitation needs at least one role');
  roleIds.forEach((id) => assertId('roleIds', id));
  return ctx.db.transactional(async (em) => {
    const roles = await resolveRoles(em, roleIds);
    // member:invite alone must not be a way to hand out permissions the inviter lacks (owners).
    assertHoldsGrants(ctx, roles.flatMap((r) => r.permissions));
    await assertInvitable(em, orgId, email, null);
    const { token, tokenHash } = newInvitationToken(orgId);
    const inv = em.create(Invitation, {
      email,
      roleIds: roles.map((r) => r.id).sort(),
      invitedById: viewer.userId,
      tokenHash,
      expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
    } as Invitation);
    await em.flush();
    await recordAudit(ctx, em, { action: 'invitation.create', resourceType: 'Invitation', resourceId: inv.id, changes: { email, roleIds: inv.roleIds } });
    const [org, inviter] = await Promise.all([em.findOneOrFail(Organization, { id: orgId }), em.findOne(User, { id: viewer.userId })]);
    sendInvitation(ctx, inv, token, org, inviter);
    return inv;
  });
}

export interface ListInvitations extends ListArgs {
  filter?: (FilterInput & { status?: InvitationStatus | null }) | null;
}

export function listInvitations(ctx: RequestContext, args: ListInvitations) {
  requireTenant(ctx);
  const { status, ...filter } = args.filter ?? {};
  return buildConnection<Invitation>(ctx.db, Invitation, {
    filter,
    orderBy: args.orderBy ?? [{ field: 'createdAt', direction: 'DESC' }],
    first: args.first,
    after: args.after,
    where: status ? (qb) => whereStatus(qb, status) : undefined,
  });
}

/** The roles an invitation grants that still exist (batched per level). */
export async function invitationRoles(ctx: RequestContext, inv: Pick<Invitation, 'roleIds'>): Promise<Role[]> {
  const roles = await Promise.all(inv.roleIds.map((id) => ctx.loaders.byId<Role>(Role, id)));
  return roles.filter((r): r is Role => r !== null);
}

export function invitationInviter(ctx: RequestContext, inv: Pick<Invitation, 'invitedById'>): Loaded<User | null> {
  return inv.invitedById ? ctx.loaders.byId<User>(User, inv.invitedById) : null;
}

async function loadInvitation(em: EntityManager, id: string): Promise<Invitation> {
  assertId('id', id);
  const inv = await em.findOne(Invitation, { id });
  if (!inv) throw notFound('Invitation', 'id');
  return inv;
}

/** Withdraws a pending (or expired) invitation: its token stops working. */
export async function revokeInvitation(ctx: RequestContext, id: string): Promise<Invitation> {
  requireTenant(ctx);
  return ctx.db.transactional(async (em) => {
    const inv = await loadInvitation(em, id);
    const status = invitationStatus(inv);
    if (status === InvitationStatus.ACCEPTED) throw conflict('The invitation was accepted already');
    if (status === InvitationStatus.REVOKED) throw conflict('The invitation is revoked already');
    inv.revokedAt = new Date();
    await em.flush();
    await recordAudit(ctx, em, { action: 'invitation.revoke', resourceType: 'Invitation', resourceId: inv.id, changes: { email: inv.email, status } });
    return inv;
  });
}

/** Sends a pending or expired invitation again with a new token and a new 7-day expiry; the old token stops working. */
export async function resendInvitation(ctx: RequestContext, id: string): Promise<Invitation> {
  const orgId = requireTenant(ctx);
  const viewer = requireViewer(ctx);
  return ctx.db.transactional(async (em) => {
    const inv = await loadInvitation(em, id);
    const status = invitationStatus(inv);
    if (status === InvitationStatus.ACCEPTED) throw conflict('The invitation was accepted already');
    if (status === InvitationStatus.REVOKED) throw conflict('The invitation is revoked; send a new one');
    assertHoldsGrants(ctx, (await em.find(Role, { id: { $in: inv.roleIds } })).flatMap((r) => r.permissions));
    await assertInvitable(em, orgId, inv.email, inv.id);
    const { token, tokenHash } = newInvitationToken(orgId);
    inv.tokenHash = tokenHash;
    inv.expiresAt = new Date(Date.now() + INVITATION_TTL_MS);
    await em.flush();
    await recordAudit(ctx, em, {
      action: 'invitation.resend',
      resourceType: 'Invitation',
      resourceId: inv.id,
      changes: { email: inv.email, previousStatus: status, expiresAt: inv.expiresAt },
    });
    const [org, inviter] = await Promise.all([em.findOneOrFail(Organization, { id: orgId }), em.findOne(User, { id: viewer.userId })]);
    sendInvitation(ctx, inv, token, org, inviter);
    return inv;
  });
}

export interface AcceptInvitationInput {
  token: string;
  firstName?: string | null;
  lastName?: string | null;
  password?: string | null;
}

/** A refused token, recorded as a security event once the operation's savepoint is rolled back. */
class TokenRefused extends Error {
  constructor(
    readonly reason: string,
    readonly organizationId: string | null,
    readonly invitationId: string | null,
  ) {
    super(reason);
  }
}

/**
 * Joins the invitation's organization and returns a session signed in to it.
 *
 * - No account with the invited address: creates one (names and a password meeting the policy
 *   required), email verified since the token proves the inbox.
 * - An account exists: the request must be signed in as that account (Authorization header).
 *   A password is not accepted instead: signing in first keeps lockout, account status and any
 *   second factor in the one login flow, rather than opening a second password check here.
 */
export async function acceptInvitation(ctx: RequestContext, input: AcceptInvitationInput): Promise<AuthPayload> {
  const orgId = invitationOrganization(input.token);
  const tokenHash = hashOpaqueToken(input.token);
  try {
    return await ctx.db.transactional(async (em) => {
      if (!orgId) throw new TokenRefused('malformed_token', null, null);
      const org = await em.findOne(Organization, { id: orgId });
      if (!org) throw new TokenRefused('unknown_token', null, null);
      return ctx.db.asTenant(em, org.id, ctx.viewer?.userId ?? null, async (tem) => {
        const inv = await tem.findOne(Invitation, { tokenHash });
        if (!inv) throw new TokenRefused('unknown_token', null, null);
        const status = invitationStatus(inv);
        if (status !== InvitationStatus.PENDING) throw new TokenRefused(`invitation_${status}`, org.id, inv.id);
        if (org.status !== OrganizationStatus.ACTIVE && org.status !== OrganizationStatus.TRIAL) {
          throw new DomainError('FORBIDDEN', `This organization is ${org.status}`);
        }

        const existing = await findUserByEmail(tem, inv.email);
        let user: User;
        if (existing) {
          if (!ctx.viewer) throw unauthenticated(`An account for ${inv.email} exists: sign in to it, then accept the invitation`);
          if (ctx.viewer.userId !== existing.id) throw forbidden('This invitation is for another email address');
          if (existing.status !== UserStatus.ACTIVE) throw forbidden('This account is not active');
          user = existing;
          user.emailVerifiedAt ??= new Date();
        } else {
          if (ctx.viewer) throw forbidden('This invitation is for another email address; sign out to create an account for it');
          user = await newInvitedUser(tem, inv.email, input);
        }
        if (await tem.findOne(Membership, { userId: user.id })) throw conflict('You are already a member of this organization');
        const [{ n }] = await tem.execute<{ n: string }[]>(
          "select count(*) as n from tenancy_membership where organization_id = ? and status = 'active'",
          [org.id],
        );
        if (Number(n) >= org.quotas.maxUsers) throw conflict(`The organization's user quota (${org.quotas.maxUsers}) is reached; ask its administrators`);

        // Claims the invitation once, even when two acceptances race.
        const [claimed] = await tem.execute<{ id: string }[]>(
          `update tenancy_invitation set accepted_at = now(), accepted_by_id = ?, updated_at = now()
            where id = ? and accepted_at is null and revoked_at is null and expires_at > now() returning id`,
          [user.id, inv.id],
        );
        if (!claimed) throw new TokenRefused('invitation_accepted', org.id, inv.id);
        const roles = await tem.find(Role, { id: { $in: inv.roleIds } });
        if (roles.length === 0) throw conflict('The roles of this invitation no longer exist; ask for a new invitation');
        const membership = tem.create(Membership, { userId: user.id } as Membership);
        await tem.flush();
        const roleIds = await setMembershipRoles(tem, membership.id, roles.map((r) => r.id));
        user.lastOrganizationId = org.id;
        user.lastLoginAt = new Date();
        const payload = await openSession(ctx, tem, user, org);
        await recordAudit(ctx, tem, {
          organizationId: org.id,
          userId: user.id,
          action: 'invitation.accept',
          resourceType: 'Invitation',
          resourceId: inv.id,
          changes: { email: inv.email, membershipId: membership.id, roleIds, newUser: !existing },
        });
        // The newcomer was not in the organization when invited (the email told them); the inviter hears back.
        if (inv.invitedById && inv.invitedById !== user.id) {
          await notify(ctx, tem, {
            userId: inv.invitedById,
            type: 'invitation_accepted',
            title: `${user.firstName} ${user.lastName} joined ${org.name}`,
            body: `${inv.email} accepted your invitation.`,
            data: { invitationId: inv.id, membershipId: membership.id, userId: user.id },
          });
        }
        return payload;
      });
    });
  } catch (err) {
    if (!(err instanceof TokenRefused)) throw err;
    await recordSecurityEvent(ctx, {
      organizationId: err.organizationId,
      userId: ctx.viewer?.userId ?? null,
      action: 'invitation.accept_failed',
      resourceType: 'Invitation',
      resourceId: err.invitationId,
      changes: { reason: err.reason },
    });
    throw badInput('token', 'This invitation is invalid, expired, revoked or already used');
  }
}

async function newInvitedUser(em: EntityManager, email: string, input: AcceptInvitationInput): Promise<User> {
  const firstName = input.firstName?.trim();
  const lastName = input.lastName?.trim();
  if (!firstName) throw badInput('firstName', 'firstName is required to create your account');
  if (!lastName) throw badInput('lastName', 'lastName is required to create your account');
  if (!input.password) throw badInput('password', 'password is required to create your account');
  const violation = passwordPolicyViolation(input.password);
  if (violation) throw badInput('password', violation);
  const user = em.create(User, {
    email,
    passwordHash: await hashPassword(input.password),
    firstName,
    lastName,
    status: UserStatus.ACTIVE,
    emailVerifiedAt: new Date(),
  } as User);
  await em.flush();
  return user;
}
