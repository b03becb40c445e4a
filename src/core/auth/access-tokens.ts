/**
 * Access tokens: short-lived JWTs signed with EdDSA (Ed25519) by jose. The key ring holds the
 * signing key first and older keys after it: tokens signed by an older key stay valid until
 * they expire, and /.well-known/jwks.json publishes every public key of the ring.
 */
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK, type CryptoKey } from 'jose';
import { LRUCache } from 'lru-cache';
import { unauthenticated } from '../errors';

export interface AccessClaims {
  /** user id */
  sub: string;
  /** session id */
  sid: string;
  /** organization id (absent when the user belongs to none yet) */
  org?: string;
}

interface RingKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

export async function generateSigningJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: randomUUID(), alg: 'EdDSA', use: 'sig' };
}

/** Verified tokens remembered (by their exact text) so that a signature is checked once, not per request. */
const VERIFIED_TOKENS = 10_000;

export class KeyRing {
  // The ring's keys never change while it lives, so a token verified once stays verified; only its
  // expiry is checked again on each use. Revocation is the session lookup's business, not this.
  private readonly verified = new LRUCache<string, { claims: AccessClaims; expiresAt: number }>({ max: VERIFIED_TOKENS });

  private constructor(
    private readonly keys: RingKey[],
    private readonly issuer: string,
    private readonly audience: string,
    readonly ttlSeconds: number,
  ) {}

  static async fromJwks(jwks: JWK[], opts: { issuer: string; audience: string; ttlSeconds: number }): Promise<KeyRing> {
    if (jwks.length === 0) throw new Error('JWT_SIGNING_KEYS: at least one key is required');
    const keys = await Promise.all(
      jwks.map(async (jwk, i) => {
        if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !jwk.d) {
          throw new Error(`JWT_SIGNING_KEYS: key ${i} is not an Ed25519 private JWK`);
        }
        const kid = jwk.kid ?? `key-${i}`;
        const { d: _d, ...pub } = jwk;
        return {
          kid,
          privateKey: (await importJWK({ ...jwk, alg: 'EdDSA' }, 'EdDSA')) as CryptoKey,
          publicKey: (await importJWK({ ...pub, alg: 'EdDSA' }, 'EdDSA')) as CryptoKey,
          publicJwk: { kty: pub.kty, crv: pub.crv, x: pub.x, kid, alg: 'EdDSA', use: 'sig' },
        };
      }),
    );
    return new KeyRing(keys, opts.issuer, opts.audience, opts.ttlSeconds);
  }

  jwks(): { keys: JWK[] } {
    return { keys: this.keys.map((k) => k.publicJwk) };
  }

  async sign(claims: AccessClaims): Promise<string> {
    const key = this.keys[0];
    const payload: Record<string, string> = { sid: claims.sid };
    if (claims.org) payload.org = claims.org;
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setIssuedAt()
      .setJti(randomUUID())
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(key.privateKey);
  }

  async verify(token: string): Promise<AccessClaims> {
    const known = this.verified.get(token);
    if (known && known.expiresAt > Date.now()) return known.claims;
    try {
      const { payload } = await jwtVerify(
        token,
        async (header) => {
          const key = this.keys.find((k) => k.kid === header.kid);
          if (!key) throw new Error('unknown kid');
          return key.publicKey;
        },
        { issuer: this.issuer, audience: this.audience, algorithms: ['EdDSA'] },
      );
      if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string' || typeof payload.exp !== 'number') throw new Error('malformed claims');
      const claims = { sub: payload.sub, sid: payload.sid, org: typeof payload.org === 'string' ? payload.org : undefined };
      this.verified.set(token, { claims, expiresAt: payload.exp * 1000 });
      return claims;
    } catch {
      throw unauthenticated('Invalid or expired access token');
    }
  }
}
