/**
 * Rate limits (rate-limiter-flexible), stored in PostgreSQL (table `rate_limit`, created by a
 * migration, written through a small pool of the app role's own so it never waits behind
 * request transactions) or in Redis when REDIS_URL is set. If the store fails, an in-memory
 * limiter of the same size takes over for this process rather than letting everything through.
 *
 *   auth     per operation field, IP and email: the fields in AUTH_OPERATION_FIELDS
 *   general  every GraphQL operation, per user (per IP when anonymous); counted in memory and
 *            written to the store in batches (AggregatedLimiter)
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

/** How often the general limit's locally counted points are written to the store. */
const GENERAL_FLUSH_MS = 50;

/**
 * The general limit counts every operation, and taking each point in the store would cost every
 * request a round trip and a committed write. Here points are counted in memory and added to the
 * store in one increment per caller every GENERAL_FLUSH_MS; the store's answer (the points of every
 * process) then replaces the local view. Within one process the count is exact; across processes
 * a caller can overshoot by what the other processes let through in the last GENERAL_FLUSH_MS.
 */
class AggregatedLimiter {
  /**
   * Per caller: `synced`, the store's count at its last answer; `sending`, points on their way to
   * the store (not in that count yet); `pending`, points taken since the last write.
   */
  private readonly callers = new Map<string, { synced: number; sending: number; pending: number; resetAt: number }>();
  private flushing?: NodeJS.Timeout;

  constructor(
    private readonly store: RateLimiterAbstract,
    private readonly points: number,
    private readonly windowMs: number,
  ) {}

  /** Takes a point, or throws the RateLimiterRes the store would have thrown. */
  consume(key: string): void {
    const now = Date.now();
    let caller = this.callers.get(key);
    // Points not yet written when their window ended belong to that window: they go with it.
    if (!caller || caller.resetAt <= now) this.callers.set(key, (caller = { synced: 0, sending: 0, pending: 0, resetAt: now + this.windowMs }));
    const taken = caller.synced + caller.sending + caller.pending;
    if (taken >= this.points) throw new RateLimiterRes(0, caller.resetAt - now, taken + 1, false);
    caller.pending += 1;
    this.flushing ??= setTimeout(() => this.flush(), GENERAL_FLUSH_MS).unref();
  }

  private flush(): void {
    this.flushing = undefined;
    const now = Date.now();
    for (const [key, caller] of this.callers) {
      if (!caller.pending) {
        if (caller.resetAt <= now && !caller.sending) this.callers.delete(key);
        continue;
      }
      const points = caller.pending;
      caller.pending = 0;
      caller.sending += points;
      this.store.penalty(key, points).then(
        (res) => {
          caller.sending -= points;
          // Answers can cross: an older, smaller count never lowers the view (erring strict).
          if (res.consumedPoints >= caller.synced) {
            caller.synced = res.consumedPoints;
            caller.resetAt = Date.now() + res.msBeforeNext;
          }
        },
        // The store fell back to its in-memory insurance limiter: keep counting these points here.
        () => {
          caller.sending -= points;
          caller.synced += points;
        },
      );
    }
  }
}

export class RateLimits {
  private readonly limiters: Record<LimiterName, RateLimiterAbstract>;
  private readonly general: AggregatedLimiter;

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
    this.general = new AggregatedLimiter(this.limiters.general, limits.general, limits.windowSeconds * 1000);
  }

  /** Takes one point from `key` in `limiter`, or throws RATE_LIMITED. */
  async consume(limiter: LimiterName, key: string): Promise<void> {
    try {
      if (limiter === 'general') this.general.consume(key);
      else await this.limiters[limiter].consume(key);
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
