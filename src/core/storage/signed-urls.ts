/**
 * Expiring signed URLs: HMAC-SHA256 over the purpose, the path parts and the expiry, so a link
 * grants exactly one action on one object until it expires and nothing in it can be edited.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface SignedParts {
  /** What the URL allows, e.g. `file-upload`; a signature for one purpose is useless for another. */
  purpose: string;
  /** The path segments the signature covers (organization id, object id...). */
  parts: string[];
  /** Unix seconds. */
  expires: number;
}

function signature(secret: string, p: SignedParts): string {
  return createHmac('sha256', secret).update([p.purpose, ...p.parts, String(p.expires)].join('\n')).digest('base64url');
}

/** `?expires=<unix seconds>&signature=<base64url>` for these parts. */
export function signQuery(secret: string, p: SignedParts): string {
  return `expires=${p.expires}&signature=${signature(secret, p)}`;
}

export type SignatureCheck = 'valid' | 'expired' | 'invalid';

/** Checks the query values of a signed URL against the parts taken from its path. */
export function verifySignedQuery(
  secret: string,
  p: Omit<SignedParts, 'expires'>,
  query: { expires?: unknown; signature?: unknown },
  now = Date.now(),
): SignatureCheck {
  if (typeof query.expires !== 'string' || !/^\d{1,12}$/.test(query.expires) || typeof query.signature !== 'string') return 'invalid';
  const expires = Number(query.expires);
  const expected = Buffer.from(signature(secret, { ...p, expires }));
  const given = Buffer.from(query.signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
  return expires * 1000 > now ? 'valid' : 'expired';
}
