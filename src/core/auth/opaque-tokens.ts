/** Opaque bearer secrets (refresh, reset, verification, invitation tokens): random, stored as SHA-256 only. */
import { createHash, randomBytes } from 'node:crypto';

export const newOpaqueToken = (): string => randomBytes(32).toString('base64url');
export const hashOpaqueToken = (token: string): string => createHash('sha256').update(token).digest('hex');
