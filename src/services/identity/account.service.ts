/**
 * The signed-in user's own account: password change, profile, switching organization and
 * sessions (list, revoke one); admins revoke a member's sessions in their organization.
 */
import { isUuid } from '../../core/ids';
import type { RequestContext } from '../../core/context/request-context';
import { requireTenant, requireViewer } from '../../core/context/request-context';
import { DomainError, badInput, notFound } from '../../core/errors';
import { hashPassword, passwordPolicyViolation, verifyPassword } from '../../core/auth/passwords';
import { buildConnection } from '../../core/orm/connection';
import { User } from '../../entities/identity/user.entity';
import { Session } from '../../entities/identity/session.entity';
import { Organization, OrganizationStatus } from '../../entities/tenancy/organization.entity';
import { recordAudit, recordSecurityEvent } from '../audit';
import { notify } from '../notifications';
import { LOCKOUT_MINUTES, MAX_FAILED_LOGINS, memberOrganizations, openSession, type AuthPayload } from './auth.service';

/** How many previous password hashes are kept (and refused on change). */
export const PASSWORD_HISTORY_SIZE = 5;


/**
 * Sets a new password on `user` (the caller flushes): checks the policy, refuses the current
 * password and the last 5, and keeps the history. `field` names the input at fault.
 */
export async function replacePassword(user: User, newPassword: string, field: string): Promise<void> {
  const violation = passwordPolicyViolation(newPassword);
  if (violation) throw badInput(field, violation);
  const previous = [user.passwordHash, ...user.passwordHistory.slice(0, PASSWORD_HISTORY_SIZE)];
  for (const hash of previous) {
    if (await verifyPassword(hash, newPassword)) {
      throw badInput(field, `Password must differ from the current one and the last ${PASSWORD_HISTORY_SIZE}`);
    }
  }
  user.passwordHistory = previous.slice(0, PASSWORD_HISTORY_SIZE);
  user.passwordHash = await hashPassword(newPassword);
  user.passwordChangedAt = new Date();
}

export interface ChangePasswordInput {
  currentPassword: string;
  newPassword: string;
}

/**
 * Verifies the current password, refuses the current one and the last 5, stores the new hash,
 * and signs out every other session of the user (the caller's session stays).
 */
export async function changePassword(ctx: RequestContext, input: ChangePasswordInput): Promise<boolean> {
  const viewer = requireViewer(ctx);
  const violation = passwordPolicyViolation(input.newPassword);
  if (violation) throw badInput('newPassword', violation);
  type Outcome = { ok: true } | { ok: false; error: DomainError; reason: string };
  const outcome = await ctx.db.transactional<Outcome>(async (em) => {
    const user = await em.findOneOrFail(User, { id: viewer.userId });
    const now = new Date();
    if (user.lockedUntil && user.lockedUntil > now) {
      const retryAfter = Math.ceil((user.lockedUntil.getTime() - now.getTime()) / 1000);
      return {
        ok: false,
        error: new DomainError('FORBIDDEN', 'Account locked after repeated wrong passwords; try again later', { reason: 'ACCOUNT_LOCKED', retryAfter }),
        reason: 'locked',
      };
    }
    if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
      // Counts like a failed sign-in, so a stolen access token cannot be used to guess the password.
      user.failedLoginAttempts += 1;
      let reason = 'bad_current_password';
      if (user.failedLoginAttempts >= MAX_FAILED_LOGINS) {
        user.lockedUntil = new Date(now.getTime() + LOCKOUT_MINUTES * 60_000);
        user.failedLoginAttempts = 0;
        reason = 'locked_out';
      }
      await em.flush();
      return { ok: false, error: badInput('currentPassword', 'Current password is incorrect'), reason };
    }
    user.failedLoginAttempts = 0;
    await replacePassword(user, input.newPassword, 'newPassword');
    await em.flush();
    const revoked = await em.execute<{ id: string }[]>(
      `update identity_session set revoked_at = now(), revoked_reason = 'password_change'
       where user_id = ? and id <> ? and revoked_at is null returning id`,
      [viewer.userId, viewer.sessionId],
    );
    await recordAudit(ctx, em, {
      action: 'auth.password_change',
      resourceType: 'User',
      resourceId: viewer.userId,
      changes: { revokedSessions: revoked.length },
    });
    // Notifications live in an organization: a session outside any (operators) has nowhere to put one.
    if (viewer.organizationId) {
      await notify(ctx, em, {
        userId: viewer.userId,
        type: 'password_changed',
        title: 'Your password was changed',
        body: 'Every other session was signed out. If this was not you, reset your password and tell your administrator.',
        data: { revokedSessions: revoked.length },
      });
    }
    return { ok: true };
  });
  if (!outcome.ok) {
    await recordSecurityEvent(ctx, {
      action: 'auth.password_change_failed',
      resourceType: 'User',
      resourceId: viewer.userId,
      changes: { reason: outcome.reason },
    });
    throw outcome.error;
  }
  return true;
}

export interface UpdateProfileInput {
  firstName?: string | null;
  lastName?: string | null;
  phone?: string | null;
}

/** Changes the caller's name and phone; the audit row carries what changed (from, to). */
export async function updateProfile(ctx: RequestContext, input: UpdateProfileInput): Promise<User> {
  const viewer = requireViewer(ctx);
  if (input.firstName === null) throw badInput('firstName', 'firstName cannot be empty');
  if (input.lastName === null) throw badInput('lastName', 'lastName cannot be empty');
  return ctx.db.transactional(async (em) => {
    const user = await em.findOneOrFail(User, { id: viewer.userId });
    const next: Record<string, string | null | undefined> = {
      firstName: input.firstName?.trim(),
      lastName: input.lastName?.trim(),
      phone: input.phone === undefined ? undefined : input.phone?.trim() || null,
    };
    if (next.firstName === '') throw badInput('firstName', 'firstName cannot be empty');
    if (next.lastName === '') throw badInput('lastName', 'lastName cannot be empty');
    const diff: Record<string, { from: unknown; to: unknown }> = {};
    for (const [field, value] of Object.entries(next)) {
      if (value === undefined) continue;
      const current = (user as unknown as Record<string, unknown>)[field] ?? null;
      if (current !== value) {
        diff[field] = { from: current, to: value };
        (user as unknown as Record<string, unknown>)[field] = value;
      }
    }
    if (Object.keys(diff).length > 0) {
      await em.flush();
      await recordAudit(ctx, em, { action: 'user.profile_update', resourceType: 'User', resourceId: user.id, changes: diff });
    }
    return user;
  });
}

/**
 * Opens a new session in another organization the caller is an active member of. Anything else
 * (unknown, not a member, suspended or inactive) is the same NOT_FOUND.
 */
export async function switchOrganization(ctx: RequestContext, organizationId: string): Promise<AuthPayload> {
  const viewer = requireViewer(ctx);
  return ctx.db.transactional(async (em) => {
    const memberships = isUuid(organizationId) ? await memberOrganizations(em, viewer.userId) : [];
    const target = memberships.find(
      (m) => m.id === organizationId && (m.status === OrganizationStatus.ACTIVE || m.status === OrganizationStatus.TRIAL),
    );
    if (!target) throw notFound('Organization', 'organizationId');
    const user = await em.findOneOrFail(User, { id: viewer.userId });
    const organization = await em.findOneOrFail(Organization, { id: target.id });
    user.lastOrganizationId = organization.id;
    const payload = await openSession(ctx, em, user, organization);
    await ctx.db.asTenant(em, organization.id, user.id, (tem) =>
      recordAudit(ctx, tem, {
        organizationId: organization.id,
        userId: user.id,
        action: 'auth.switch_organization',
        resourceType: 'Session',
        resourceId: payload.sessionId ?? null,
        changes: { fromOrganizationId: viewer.organizationId, fromSessionId: viewer.sessionId },
      }),
    );
    return payload;
  });
}

export interface SessionPage {
  first?: number | null;
  after?: string | null;
}

/** The caller's live sessions (not revoked, not expired) in every organization, newest first. */
export async function listSessions(ctx: RequestContext, page: SessionPage) {
  const viewer = requireViewer(ctx);
  return buildConnection<Record<string, unknown>>(ctx.db, Session, {
    first: page.first,
    after: page.after,
    orderBy: [{ field: 'createdAt', direction: 'DESC' }],
    where: (qb) => qb.where('user_id', viewer.userId).whereNull('revoked_at').where('expires_at', '>', new Date()),
  });
}

/** Revokes one of the caller's own sessions (the current one too: that signs the caller out). */
export async function revokeSession(ctx: RequestContext, sessionId: string): Promise<boolean> {
  const viewer = requireViewer(ctx);
  if (!isUuid(sessionId)) throw notFound('Session', 'id');
  return ctx.db.transactional(async (em) => {
    const [row] = await em.execute<{ id: string; revoked_at: Date | null; organization_id: string | null }[]>(
      'select id, revoked_at, organization_id from identity_session where id = ? and user_id = ? for update',
      [sessionId, viewer.userId],
    );
    if (!row) throw notFound('Session', 'id');
    if (row.revoked_at) return true;
    await em.execute("update identity_session set revoked_at = now(), revoked_reason = 'revoked_by_user' where id = ?", [sessionId]);
    await recordAudit(ctx, em, {
      action: 'auth.session_revoke',
      resourceType: 'Session',
      resourceId: sessionId,
      changes: { sessionOrganizationId: row.organization_id, current: sessionId === viewer.sessionId },
    });
    return true;
  });
}

/** Admins (`session:revoke`): signs a member out of every session in the caller's organization; returns how many. */
export async function revokeMemberSessions(ctx: RequestContext, userId: string): Promise<number> {
  const organizationId = requireTenant(ctx);
  if (!isUuid(userId)) throw notFound('Member', 'userId');
  return ctx.db.transactional(async (em) => {
    const [member] = await em.execute<{ id: string }[]>(
      'select id from tenancy_membership where organization_id = ? and user_id = ?',
      [organizationId, userId],
    );
    if (!member) throw notFound('Member', 'userId');
    const revoked = await em.execute<{ id: string }[]>(
      `update identity_session set revoked_at = now(), revoked_reason = 'revoked_by_admin'
       where user_id = ? and organization_id = ? and revoked_at is null returning id`,
      [userId, organizationId],
    );
    await recordAudit(ctx, em, {
      action: 'auth.member_sessions_revoke',
      resourceType: 'User',
      resourceId: userId,
      changes: { revokedSessions: revoked.length },
    });
    await notify(ctx, em, {
      userId,
      type: 'sessions_revoked',
      title: 'You were signed out',
      body: 'An administrator signed you out of every session in this organization.',
      data: { revokedSessions: revoked.length },
    });
    return revoked.length;
  });
}
