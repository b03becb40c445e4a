/**
 * Rate limits (rate-limiter-flexible), stored in PostgreSQL (table `rate_limit`, created by a
 * migration, written through a small pool of the app role's own so it never waits behind
 * request transactions) or in Redis when REDIS_URL is set. If the store fails, an in-memory
 * limiter of the same size takes over for this process rather than letting everything through.
 *
 *   auth     per operation field, IP and email: the fields in AUTH_OPERATION_FIELDS
 *   general  every GraphQL operation, per user (per IP when anonymous)
 *   uploads  per user (per IP when anonymous): the files module calls consumeUploadLimit(ctx)
 *
 * A refusal is DomainError RATE_LIMITED with `extensions.retryAfter` (seconds), HTTP 429 and a
 * Retry-After header.
 */
import { HeaderMap } from '@apollo/server';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Config } from '../../config';
import { DomainError } from '../errors';
import type { Metrics } from '../observability/metrics';

/** Root fields limited per IP and email. Named here before some exist, so they are covered when they appear. */
export const AUTH_OPERATION_FIELDS: ReadonlySet<string> = new Set([
  'login',
  'signUp',
  'refreshSession',
  'requestPasswordReset',
  'resetPassword',
  'acceptInvitation',
]);

export const RATE_LIMIT_TABLE = 'rate_limit';

export type LimiterName = 'auth' | 'general' | 'uploads';

export type RateLimitStore = { kind: 'postgres'; pool: Pool } | { kind: 'redis'; client: Redis };

export function rateLimitedError(retryAfterSeconds: number): DomainError {
  const retryAfter = Math.max(1, Math.ceil(retryAfterSeconds));
  return new DomainError('RATE_LIMITED', `Too many requests; try again in ${retryAfter} s`, {
    retryAfter,
    // Read and removed by Apollo Server: the response's status and headers.
    http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfter)]]) },
  });
}

export class RateLimits {
  private readonly limiters: Record<LimiterName, RateLimiterAbstract>;

  constructor(
    store: RateLimitStore,
    limits: Config['rateLimits'],
    private readonly metrics: Metrics,
  ) {
    const make = (name: LimiterName, points: number): RateLimiterAbstract => {
      const base = { keyPrefix: name, points, duration: limits.windowSeconds };
      const insuranceLimiter = new RateLimiterMemory(base);
      if (store.kind === 'redis') return new RateLimiterRedis({ ...base, storeClient: store.client, insuranceLimiter });
      return new RateLimiterPostgres({
        ...base,
        storeClient: store.pool,
        storeType: 'pool',
        tableName: RATE_LIMIT_TABLE,
        tableCreated: true,
        // One sweeper of expired rows is enough: they share the table.
        clearExpiredByTimeout: name === 'general',
        insuranceLimiter,
      });
    };
    this.limiters = { auth: make('auth', limits.auth), general: make('general', limits.general), uploads: make('uploads', limits.uploads) };
  }

  /** Takes one point from `key` in `limiter`, or throws RATE_LIMITED. */
  async consume(limiter: LimiterName, key: string): Promise<void> {
    try {
      await this.limiters[limiter].consume(key);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        this.metrics.rateLimited.inc({ limiter });
        throw rateLimitedError(rejection.msBeforeNext / 1000);
      }
      throw rejection;
    }
  }
}

/** The key of the caller: the user when signed in, else the client IP. */
export function callerKey(caller: { viewer: { userId: string } | null; ip: string | null }): string {
  return caller.viewer ? `user:${caller.viewer.userId}` : `ip:${caller.ip ?? 'unknown'}`;
}

/** For the files module: one upload by the caller, or RATE_LIMITED. */
export function consumeUploadLimit(ctx: {
  viewer: { userId: string } | null;
  ip: string | null;
  app: { rateLimits: RateLimits };
}): Promise<void> {
  return ctx.app.rateLimits.consume('uploads', callerKey(ctx));
}
