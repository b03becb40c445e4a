/**
 * The context every resolver, service, job and subscription receives first. HTTP requests and
 * WebSocket operations build it in one function (createRequestContext); jobs rebuild it from
 * their `{ tenantId, actorId }` payload.
 */
import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../../config';
import type { KeyRing } from '../auth/access-tokens';
import type { Messenger } from '../messaging/outbound';
import type { TenantPubSub } from '../pubsub';
import { unauthenticated } from '../errors';
import { Loaders } from '../orm/loaders';
import { RequestDb } from '../orm/request-db';

export interface Viewer {
  userId: string;
  sessionId: string;
  organizationId: string | null;
  membershipId: string | null;
  /** Grants of the membership's roles, e.g. `member:invite`, `lead:read:own`. */
  permissions: ReadonlySet<string>;
  isPlatformOperator: boolean;
}

export interface RequestContext {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  viewer: Viewer | null;
  db: RequestDb;
  loaders: Loaders;
  app: AppDeps;
}

/** Loads who is calling from verified token claims; provided by the identity domain. */
export type ViewerResolver = (
  db: RequestDb,
  claims: { userId: string; sessionId: string; organizationId?: string },
) => Promise<Viewer | null>;

export interface AppDeps {
  config: Config;
  orm: MikroORM;
  keyRing: KeyRing;
  resolveViewer: ViewerResolver;
  messenger: Messenger;
  /** Tenant-scoped subscription events (core/pubsub): in-process, or Redis when REDIS_URL is set. */
  pubsub: TenantPubSub;
}

export interface RequestInfo {
  authorization?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
}

export function createAnonymousContext(app: AppDeps, info: RequestInfo = {}): RequestContext {
  const db = new RequestDb(app.orm, {});
  return {
    requestId: info.requestId ?? randomUUID(),
    ip: info.ip ?? null,
    userAgent: info.userAgent ?? null,
    viewer: null,
    db,
    loaders: new Loaders(db),
    app,
  };
}

/** Verifies the bearer token (if any) and builds the context scoped to the token's organization. */
export async function createRequestContext(app: AppDeps, info: RequestInfo): Promise<RequestContext> {
  const header = info.authorization?.trim();
  if (!header) return createAnonymousContext(app, info);
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw unauthenticated('Authorization header must be "Bearer <token>"');
  const claims = await app.keyRing.verify(match[1]);
  const db = new RequestDb(app.orm, { organizationId: claims.org ?? null, userId: claims.sub });
  const viewer = await app.resolveViewer(db, { userId: claims.sub, sessionId: claims.sid, organizationId: claims.org });
  if (!viewer) {
    await db.finish(true);
    throw unauthenticated('Session expired or revoked');
  }
  return {
    requestId: info.requestId ?? randomUUID(),
    ip: info.ip ?? null,
    userAgent: info.userAgent ?? null,
    viewer,
    db,
    loaders: new Loaders(db),
    app,
  };
}

/**
 * A fresh context for the same caller with `viewer` as now resolved: its own RequestDb (no
 * transaction until used) and loaders. Each subscription event runs in one, so no transaction
 * stays open for the life of a subscription and every event sees the caller's current grants.
 */
export function refreshContext(ctx: RequestContext, viewer: Viewer): RequestContext {
  const db = new RequestDb(ctx.app.orm, { organizationId: viewer.organizationId, userId: viewer.userId });
  return { requestId: ctx.requestId, ip: ctx.ip, userAgent: ctx.userAgent, viewer, db, loaders: new Loaders(db), app: ctx.app };
}

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
