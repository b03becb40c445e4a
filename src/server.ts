/**
 * The HTTP server: GraphQL (Apollo Server 5 on Express 5) on /graphql, subscriptions over
 * graphql-ws on the same path, the GraphiQL explorer, the JWKS endpoint, health and metrics. One
 * transaction per request; one that may have written is committed before the response leaves
 * (one that only read is committed by the next request, see RequestDb). Stopping closes
 * WebSockets and drains in-flight requests (hooked into the app's shutdown sequence as
 * `listeners`).
 */
import 'reflect-metadata';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { GraphQLError } from 'graphql';
import { createRequestContext, type AppDeps, type RequestContext } from './core/context/request-context';
import { DomainError, formatError } from './core/errors';
import { mountGraphiql } from './core/http/graphiql';
import { protectionParseOptions, protectionRules } from './core/http/protection';
import { attachSubscriptionServer, type SubscriptionServer } from './core/http/websocket';
import { observabilityPlugin, rateLimitPlugin } from './core/http/graphql-plugins';
import { mountHealthRoutes } from './core/http/health-routes';
import { jitGateway } from './core/http/jit-executor';
import { buildSchema } from './schema/build-schema';
import { httpRoutes } from './resolvers';

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
  const app = express();
  app.disable('x-powered-by');
  // An ETag hashes every response body; GraphQL answers POSTs, which no cache revalidates.
  app.set('etag', false);
  app.set('trust proxy', 'loopback');
  app.use(requestTracking(deps, () => draining));
  mountHealthRoutes(app, deps.health);
  app.get('/metrics', async (_req, res) => {
    const { contentType, body } = await metrics.expose();
    res.type(contentType).send(body);
  });
  app.get('/.well-known/jwks.json', (_req, res) => res.json(deps.keyRing.jwks()));
  if (config.graphiql) mountGraphiql(app);
  for (const mount of httpRoutes) mount(app, deps);
  app.use(
    '/graphql',
    (_req, res, next) => {
      res.locals.route = '/graphql';
      next();
    },
    // The media type checked without a full content-type parse (Apollo parses it again anyway).
    express.json({ limit: config.bodyLimitBytes, type: (req) => JSON_MEDIA_TYPE.test(req.headers['content-type'] ?? '') }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const requestId = res.locals.requestId as string;
        try {
          // The jit executor runs every operation as a confirmed viewer: the viewer may be assumed.
          return await createRequestContext(
            deps,
            { authorization: req.headers.authorization, ip: req.ip ?? null, userAgent: req.headers['user-agent'] ?? null, requestId },
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
      },
    }),
  );
  app.use(httpErrors(deps));

  const httpServer = http.createServer(app);
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
 * Routes are labelled by their pattern (`res.locals.route` overrides), never by the raw URL.
 */
function requestTracking(deps: AppDeps, draining: () => boolean): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    const requestId = requestIdOf(req.headers['x-request-id']);
    res.locals.requestId = requestId;
    res.setHeader('x-request-id', requestId);
    // While draining, answer and then close the connection instead of keeping it alive.
    if (draining()) res.setHeader('connection', 'close');
    res.on('finish', () => {
      const route = (res.locals.route as string | undefined) ?? (req.route ? `${req.baseUrl}${req.route.path}` : 'unmatched');
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
    next();
  };
}

/** Body parser and unexpected errors, answered as GraphQL-shaped JSON. */
function httpErrors(deps: AppDeps): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const requestId = res.locals.requestId as string | undefined;
    const type = (err as { type?: string }).type;
    if (type === 'entity.too.large') {
      res.status(413).json({
        errors: [{ message: `Request body too large (limit ${deps.config.bodyLimitBytes} bytes)`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }],
      });
      return;
    }
    if (type === 'entity.parse.failed' || type === 'encoding.unsupported' || type === 'charset.unsupported') {
      res.status(400).json({ errors: [{ message: 'Malformed request body', extensions: { code: 'BAD_REQUEST' } }] });
      return;
    }
    deps.log.error({ requestId, err, path: req.path }, 'unhandled HTTP error');
    res.status(500).json({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
  };
}
