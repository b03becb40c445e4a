/**
 * Email-based account flows: forgotten password (request a reset link, reset with its token) and
 * email verification. Tokens are random, single use, expiring and stored as SHA-256 only; a new
 * token of a purpose replaces the user's unused ones.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../core/context/request-context';
import { requireViewer } from '../../core/context/request-context';
import { badInput } from '../../core/errors';
import { hashOpaqueToken, newOpaqueToken } from '../../core/auth/opaque-tokens';
import { passwordPolicyViolation } from '../../core/auth/passwords';
import { User, UserStatus } from '../../entities/identity/user.entity';
import { UserToken, UserTokenPurpose } from '../../entities/identity/user-token.entity';
import { recordAudit, recordSecurityEvent } from '../audit';
import { findUserByEmail } from './auth.service';
import { replacePassword } from './account.service';
import { queueMessage } from '../../jobs';

export const PASSWORD_RESET_TTL_MS = 60 * 60_000;
export const EMAIL_VERIFICATION_TTL_MS = 24 * 3600_000;

/** A fresh token of `purpose` for the user; their earlier unused tokens of that purpose stop working. */
async function issueUserToken(em: EntityManager, userId: string, purpose: UserTokenPurpose, ttlMs: number): Promise<{ token: string; expiresAt: Date }> {
  await em.execute('delete from identity_user_token where user_id = ? and purpose = ? and used_at is null', [userId, purpose]);
  const token = newOpaqueToken();
  const expiresAt = new Date(Date.now() + ttlMs);
  em.create(UserToken, { userId, purpose, tokenHash: hashOpaqueToken(token), expiresAt } as UserToken);
  await em.flush();
  return { token, expiresAt };
}

/** Marks a live token used (once, even under concurrent requests) and returns its user, or null. */
async function consumeUserToken(em: EntityManager, token: string, purpose: UserTokenPurpose): Promise<string | null> {
  const [row] = await em.execute<{ user_id: string }[]>(
    `update identity_user_token set used_at = now(), updated_at = now()
      where token_hash = ? and purpose = ? and used_at is null and expires_at > now() returning user_id`,
    [hashOpaqueToken(token), purpose],
  );
  return row?.user_id ?? null;
}

const link = (ctx: RequestContext, path: string, token: string) =>
  `${ctx.app.config.publicUrl.replace(/\/$/, '')}${path}?token=${encodeURIComponent(token)}`;

/**
 * Sends a reset link when the email belongs to an active account. Answers true either way, so
 * the answer does not tell whether an account exists.
 */
export async function requestPasswordReset(ctx: RequestContext, email: string): Promise<boolean> {
  await ctx.db.transactional(async (em) => {
    const user = await findUserByEmail(em, email);
    const active = user?.status === UserStatus.ACTIVE;
    if (user && active) {
      const { token, expiresAt } = await issueUserToken(em, user.id, UserTokenPurpose.PASSWORD_RESET, PASSWORD_RESET_TTL_MS);
      const url = link(ctx, '/reset-password', token);
      queueMessage(ctx, {
        channel: 'email',
        to: user.email,
        subject: 'Reset your Tessera password',
        text: `Someone (hopefully you) asked to reset the password of ${user.email}.\n\nOpen this link within an hour to choose a new password:\n${url}\n\nIf you did not ask for this, ignore this email: your password stays as it is.`,
        template: 'password_reset',
        data: { token, link: url, expiresAt: expiresAt.toISOString() },
      }, hashOpaqueToken(token));
    }
    await recordAudit(ctx, em, {
      organizationId: null,
      userId: user?.id ?? null,
      action: 'auth.password_reset_request',
      resourceType: 'User',
      resourceId: user?.id ?? null,
      changes: { email: email.trim().toLowerCase(), sent: active, ...(active ? {} : { reason: user ? `user_${user.status}` : 'unknown_email' }) },
    });
  });
  return true;
}

/**
 * Sets a new password with a reset token: policy and history apply, the token is spent, every
 * session of the user is revoked and any lockout cleared. Following the emailed link also proves
 * the inbox, so the email counts as verified.
 */
export async function resetPassword(ctx: RequestContext, token: string, newPassword: string): Promise<boolean> {
  const violation = passwordPolicyViolation(newPassword);
  if (violation) throw badInput('newPassword', violation);
  const userId = await ctx.db.transactional(async (em) => {
    const owner = await consumeUserToken(em, token, UserTokenPurpose.PASSWORD_RESET);
    if (!owner) return null;
    const user = await em.findOneOrFail(User, { id: owner });
    await replacePassword(user, newPassword, 'newPassword');
    user.failedLoginAttempts = 0;
    user.lockedUntil = null;
    user.emailVerifiedAt ??= new Date();
    await em.flush();
    const revoked = await em.execute<{ id: string }[]>(
      `update identity_session set revoked_at = now(), revoked_reason = 'password_reset'
        where user_id = ? and revoked_at is null returning id`,
      [user.id],
    );
    await recordAudit(ctx, em, {
      organizationId: null,
      userId: user.id,
      action: 'auth.password_reset',
      resourceType: 'User',
      resourceId: user.id,
      changes: { revokedSessions: revoked.length },
    });
    return user.id;
  });
  if (!userId) {
    await recordSecurityEvent(ctx, { organizationId: null, userId: null, action: 'auth.password_reset_failed', resourceType: 'User', changes: { reason: 'invalid_token' } });
    throw badInput('token', 'This reset link is invalid, already used or expired; ask for a new one');
  }
  return true;
}

/** Sends the signed-in user a verification link; does nothing (true) when the email is verified already. */
export async function requestEmailVerification(ctx: RequestContext): Promise<boolean> {
  const viewer = requireViewer(ctx);
  await ctx.db.transactional(async (em) => {
    const user = await em.findOneOrFail(User, { id: viewer.userId });
    if (user.emailVerifiedAt) return;
    const { token, expiresAt } = await issueUserToken(em, user.id, UserTokenPurpose.EMAIL_VERIFICATION, EMAIL_VERIFICATION_TTL_MS);
    const url = link(ctx, '/verify-email', token);
    queueMessage(ctx, {
      channel: 'email',
      to: user.email,
      subject: 'Confirm your email address',
      text: `Confirm that ${user.email} is your address by opening this link within 24 hours:\n${url}`,
      template: 'email_verification',
      data: { token, link: url, expiresAt: expiresAt.toISOString() },
    }, hashOpaqueToken(token));
    await recordAudit(ctx, em, { action: 'auth.email_verification_request', resourceType: 'User', resourceId: user.id });
  });
  return true;
}

/** Marks the token's user's email verified; the token works once. */
export async function verifyEmail(ctx: RequestContext, token: string): Promise<boolean> {
  const userId = await ctx.db.transactional(async (em) => {
    const owner = await consumeUserToken(em, token, UserTokenPurpose.EMAIL_VERIFICATION);
    if (!owner) return null;
    const user = await em.findOneOrFail(User, { id: owner });
    user.emailVerifiedAt ??= new Date();
    await em.flush();
    await recordAudit(ctx, em, { organizationId: null, userId: user.id, action: 'auth.email_verify', resourceType: 'User', resourceId: user.id });
    return user.id;
  });
  if (!userId) {
    await recordSecurityEvent(ctx, { organizationId: null, userId: null, action: 'auth.email_verify_failed', resourceType: 'User', changes: { reason: 'invalid_token' } });
    throw badInput('token', 'This verification link is invalid, already used or expired');
  }
  return true;
}
