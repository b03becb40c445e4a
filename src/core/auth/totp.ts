/**
 * Time-based one-time passwords (RFC 6238, otplib: SHA-1, 6 digits, 30 s steps, the usual
 * authenticator-app settings) and recovery codes. Which time step a code matched is returned,
 * so callers can refuse a code whose step was already used (no replay inside the window).
 */
import { randomBytes } from 'node:crypto';
import { authenticator } from 'otplib';
import { hashOpaqueToken } from './opaque-tokens';

export const TOTP_STEP_SECONDS = 30;
/** Codes of the previous and next step are accepted too (clock drift). */
const WINDOW = 1;
const totp = authenticator.clone({ step: TOTP_STEP_SECONDS, window: WINDOW });

/** A new base32 secret of 160 bits (RFC 4226's recommended length). */
export const newTotpSecret = (): string => totp.generateSecret(20);

/** The otpauth:// URI an authenticator app reads from a QR code. */
export const totpUri = (secret: string, account: string, issuer: string): string => totp.keyuri(account, issuer, secret);

/** The time step `code` is valid for (within the window around `now`), or null. */
export function totpStep(secret: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totp.clone({ epoch: now }).checkDelta(code, secret);
  return delta === null ? null : Math.floor(now / 1000 / TOTP_STEP_SECONDS) + delta;
}

// No 0/O, 1/I: codes are read off paper. 32 symbols, so `byte % 32` stays uniform.
const RECOVERY_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** `count` recovery codes like `K7QM-2XHD-9RWA-TC4P` (80 random bits each). */
export function newRecoveryCodes(count: number): string[] {
  return Array.from({ length: count }, () => {
    const chars = [...randomBytes(16)].map((b) => RECOVERY_ALPHABET[b % 32]).join('');
    return chars.match(/.{4}/g)!.join('-');
  });
}

const normalizeRecoveryCode = (input: string): string => input.toUpperCase().replace(/[^A-Z0-9]/g, '');

/** What is stored: SHA-256 of the code without dashes, case-insensitive (80 random bits need no slow hash). */
export const hashRecoveryCode = (code: string): string => hashOpaqueToken(normalizeRecoveryCode(code));
