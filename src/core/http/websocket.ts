/**
 * GraphQL over WebSocket (graphql-ws, protocol graphql-transport-ws) on the HTTP server's
 * /graphql path. The socket authenticates once (connectionParams.authorization = "Bearer …",
 * otherwise close 4403) with the same context builder as HTTP; then every operation gets its
 * own RequestContext, parsed and validated under the same limits as HTTP.
 *
 * Subscriptions: the root field's shield rule runs before the stream starts (schema/build-schema
 * guards `subscribe`); each event then runs in a fresh context built from the subscriber's
 * CURRENT viewer (re-resolved, cached for WS_PERMISSION_CACHE_MS across the process), so shield
 * checks the field again per event and no transaction outlives its event. A lost session or
 * membership closes the socket (4403); a lost permission ends the subscription with FORBIDDEN.
 */
import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import { CloseCode, type ConnectionInitMessage } from 'graphql-ws';
import type { Context as WsContext } from 'graphql-ws';
import {
  createSourceEventStream,
  execute,
  getOperationAST,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { decodeJwt } from 'jose';
import {
  createRequestContext,
  refreshContext,
  type AppDeps,
  type RequestContext,
  type Viewer,
} from '../context/request-context';
import { RequestDb } from '../orm/request-db';
import { DomainError, formatError, unauthenticated } from '../errors';
import { consumeOperationLimits } from './graphql-plugins';
import { protectionParseOptions, protectionRules } from './protection';

type Extra = { socket: import('ws').WebSocket; request: http.IncomingMessage };
type Ctx = WsContext<ConnectionInitMessage['payload'], Extra>;

interface Claims {
  userId: string;
  sessionId: string;
  organizationId?: string;
}

interface Connection {
  authorization: string;
  claims: Claims;
  ip: string | null;
  userAgent: string | null;
  socket: import('ws').WebSocket;
  expiry?: NodeJS.Timeout;
}

export interface SubscriptionServer {
  /** Open WebSocket connections (for metrics). */
  connectionCount(): number;
  /** Closes every socket (1001 going away) and stops accepting new ones. */
  dispose(): Promise<void>;
}

/** Re-resolved viewers, shared by every socket of the same session, trusted for `ttlMs`. */
class ViewerCache {
  private readonly entries = new Map<string, { at: number; viewer: Promise<Viewer | null> }>();

  constructor(
    private readonly deps: AppDeps,
    private readonly ttlMs: number,
  ) {}

  get(claims: Claims): Promise<Viewer | null> {
    const key = `${claims.sessionId}:${claims.organizationId ?? ''}`;
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.viewer;
    if (this.entries.size > 10_000) {
      for (const [k, e] of this.entries) if (now - e.at >= this.ttlMs) this.entries.delete(k);
    }
    const viewer = this.resolve(claims);
    this.entries.set(key, { at: now, viewer });
    viewer.catch(() => this.entries.delete(key));
    return viewer;
  }

  private async resolve(claims: Claims): Promise<Viewer | null> {
    const db = new RequestDb(this.deps.orm, { organizationId: claims.organizationId ?? null, userId: claims.userId });
    try {
      return await this.deps.resolveViewer(db, claims);
    } finally {
      await db.finish(true);
    }
  }
}

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

/** A root-field denial raised by shield for one event: the subscriber lost access. */
function lostAccess(result: ExecutionResult): GraphQLError | undefined {
  return result.errors?.find(
    (e) => e.path?.length === 1 && (e.extensions?.code === 'FORBIDDEN' || e.extensions?.code === 'UNAUTHENTICATED'),
  );
}

export function attachSubscriptionServer(httpServer: http.Server, schema: GraphQLSchema, deps: AppDeps): SubscriptionServer {
  const { config } = deps;
  const limits = config.websocket;
  const rules = [...specifiedRules, ...protectionRules(config)];
  const parseOptions = protectionParseOptions(config);
  const viewers = new ViewerCache(deps, limits.permissionCacheMs);
  const connections = new WeakMap<object, Connection>();
  const operationConnection = new WeakMap<RequestContext, Connection>();
  const format = (errors: readonly GraphQLError[]) => errors.map((e) => formatError(e.toJSON(), e));

  const wss = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: limits.maxPayloadBytes });

  const closeForbidden = (conn: Connection, reason: string) => {
    if (conn.socket.readyState === conn.socket.OPEN) conn.socket.close(CloseCode.Forbidden, reason);
  };

  /**
   * Maps source events to results like graphql-js's subscribe, with the per-event checks in
   * between. A plain iterator, not an async generator: `return()` must stop the source at once
   * even while it waits for the next event, or a completed subscription would leak its listener.
   */
  function liveEvents(source: AsyncIterable<unknown>, args: ExecutionArgs, conn: Connection, base: RequestContext): AsyncGenerator<ExecutionResult> {
    const iterator = source[Symbol.asyncIterator]();
    const stop = async () => {
      await iterator.return?.();
      return { value: undefined, done: true } as const;
    };
    const toResult = async (event: unknown): Promise<ExecutionResult> => {
      const viewer = await viewers.get(conn.claims);
      if (!viewer) {
        closeForbidden(conn, 'Session ended');
        throw unauthenticated('Session expired or revoked');
      }
      const eventCtx = refreshContext(base, viewer);
      let result: ExecutionResult;
      try {
        result = await execute({ ...args, rootValue: event, contextValue: eventCtx });
      } finally {
        await eventCtx.db.finish(true);
      }
      const denial = lostAccess(result);
      if (denial) throw denial;
      return result;
    };
    const live: AsyncGenerator<ExecutionResult> = {
      async next() {
        const step = await iterator.next();
        if (step.done) return { value: undefined, done: true };
        try {
          return { value: await toResult(step.value), done: false };
        } catch (err) {
          await stop();
          throw err;
        }
      },
      return: stop,
      async throw(err: unknown) {
        await stop();
        throw err;
      },
      [Symbol.asyncIterator]() {
        return live;
      },
      async [Symbol.asyncDispose]() {
        await stop();
      },
    };
    return live;
  }

  const server = useServer<ConnectionInitMessage['payload'], Extra>(
    {
      schema,
      connectionInitWaitTimeout: 5_000,
      onConnect: async (ctx: Ctx) => {
        const authorization = ctx.connectionParams?.authorization;
        if (typeof authorization !== 'string' || !authorization.trim()) return false;
        const { socket, request } = ctx.extra;
        const ip = request.socket.remoteAddress ?? null;
        const userAgent = request.headers['user-agent'] ?? null;
        let opCtx: RequestContext;
        try {
          opCtx = await createRequestContext(deps, { authorization, ip, userAgent });
        } catch {
          return false;
        }
        await opCtx.db.finish(true);
        const viewer = opCtx.viewer;
        if (!viewer) return false;
        const conn: Connection = {
          authorization,
          claims: { userId: viewer.userId, sessionId: viewer.sessionId, organizationId: viewer.organizationId ?? undefined },
          ip,
          userAgent,
          socket,
        };
        // The socket lives as long as its access token: the client reconnects with a fresh one.
        const exp = decodeJwt(authorization.replace(/^Bearer\s+/i, '')).exp;
        if (exp) {
          conn.expiry = setTimeout(() => closeForbidden(conn, 'Access token expired'), Math.max(0, exp * 1000 - Date.now()));
          conn.expiry.unref();
        }
        connections.set(ctx, conn);
        return true;
      },
      onClose: (ctx: Ctx) => {
        const conn = connections.get(ctx);
        if (conn?.expiry) clearTimeout(conn.expiry);
      },
      onSubscribe: async (ctx: Ctx, _id, payload) => {
        const conn = connections.get(ctx);
        if (!conn) return [unauthenticated()];
        // The new operation is already registered in ctx.subscriptions.
        if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptionsPerSocket) {
          return [
            new GraphQLError(`At most ${limits.maxSubscriptionsPerSocket} operations may be open on one connection`, {
              extensions: { code: 'BAD_REQUEST' },
            }),
          ];
        }
        let document: DocumentNode;
        try {
          document = parse(payload.query, parseOptions);
        } catch (err) {
          const message = err instanceof GraphQLError ? err.message : 'Invalid query';
          return [new GraphQLError(message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
        }
        const invalid = validate(schema, document, rules);
        if (invalid.length) {
          return invalid.map((e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
        }
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) {
          return [new GraphQLError('Unable to identify the operation', { extensions: { code: 'BAD_REQUEST' } })];
        }
        let opCtx: RequestContext;
        try {
          opCtx = await createRequestContext(deps, { authorization: conn.authorization, ip: conn.ip, userAgent: conn.userAgent, requestId: randomUUID() });
        } catch {
          closeForbidden(conn, 'Session ended');
          return [unauthenticated('Session expired or revoked')];
        }
        // The same rate limits as over HTTP: every operation counts, auth fields per IP and email.
        try {
          await consumeOperationLimits(deps.rateLimits, { ctx: opCtx, schema, document, operation, variables: payload.variables ?? {} });
        } catch (err) {
          await opCtx.db.finish(false);
          if (err instanceof DomainError) return [err];
          throw err;
        }
        operationConnection.set(opCtx, conn);
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: opCtx,
        };
      },
      // Queries and mutations: one transaction per operation, as over HTTP.
      execute: async (args: ExecutionArgs) => {
        const opCtx = args.contextValue as RequestContext;
        try {
          return await execute(args);
        } finally {
          await opCtx.db.finish(true);
        }
      },
      subscribe: async (args: ExecutionArgs) => {
        const opCtx = args.contextValue as RequestContext;
        let source: AsyncIterable<unknown> | ExecutionResult;
        try {
          source = await createSourceEventStream(args);
        } finally {
          // Authorizing and starting the stream may have read the database: done with it.
          await opCtx.db.finish(true);
        }
        if (!isAsyncIterable(source)) return source;
        return liveEvents(source, args, operationConnection.get(opCtx)!, opCtx);
      },
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: format(result.errors) } : undefined),
      onError: (_ctx, _id, _payload, errors) => format(errors),
    },
    wss,
  );

  return {
    connectionCount: () => wss.clients.size,
    dispose: async () => {
      await server.dispose();
    },
  };
}
