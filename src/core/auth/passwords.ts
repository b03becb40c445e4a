/** Password hashing (argon2id) and the password policy of DOMAINS.md §1. */
import argon2 from 'argon2';

const OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => argon2.hash(password, OPTIONS);

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** Returns what is wrong with a password, or undefined when it meets the policy. */
export function passwordPolicyViolation(password: string): string | undefined {
  if (password.length < 8) return 'Password must be at least 8 characters long';
  if (password.length > 256) return 'Password must be at most 256 characters long';
  if (!/[a-z]/.test(password)) return 'Password must contain a lowercase letter';
  if (!/[A-Z]/.test(password)) return 'Password must contain an uppercase letter';
  if (!/[0-9]/.test(password)) return 'Password must contain a digit';
  if (!/[^A-Za-z0-9]/.test(password)) return 'Password must contain a special character';
  return undefined;
}

/** A hash that takes as long to verify as a real one: used for unknown accounts, so timing tells nothing. */
let decoyHash: Promise<string> | undefined;
export const decoyPasswordHash = (): Promise<string> => (decoyHash ??= hashPassword('decoy-password-Never-used-1!'));
