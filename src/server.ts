/**
 * The HTTP server: GraphQL (Apollo Server 5) on /graphql, its POSTs on node:http directly
 * (core/http/graphql-route.ts) and the rest on Express 5; subscriptions over graphql-ws on the
 * same path, the GraphiQL explorer, the JWKS endpoint, health and metrics. One transaction per
 * request; one that may have written is committed before the response leaves (one that only read
 * is committed by the next request, see RequestDb). Stopping closes WebSockets and drains
 * in-flight requests (hooked into the app's shutdown sequence as `listeners`).
 */
import 'reflect-metadata';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler } from 'express';
import proxyAddr from 'proxy-addr';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { GraphQLError } from 'graphql';
import { createRequestContext, type AppDeps, type RequestContext } from './core/context/request-context';
import { DomainError, formatError } from './core/errors';
import { mountGraphiql } from './core/http/graphiql';
import { graphqlPostRoute } from './core/http/graphql-route';
import { protectionParseOptions, protectionRules } from './core/http/protection';
import { attachSubscriptionServer, type SubscriptionServer } from './core/http/websocket';
import { observabilityPlugin, rateLimitPlugin } from './core/http/graphql-plugins';
import { mountHealthRoutes } from './core/http/health-routes';
import { jitGateway } from './core/http/jit-executor';
import { buildSchema } from './schema/build-schema';
import { httpRoutes } from './resolvers';

/** Proxies whose X-Forwarded-For is believed. */
const TRUSTED_PROXIES = 'loopback';

/** `application/json`, with or without parameters (charset), in any case. */
const JSON_MEDIA_TYPE = /^\s*application\/json\s*(;|$)/i;

const transactionPerRequest: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue }) {
        await contextValue.db.finish(true);
      },
    };
  },
};

export interface RunningServer {
  url: string;
  port: number;
  httpServer: http.Server;
  subscriptions: SubscriptionServer;
  /** Stops accepting, waits for in-flight requests (up to the shutdown timeout), stops Apollo. Idempotent. */
  close(): Promise<void>;
}

/** A client-supplied X-Request-Id is kept when it is a plain token; otherwise one is made. */
function requestIdOf(header: string | string[] | undefined): string {
  return typeof header === 'string' && /^[\w.:-]{1,100}$/.test(header) ? header : randomUUID();
}

export async function startServer(deps: AppDeps, opts: { port?: number; host?: string } = {}): Promise<RunningServer> {
  const { config, metrics } = deps;
  const schema = await buildSchema();
  const apollo = new ApolloServer<RequestContext>({
    gateway: jitGateway(schema),
    introspection: config.introspection,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    hideSchemaDetailsFromClientErrors: true,
    includeStacktraceInErrorResponses: false,
    // main.ts runs the shutdown sequence; Apollo stopping on its own would cut in-flight requests.
    stopOnTerminationSignals: false,
    parseOptions: protectionParseOptions(config),
    validationRules: protectionRules(config),
    formatError: (formatted, error) => formatError(formatted, error),
    plugins: [
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      observabilityPlugin(metrics),
      rateLimitPlugin(deps.rateLimits),
      transactionPerRequest,
    ],
  });
  await apollo.start();

  let draining = false;
  const track = requestTracking(deps, () => draining);
  // The client's address as Express gives it (req.ip): behind a proxy on loopback, X-Forwarded-For's.
  const trustProxy = proxyAddr.compile(TRUSTED_PROXIES);
  const context = async (req: IncomingMessage, requestId: string) => {
    try {
      // The jit executor runs every operation as a confirmed viewer: the viewer may be assumed.
      return await createRequestContext(
        deps,
        { authorization: req.headers.authorization, ip: proxyAddr(req, trustProxy) ?? null, userAgent: req.headers['user-agent'] ?? null, requestId },
        { assumeKnownViewer: true },
      );
    } catch (err) {
      if (err instanceof DomainError) {
        deps.log.info({ requestId, code: err.code }, 'request refused: %s', err.message);
        throw new GraphQLError(err.message, { extensions: { code: err.code, http: { status: 401 } } });
      }
      deps.log.error({ requestId, err }, 'request context failed');
      throw err;
    }
  };
  // The media type checked without a full content-type parse (Apollo parses it again anyway).
  const parseBody = express.json({ limit: config.bodyLimitBytes, type: (req) => JSON_MEDIA_TYPE.test(req.headers['content-type'] ?? '') });

  const app = express();
  app.disable('x-powered-by');
  // An ETag hashes every response body; GraphQL answers POSTs, which no cache revalidates.
  app.set('etag', false);
  app.set('trust proxy', TRUSTED_PROXIES);
  app.use((req, res, next) => {
    res.locals.requestId = track(req, res, () => (res.locals.route as string | undefined) ?? (req.route ? `${req.baseUrl}${req.route.path}` : 'unmatched'));
    next();
  });
  mountHealthRoutes(app, deps.health);
  app.get('/metrics', async (_req, res) => {
    const { contentType, body } = await metrics.expose();
    res.type(contentType).send(body);
  });
  app.get('/.well-known/jwks.json', (_req, res) => res.json(deps.keyRing.jwks()));
  if (config.graphiql) mountGraphiql(app);
  for (const mount of httpRoutes) mount(app, deps);
  // What graphqlPost leaves to Express: GET queries, POSTs to a path below /graphql.
  app.use(
    '/graphql',
    (_req, res, next) => {
      res.locals.route = '/graphql';
      next();
    },
    parseBody,
    expressMiddleware(apollo, { context: ({ req, res }) => context(req, res.locals.requestId as string) }),
  );
  const httpErrors: ErrorRequestHandler = (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const { status, body } = errorAnswer(deps, err, res.locals.requestId as string | undefined, req.path);
    res.status(status).json(body);
  };
  app.use(httpErrors);
  const graphqlPost = graphqlPostRoute(apollo, {
    parseBody,
    track: (req, res) => track(req, res, () => '/graphql'),
    context,
    fail(res, err, requestId) {
      if (res.headersSent) {
        deps.log.error({ requestId, err }, 'GraphQL response failed after its head was sent');
        res.destroy();
        return;
      }
      const { status, body } = errorAnswer(deps, err, requestId, '/graphql');
      res.statusCode = status;
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(JSON.stringify(body));
    },
  });

  const httpServer = http.createServer((req, res) => {
    if (!graphqlPost(req, res)) app(req, res);
  });
  const subscriptions = attachSubscriptionServer(httpServer, schema, deps);
  await new Promise<void>((resolve) => httpServer.listen(opts.port ?? config.port, opts.host ?? config.host, resolve));
  const port = (httpServer.address() as { port: number }).port;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      draining = true;
      await subscriptions.dispose();
      await drainHttp(httpServer, deps.shutdown.drainTimeoutMs, deps.log);
      await apollo.stop();
    })();
    return closing;
  };
  deps.shutdown.hook('listeners', 'http', close);

  return { url: `http://127.0.0.1:${port}/graphql`, port, httpServer, subscriptions, close };
}

/**
 * Stops accepting connections and waits for in-flight requests. Keep-alive connections are
 * closed as soon as they are idle; after `timeoutMs` the remaining ones are cut.
 */
async function drainHttp(server: http.Server, timeoutMs: number, log: AppDeps['log']): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
  const cut = setTimeout(() => {
    log.warn({ timeoutMs }, 'shutdown: cutting HTTP requests still in flight');
    server.closeAllConnections();
  }, timeoutMs);
  try {
    await closed;
  } finally {
    clearInterval(idleSweep);
    clearTimeout(cut);
  }
}

/**
 * Request id (X-Request-Id in and out), HTTP metrics by route, and one log line per non-GraphQL
 * request (GraphQL operations are logged by the observability plugin, with organization and user).
 * Routes are labelled by their pattern (`route`, read when the response has gone), never by the
 * raw URL. Returns the request id.
 */
function requestTracking(deps: AppDeps, draining: () => boolean) {
  return (req: IncomingMessage, res: ServerResponse, routeOf: () => string): string => {
    const started = performance.now();
    const requestId = requestIdOf(req.headers['x-request-id']);
    res.setHeader('x-request-id', requestId);
    // While draining, answer and then close the connection instead of keeping it alive.
    if (draining()) res.setHeader('connection', 'close');
    res.on('finish', () => {
      const route = routeOf();
      const seconds = (performance.now() - started) / 1000;
      deps.metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      deps.metrics.httpDuration.observe({ method: req.method, route }, seconds);
      if (route === '/graphql') return;
      const quiet = route.startsWith('/health') || route === '/metrics' || route.startsWith('/graphiql/');
      deps.log[quiet ? 'debug' : 'info'](
        { requestId, method: req.method, route, status: res.statusCode, durationMs: Math.round(seconds * 10_000) / 10 },
        'http request',
      );
    });
    return requestId;
  };
}

/** A body parser's error, or an unexpected one (logged here), as a GraphQL-shaped JSON answer. */
function errorAnswer(deps: AppDeps, err: unknown, requestId: string | undefined, path: string): { status: number; body: object } {
  const type = (err as { type?: string }).type;
  if (type === 'entity.too.large') {
    return {
      status: 413,
      body: { errors: [{ message: `Request body too large (limit ${deps.config.bodyLimitBytes} bytes)`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] },
    };
  }
  if (type === 'entity.parse.failed' || type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return { status: 400, body: { errors: [{ message: 'Malformed request body', extensions: { code: 'BAD_REQUEST' } }] } };
  }
  deps.log.error({ requestId, err, path }, 'unhandled HTTP error');
  return { status: 500, body: { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } };
}
