/**
 * The context every resolver, service, job and subscription receives first. HTTP requests and
 * WebSocket operations build it in one function (createRequestContext); jobs rebuild it from
 * their `{ tenantId, actorId }` payload.
 */
import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../../config';
import type { KeyRing } from '../auth/access-tokens';
import type { SecretBox } from '../auth/secret-box';
import type { Messenger } from '../messaging/outbound';
import type { ObjectStorage } from '../storage/object-storage';
import type { TenantPubSub } from '../pubsub';
import type { JobQueue } from '../jobs/job-queue';
import { DomainError, unauthenticated } from '../errors';
import type { Loaders } from '../orm/loaders';
import { RequestDb, type DbScope } from '../orm/request-db';
import type { RateLimits } from '../http/rate-limits';
import type { ShutdownSequence } from '../lifecycle/shutdown';
import type { HealthRegistry } from '../observability/health';
import { requestLogger, type Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';

/** The caller. Read-only: requests of the same session may share one (see ViewerAssumer). */
export interface Viewer {
  readonly userId: string;
  readonly sessionId: string;
  readonly organizationId: string | null;
  readonly membershipId: string | null;
  /** Grants of the membership's roles, e.g. `member:invite`, `lead:read:own`. */
  readonly permissions: ReadonlySet<string>;
  readonly isPlatformOperator: boolean;
}

export interface RequestContext {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  viewer: Viewer | null;
  db: RequestDb;
  loaders: Loaders;
  app: AppDeps;
  /** The request's logger: every line carries requestId, organizationId and userId. */
  log: Logger;
}

/** Who a verified access token names. */
export interface ViewerClaims {
  userId: string;
  sessionId: string;
  organizationId?: string;
}

/** Loads who is calling from verified token claims (opening the request with that lookup); provided by the identity domain. */
export type ViewerResolver = (db: RequestDb, claims: ViewerClaims) => Promise<Viewer | null>;

/**
 * The caller as this session last resolved, assumed for a request (RequestDb.assume: the same
 * lookup goes with the request's first statements and must confirm it), or null when the session
 * has not been seen; provided by the identity domain.
 */
export type ViewerAssumer = (db: RequestDb, claims: ViewerClaims) => Viewer | null;

export interface AppDeps {
  config: Config;
  orm: MikroORM;
  keyRing: KeyRing;
  resolveViewer: ViewerResolver;
  assumeViewer: ViewerAssumer;
  messenger: Messenger;
  /** Encrypts secrets at rest (ENCRYPTION_KEY, or generated under DATA_DIR outside production). */
  secretBox: SecretBox;
  /** The process's root logger; requests log through `ctx.log`. */
  log: Logger;
  metrics: Metrics;
  /** Readiness checks: `health.register('queue', async () => ...)` (GET /health/<name>). */
  health: HealthRegistry;
  /** `shutdown.hook(phase, name, fn)`: closed in order on SIGTERM/SIGINT (src/core/lifecycle/shutdown.ts). */
  shutdown: ShutdownSequence;
  rateLimits: RateLimits;
  /** File bytes: local disk under DATA_DIR/files, or S3 when configured (src/core/storage). */
  storage: ObjectStorage;
  /** HMAC key of signed file URLs (FILE_URL_SECRET, generated into DATA_DIR outside production). */
  fileUrlSecret: string;
  /** Tenant-scoped subscription events (core/pubsub): in-process, or Redis when REDIS_URL is set. */
  pubsub: TenantPubSub;
  /** Where jobs are enqueued (see core/jobs: enqueueJob). */
  jobs: JobQueue;
}

export interface RequestInfo {
  authorization?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
}

/**
 * A request's context. The logger is made on first use (most requests log nothing at the
 * configured level, and a child logger costs ≈0.25 ms); it is a getter on the prototype because
 * Apollo Server copies the context's own properties into a new object for each operation.
 */
class Context implements RequestContext {
  private logger?: Logger;

  constructor(
    readonly app: AppDeps,
    readonly db: RequestDb,
    readonly viewer: Viewer | null,
    readonly requestId: string,
    readonly ip: string | null,
    readonly userAgent: string | null,
  ) {}

  /** The request's loaders are its database's: they start over with it (RequestDb.restart). */
  get loaders(): Loaders {
    return this.db.loaders;
  }

  get log(): Logger {
    return (this.logger ??= requestLogger(this.app.log, {
      requestId: this.requestId,
      organizationId: this.viewer?.organizationId ?? this.db.organizationId ?? null,
      userId: this.viewer?.userId ?? this.db.userId ?? null,
    }));
  }
}

/** The one builder of contexts: HTTP, WebSocket, signed-URL and job contexts differ only in these parts. */
export function buildContext(app: AppDeps, db: RequestDb, viewer: Viewer | null, info: RequestInfo = {}): RequestContext {
  return new Context(app, db, viewer, info.requestId ?? randomUUID(), info.ip ?? null, info.userAgent ?? null);
}

export function createAnonymousContext(app: AppDeps, info: RequestInfo = {}): RequestContext {
  return buildContext(app, new RequestDb(app.orm, {}), null, info);
}

/**
 * A context without a viewer whose database is scoped to one organization (and acting user):
 * for requests authorized by something other than a token, such as a verified signed URL.
 */
export function createScopedContext(app: AppDeps, scope: DbScope, info: RequestInfo = {}): RequestContext {
  return buildContext(app, new RequestDb(app.orm, scope), null, info);
}

/**
 * The context a job runs in: its database scoped to the tenant and actor that enqueued it (RLS
 * and the tenant filter apply as in the request), committed when the run ends. There is no
 * viewer: the job was authorized when it was enqueued. A system job gets no tenant at all.
 */
export function createJobContext(app: AppDeps, scope: { tenantId: string | null; actorId: string | null; jobId: string }): RequestContext {
  return createScopedContext(app, { organizationId: scope.tenantId, userId: scope.actorId }, { requestId: `job:${scope.jobId}` });
}

/**
 * Verifies the bearer token (if any) and builds the context scoped to the token's organization.
 * `assumeKnownViewer`: a session seen before gets its viewer as last resolved, without a round
 * trip, to be confirmed by the request's first one: only for callers that run the operation
 * through runAsConfirmedViewer.
 */
export async function createRequestContext(app: AppDeps, info: RequestInfo, opts: { assumeKnownViewer?: boolean } = {}): Promise<RequestContext> {
  const header = info.authorization?.trim();
  if (!header) return createAnonymousContext(app, info);
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw unauthenticated('Authorization header must be "Bearer <token>"');
  const claims = await app.keyRing.verify(match[1]);
  const db = new RequestDb(app.orm, { organizationId: claims.org ?? null, userId: claims.sub });
  const caller: ViewerClaims = { userId: claims.sub, sessionId: claims.sid, organizationId: claims.org };
  const viewer = (opts.assumeKnownViewer ? app.assumeViewer(db, caller) : null) ?? (await app.resolveViewer(db, caller));
  if (!viewer) {
    await db.finish(true);
    throw sessionEnded();
  }
  return buildContext(app, db, viewer, info);
}

/**
 * A fresh context for the same caller with `viewer` as now resolved: its own RequestDb (no
 * transaction until used) and loaders. Each subscription event runs in one, so no transaction
 * stays open for the life of a subscription and every event sees the caller's current grants.
 * Built anew, not spread from `ctx`: graphql-shield caches rule results on the context object.
 */
export function refreshContext(ctx: RequestContext, viewer: Viewer): RequestContext {
  const db = new RequestDb(ctx.app.orm, { organizationId: viewer.organizationId, userId: viewer.userId });
  return buildContext(ctx.app, db, viewer, { requestId: ctx.requestId, ip: ctx.ip, userAgent: ctx.userAgent });
}

/**
 * Runs an operation (`run`, given the context to run with) on a context whose viewer may be
 * assumed (createRequestContext with assumeKnownViewer). A query runs at once, its reads going
 * with the request's opening statement, and its result stands only once the database has
 * confirmed the viewer; anything else runs after the confirmation. A viewer the database refutes
 * is resolved again in a new transaction and the operation runs again as that viewer: nothing of
 * the first run is kept (its reads were withheld, its transaction rolled back). A session that
 * has ended meanwhile is UNAUTHENTICATED (HTTP 401), as it is for a context that resolved it.
 */
export async function runAsConfirmedViewer<R>(ctx: RequestContext, operation: 'query' | 'mutation' | 'subscription', run: (ctx: RequestContext) => Promise<R>): Promise<R> {
  if (operation === 'query') {
    const result = await run(ctx);
    if (await ctx.db.confirm()) return result;
  } else if (await ctx.db.confirm()) return run(ctx);
  await ctx.db.restart();
  const { userId, sessionId, organizationId } = requireViewer(ctx);
  const viewer = await ctx.app.resolveViewer(ctx.db, { userId, sessionId, organizationId: organizationId ?? undefined });
  if (!viewer) throw sessionEnded();
  return run(buildContext(ctx.app, ctx.db, viewer, ctx));
}

/** A token whose session no longer gives access (revoked, expired, membership ended). */
export const sessionEnded = () => new DomainError('UNAUTHENTICATED', 'Session expired or revoked', { http: { status: 401 } });

/** The viewer, or UNAUTHENTICATED. */
export function requireViewer(ctx: RequestContext): Viewer {
  if (!ctx.viewer) throw unauthenticated();
  return ctx.viewer;
}

/** The viewer's organization, or UNAUTHENTICATED when the viewer has none. */
export function requireTenant(ctx: RequestContext): string {
  const orgId = requireViewer(ctx).organizationId;
  if (!orgId) throw unauthenticated('Sign in to an organization first');
  return orgId;
}

/** The organization the context's database is scoped to (requests and tenant jobs alike), or an error. */
export function requireTenantScope(ctx: RequestContext): string {
  const orgId = ctx.db.organizationId;
  if (!orgId) throw new Error('Tenant context missing');
  return orgId;
}
