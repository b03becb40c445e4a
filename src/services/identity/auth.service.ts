/**
 * Sign-up, login, refresh-token rotation and logout. Security events (failed logins, lockouts,
 * token replays) are recorded outside the operation's savepoint so they persist when it fails.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../core/context/request-context';
import { DomainError, badInput, unauthenticated } from '../../core/errors';
import { decoyPasswordHash, hashPassword, passwordPolicyViolation, verifyPassword } from '../../core/auth/passwords';
import { hashOpaqueToken, newOpaqueToken } from '../../core/auth/opaque-tokens';
import { User, UserStatus } from '../../entities/identity/user.entity';
import { RefreshToken, Session } from '../../entities/identity/session.entity';
import { Organization, OrganizationStatus } from '../../entities/tenancy/organization.entity';
import { recordAudit, recordSecurityEvent } from '../audit';
import { createOrganization } from '../tenancy';
import { lockedForSeconds, registerFailedAttempt } from './lockout';
import { useSecondFactor, type SecondFactorMethod } from './mfa.service';

export { MAX_FAILED_LOGINS, LOCKOUT_MINUTES } from './lockout';

export interface AuthPayload {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: User;
  organization: Organization | null;
  /** The session the tokens belong to (not exposed by the API). */
  sessionId?: string;
}

const normalizeEmail = (email: string) => email.trim().toLowerCase();

export async function findUserByEmail(em: EntityManager, email: string): Promise<User | null> {
  const [row] = await em.execute<{ id: string }[]>('select id from identity_user where lower(email) = ?', [normalizeEmail(email)]);
  return row ? em.findOne(User, { id: row.id }) : null;
}

/** The user's active memberships in every organization (through the membership_self RLS policy). */
export async function memberOrganizations(em: EntityManager, userId: string): Promise<{ id: string; slug: string; status: string }[]> {
  // Visible through the membership_self policy: the user's own memberships in every organization.
  await em.execute("select set_config('app.user_id', ?, true)", [userId]);
  return em.execute(
    `select o.id, o.slug, o.status from tenancy_membership m join tenancy_organization o on o.id = m.organization_id
     where m.user_id = ? and m.status = 'active' order by m.created_at`,
    [userId],
  );
}

/** Opens a session (one refresh-token family) and signs the first access token. */
export async function openSession(
  ctx: RequestContext,
  em: EntityManager,
  user: User,
  organization: Organization | null,
): Promise<AuthPayload> {
  const { config, keyRing } = ctx.app;
  const session = em.create(Session, {
    userId: user.id,
    organizationId: organization?.id ?? null,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    expiresAt: new Date(Date.now() + config.jwt.refreshTtlDays * 86400_000),
  } as Session);
  const refreshToken = newOpaqueToken();
  em.create(RefreshToken, { sessionId: session.id, tokenHash: hashOpaqueToken(refreshToken), expiresAt: session.expiresAt } as RefreshToken);
  await em.flush();
  const accessToken = await keyRing.sign({ sub: user.id, sid: session.id, org: organization?.id });
  return { accessToken, refreshToken, expiresIn: keyRing.ttlSeconds, user, organization, sessionId: session.id };
}

export interface SignUpInput {
  organizationName: string;
  organizationSlug: string;
  email: string;
  password: string;
  firstName: string;
  lastName: string;
}

export async function signUp(ctx: RequestContext, input: SignUpInput): Promise<AuthPayload> {
  if (!ctx.app.config.signupEnabled) throw new DomainError('FORBIDDEN', 'Sign-up is disabled on this server');
  const violation = passwordPolicyViolation(input.password);
  if (violation) throw badInput('password', violation);
  const passwordHash = await hashPassword(input.password);
  return ctx.db.transactional(async (em) => {
    if (await findUserByEmail(em, input.email)) throw new DomainError('CONFLICT', 'An account with this email exists', { field: 'email' });
    const user = em.create(User, {
      email: normalizeEmail(input.email),
      passwordHash,
      firstName: input.firstName,
      lastName: input.lastName,
      status: UserStatus.ACTIVE,
    } as User);
    await em.flush();
    const org = await createOrganization(ctx, em, { name: input.organizationName, slug: input.organizationSlug }, user.id);
    user.lastOrganizationId = org.id;
    const payload = await openSession(ctx, em, user, org);
    await ctx.db.asTenant(em, org.id, user.id, (tem) =>
      recordAudit(ctx, tem, { organizationId: org.id, userId: user.id, action: 'auth.sign_up', resourceType: 'User', resourceId: user.id }),
    );
    return payload;
  });
}

export interface LoginInput {
  email: string;
  password: string;
  organizationSlug?: string | null;
  /** Required when the user has MFA on: a TOTP code or one of the recovery codes. */
  totpCode?: string | null;
}

type LoginOutcome =
  | { ok: true; payload: AuthPayload; secondFactor: SecondFactorMethod | null }
  | { ok: false; error: DomainError; audit: { action: string; userId: string | null; organizationId: string | null; reason: string } };

const invalidCredentials = () => unauthenticated('Invalid email or password');

export async function login(ctx: RequestContext, input: LoginInput): Promise<AuthPayload> {
  const outcome = await ctx.db.transactional<LoginOutcome>(async (em) => {
    const user = await findUserByEmail(em, input.email);
    if (!user) {
      await verifyPassword(await decoyPasswordHash(), input.password);
      return { ok: false, error: invalidCredentials(), audit: { action: 'auth.login_failed', userId: null, organizationId: null, reason: 'unknown_email' } };
    }
    const now = new Date();
    const retryAfter = lockedForSeconds(user, now);
    if (retryAfter !== null) {
      return {
        ok: false,
        error: new DomainError('UNAUTHENTICATED', 'Account locked after repeated failed sign-ins; try again later', { reason: 'ACCOUNT_LOCKED', retryAfter }),
        audit: { action: 'auth.login_locked', userId: user.id, organizationId: null, reason: 'locked' },
      };
    }
    if (!(await verifyPassword(user.passwordHash, input.password))) {
      const reason = registerFailedAttempt(user, now) ?? 'bad_password';
      return { ok: false, error: invalidCredentials(), audit: { action: 'auth.login_failed', userId: user.id, organizationId: null, reason } };
    }
    if (user.status !== UserStatus.ACTIVE) {
      return { ok: false, error: unauthenticated('This account is not active'), audit: { action: 'auth.login_failed', userId: user.id, organizationId: null, reason: `user_${user.status}` } };
    }
    const memberships = await memberOrganizations(em, user.id);
    let target: { id: string; slug: string; status: string } | undefined;
    if (input.organizationSlug) {
      target = memberships.find((m) => m.slug === input.organizationSlug!.toLowerCase());
      if (!target) {
        return { ok: false, error: unauthenticated('You are not a member of this organization'), audit: { action: 'auth.login_failed', userId: user.id, organizationId: null, reason: 'not_a_member' } };
      }
    } else {
      target = memberships.find((m) => m.id === user.lastOrganizationId) ?? memberships.find((m) => m.status !== OrganizationStatus.SUSPENDED) ?? memberships[0];
    }
    if (target && (target.status === OrganizationStatus.SUSPENDED || target.status === OrganizationStatus.INACTIVE)) {
      return { ok: false, error: unauthenticated(`This organization is ${target.status}`), audit: { action: 'auth.login_failed', userId: user.id, organizationId: target.id, reason: `organization_${target.status}` } };
    }
    // Last, so a recovery code is spent only on a sign-in that succeeds.
    let secondFactor: SecondFactorMethod | null = null;
    if (user.mfaEnabled) {
      // Not a failure: the client asks for the code and calls again (no attempt counted, no session).
      if (!input.totpCode?.trim()) {
        return {
          ok: false,
          error: new DomainError('UNAUTHENTICATED', 'Enter the code from your authenticator app or a recovery code', { reason: 'MFA_REQUIRED' }),
          audit: { action: 'auth.mfa_required', userId: user.id, organizationId: target?.id ?? null, reason: 'mfa_required' },
        };
      }
      const factor = await useSecondFactor(ctx, em, user, input.totpCode);
      if (!factor.ok) {
        const reason = registerFailedAttempt(user, now) ?? factor.reason;
        return {
          ok: false,
          error: new DomainError('UNAUTHENTICATED', 'The authentication code is not valid or was already used', { reason: 'MFA_INVALID' }),
          audit: { action: 'auth.login_failed', userId: user.id, organizationId: target?.id ?? null, reason },
        };
      }
      secondFactor = factor.method;
    }
    user.failedLoginAttempts = 0;
    user.lockedUntil = null;
    user.lastLoginAt = now;
    if (target) user.lastOrganizationId = target.id;
    const organization = target ? await em.findOneOrFail(Organization, { id: target.id }) : null;
    const payload = await openSession(ctx, em, user, organization);
    return { ok: true, payload, secondFactor };
  });
  if (!outcome.ok) {
    const { action, userId, organizationId, reason } = outcome.audit;
    await recordSecurityEvent(ctx, { action, userId, organizationId, resourceType: 'User', resourceId: userId, changes: { email: normalizeEmail(input.email), reason } });
    throw outcome.error;
  }
  const { payload } = outcome;
  await recordSecurityEvent(ctx, {
    action: 'auth.login',
    userId: payload.user.id,
    organizationId: payload.organization?.id ?? null,
    resourceType: 'Session',
    resourceId: null,
    changes: outcome.secondFactor ? { secondFactor: outcome.secondFactor } : null,
  });
  return payload;
}

/** Exchanges a refresh token for a new pair; a token used twice revokes its whole session. */
export async function refreshSession(ctx: RequestContext, refreshToken: string): Promise<AuthPayload> {
  const tokenHash = hashOpaqueToken(refreshToken);
  type Outcome = { ok: true; payload: AuthPayload } | { ok: false; replayedSession?: Session; userId?: string };
  const outcome = await ctx.db.transactional<Outcome>(async (em) => {
    const token = await em.findOne(RefreshToken, { tokenHash });
    if (!token) return { ok: false };
    const session = await em.findOne(Session, { id: token.sessionId });
    if (!session) return { ok: false };
    const [rotated] = await em.execute<{ id: string }[]>(
      'update identity_refresh_token set rotated_at = now() where id = ? and rotated_at is null returning id',
      [token.id],
    );
    if (!rotated) {
      if (!session.revokedAt) {
        session.revokedAt = new Date();
        session.revokedReason = 'refresh_token_reuse';
        await em.execute('update identity_session set revoked_at = now(), revoked_reason = ? where id = ?', ['refresh_token_reuse', session.id]);
      }
      return { ok: false, replayedSession: session, userId: session.userId };
    }
    if (session.revokedAt || session.expiresAt <= new Date() || token.expiresAt <= new Date()) return { ok: false, userId: session.userId };
    const user = await em.findOneOrFail(User, { id: session.userId });
    if (user.status !== UserStatus.ACTIVE) return { ok: false, userId: user.id };
    let organization: Organization | null = null;
    if (session.organizationId) {
      organization = await em.findOne(Organization, { id: session.organizationId });
      const stillMember = (await memberOrganizations(em, user.id)).some((m) => m.id === session.organizationId);
      if (!organization || !stillMember || organization.status === OrganizationStatus.SUSPENDED || organization.status === OrganizationStatus.INACTIVE) {
        return { ok: false, userId: user.id };
      }
    }
    const next = newOpaqueToken();
    em.create(RefreshToken, { sessionId: session.id, tokenHash: hashOpaqueToken(next), expiresAt: session.expiresAt } as RefreshToken);
    session.lastUsedAt = new Date();
    await em.flush();
    const accessToken = await ctx.app.keyRing.sign({ sub: user.id, sid: session.id, org: organization?.id });
    return { ok: true, payload: { accessToken, refreshToken: next, expiresIn: ctx.app.keyRing.ttlSeconds, user, organization } };
  });
  if (!outcome.ok) {
    if (outcome.replayedSession) {
      await recordSecurityEvent(ctx, {
        action: 'auth.refresh_token_reuse',
        userId: outcome.userId ?? null,
        organizationId: outcome.replayedSession.organizationId ?? null,
        resourceType: 'Session',
        resourceId: outcome.replayedSession.id,
      });
    }
    throw unauthenticated('Invalid or expired refresh token');
  }
  return outcome.payload;
}

/** Ends the caller's session: its refresh tokens stop working and its access tokens are refused. */
export async function logout(ctx: RequestContext): Promise<boolean> {
  const viewer = ctx.viewer;
  if (!viewer) throw unauthenticated();
  await ctx.db.transactional(async (em) => {
    await em.execute('update identity_session set revoked_at = now(), revoked_reason = ? where id = ? and revoked_at is null', ['logout', viewer.sessionId]);
    await recordAudit(ctx, em, { action: 'auth.logout', resourceType: 'Session', resourceId: viewer.sessionId, organizationId: viewer.organizationId });
  });
  return true;
}
