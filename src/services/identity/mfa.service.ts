/**
 * TOTP multi-factor authentication: enrolment (enableMfa, then confirmMfa with a first code),
 * disabling (password and a code), and the second factor of login (useSecondFactor). Secrets are
 * sealed with the SecretBox; a TOTP code is accepted once (the last used time step is kept);
 * recovery codes are stored hashed and each works once.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../core/context/request-context';
import { requireViewer } from '../../core/context/request-context';
import { DomainError, badInput, conflict } from '../../core/errors';
import { verifyPassword } from '../../core/auth/passwords';
import { hashRecoveryCode, newRecoveryCodes, newTotpSecret, totpStep, totpUri } from '../../core/auth/totp';
import { User } from '../../entities/identity/user.entity';
import { recordAudit, recordSecurityEvent } from '../audit';
import { lockedForSeconds, registerFailedAttempt } from './lockout';

export const MFA_ISSUER = 'Tessera';
export const RECOVERY_CODE_COUNT = 10;

/** Associated data of a user's sealed secret: a sealed value moved to another user's row does not open. */
const secretContext = (userId: string) => `identity_user.mfa_secret:${userId}`;

export interface MfaEnrolment {
  secret: string;
  otpauthUrl: string;
}

/** Starts enrolment: a new pending secret (replacing any earlier unconfirmed one) for the app to scan. */
export async function enableMfa(ctx: RequestContext): Promise<MfaEnrolment> {
  const viewer = requireViewer(ctx);
  return ctx.db.transactional(async (em) => {
    const user = await em.findOneOrFail(User, { id: viewer.userId });
    if (user.mfaEnabled) throw conflict('Multi-factor authentication is already on; disable it first');
    const secret = newTotpSecret();
    user.mfaPendingSecret = ctx.app.secretBox.seal(secret, secretContext(user.id));
    await em.flush();
    await recordAudit(ctx, em, { action: 'auth.mfa_enrolment_start', resourceType: 'User', resourceId: user.id });
    return { secret, otpauthUrl: totpUri(secret, user.email, MFA_ISSUER) };
  });
}

/** Turns MFA on once `code` proves the app holds the pending secret; returns the recovery codes (shown once). */
export async function confirmMfa(ctx: RequestContext, code: string): Promise<{ recoveryCodes: string[] }> {
  const viewer = requireViewer(ctx);
  type Outcome = { ok: true; recoveryCodes: string[] } | { ok: false; error: DomainError };
  const outcome = await ctx.db.transactional<Outcome>(async (em) => {
    const user = await em.findOneOrFail(User, { id: viewer.userId });
    if (user.mfaEnabled) throw conflict('Multi-factor authentication is already on');
    if (!user.mfaPendingSecret) throw conflict('No enrolment in progress: call enableMfa first');
    const step = totpStep(ctx.app.secretBox.open(user.mfaPendingSecret, secretContext(user.id)), code.trim());
    if (step === null) return { ok: false, error: badInput('code', 'The code is not valid; check the authenticator app and its clock') };
    const recoveryCodes = newRecoveryCodes(RECOVERY_CODE_COUNT);
    user.mfaSecret = user.mfaPendingSecret;
    user.mfaPendingSecret = null;
    user.mfaEnabled = true;
    // The confirming code is spent too: it cannot sign in afterwards.
    user.mfaLastUsedStep = step;
    user.mfaRecoveryCodeHashes = recoveryCodes.map(hashRecoveryCode);
    await em.flush();
    await recordAudit(ctx, em, { action: 'auth.mfa_enable', resourceType: 'User', resourceId: user.id, changes: { recoveryCodes: RECOVERY_CODE_COUNT } });
    return { ok: true, recoveryCodes };
  });
  if (!outcome.ok) {
    await recordSecurityEvent(ctx, { action: 'auth.mfa_confirm_failed', resourceType: 'User', resourceId: viewer.userId, changes: { reason: 'bad_code' } });
    throw outcome.error;
  }
  return { recoveryCodes: outcome.recoveryCodes };
}

export interface DisableMfaInput {
  password: string;
  code: string;
}

/**
 * Turns MFA off; needs the password and a current code (or a recovery code). Wrong answers count
 * toward the lockout, like failed sign-ins, so a stolen access token cannot be used to guess.
 */
export async function disableMfa(ctx: RequestContext, input: DisableMfaInput): Promise<boolean> {
  const viewer = requireViewer(ctx);
  type Outcome = { ok: true } | { ok: false; error: DomainError; reason: string };
  const outcome = await ctx.db.transactional<Outcome>(async (em) => {
    const user = await em.findOneOrFail(User, { id: viewer.userId });
    if (!user.mfaEnabled) throw conflict('Multi-factor authentication is not on');
    const now = new Date();
    const retryAfter = lockedForSeconds(user, now);
    if (retryAfter !== null) {
      return {
        ok: false,
        error: new DomainError('FORBIDDEN', 'Account locked after repeated failed attempts; try again later', { reason: 'ACCOUNT_LOCKED', retryAfter }),
        reason: 'locked',
      };
    }
    if (!(await verifyPassword(user.passwordHash, input.password))) {
      const reason = registerFailedAttempt(user, now) ?? 'bad_password';
      await em.flush();
      return { ok: false, error: badInput('password', 'Password is incorrect'), reason };
    }
    const factor = await useSecondFactor(ctx, em, user, input.code);
    if (!factor.ok) {
      const reason = registerFailedAttempt(user, now) ?? factor.reason;
      await em.flush();
      return { ok: false, error: badInput('code', 'The code is not valid or was already used'), reason };
    }
    user.failedLoginAttempts = 0;
    user.mfaEnabled = false;
    user.mfaSecret = null;
    user.mfaPendingSecret = null;
    user.mfaLastUsedStep = null;
    user.mfaRecoveryCodeHashes = [];
    await em.flush();
    await recordAudit(ctx, em, { action: 'auth.mfa_disable', resourceType: 'User', resourceId: user.id, changes: { method: factor.method } });
    return { ok: true };
  });
  if (!outcome.ok) {
    await recordSecurityEvent(ctx, { action: 'auth.mfa_disable_failed', resourceType: 'User', resourceId: viewer.userId, changes: { reason: outcome.reason } });
    throw outcome.error;
  }
  return true;
}

export type SecondFactorMethod = 'totp' | 'recovery_code';
export type SecondFactorResult = { ok: true; method: SecondFactorMethod } | { ok: false; reason: 'bad_mfa_code' | 'mfa_code_reused' };

/**
 * Checks and spends a second factor of a user with MFA on: a 6-digit TOTP code whose time step is
 * later than the last one used, or an unused recovery code. Each is claimed by one conditional
 * UPDATE, so two concurrent sign-ins cannot both spend the same code.
 */
export async function useSecondFactor(ctx: RequestContext, em: EntityManager, user: User, code: string): Promise<SecondFactorResult> {
  const input = code.trim();
  if (/^\d{6}$/.test(input)) {
    const step = totpStep(ctx.app.secretBox.open(user.mfaSecret!, secretContext(user.id)), input);
    if (step === null) return { ok: false, reason: 'bad_mfa_code' };
    const claimed = await em.execute<{ id: string }[]>(
      'update identity_user set mfa_last_used_step = ? where id = ? and (mfa_last_used_step is null or mfa_last_used_step < ?) returning id',
      [step, user.id, step],
    );
    return claimed.length ? { ok: true, method: 'totp' } : { ok: false, reason: 'mfa_code_reused' };
  }
  const hash = hashRecoveryCode(input);
  const spent = await em.execute<{ id: string }[]>(
    `update identity_user set mfa_recovery_code_hashes = mfa_recovery_code_hashes - ?::text
      where id = ? and mfa_recovery_code_hashes @> jsonb_build_array(?::text) returning id`,
    [hash, user.id, hash],
  );
  return spent.length ? { ok: true, method: 'recovery_code' } : { ok: false, reason: 'bad_mfa_code' };
}
