/** Lockout (DOMAINS.md §1): 5 failed sign-in steps in a row lock the account for 30 minutes. */
import type { User } from '../../entities/identity/user.entity';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 30;

/**
 * Counts one failed step (wrong password or wrong second-factor code) on the loaded user;
 * returns 'locked_out' when this failure locked the account.
 */
export function registerFailedAttempt(user: User, now: Date): 'locked_out' | undefined {
  user.failedLoginAttempts += 1;
  if (user.failedLoginAttempts < MAX_FAILED_LOGINS) return undefined;
  user.lockedUntil = new Date(now.getTime() + LOCKOUT_MINUTES * 60_000);
  user.failedLoginAttempts = 0;
  return 'locked_out';
}

/** Seconds until the lock ends, or null when the account is not locked. */
export function lockedForSeconds(user: User, now: Date): number | null {
  return user.lockedUntil && user.lockedUntil > now ? Math.ceil((user.lockedUntil.getTime() - now.getTime()) / 1000) : null;
}
