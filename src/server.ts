/**
 * The HTTP server: GraphQL (Apollo Server 5 on Express 5) on /graphql, subscriptions over
 * graphql-ws on the same path, the GraphiQL explorer, the JWKS endpoint and liveness. One
 * transaction per request is committed before the response leaves (see RequestDb).
 */
import 'reflect-metadata';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import express from 'express';
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
import { buildSchema } from './schema/build-schema';

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
  close(): Promise<void>;
}

export async function startServer(deps: AppDeps, opts: { port?: number; host?: string } = {}): Promise<RunningServer> {
  const { config } = deps;
  const schema = await buildSchema();
  const apollo = new ApolloServer<RequestContext>({
    schema,
    introspection: config.introspection,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    hideSchemaDetailsFromClientErrors: true,
    validationRules: protectionRules(config),
    parseOptions: protectionParseOptions(config),
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) => formatError(formatted, error),
    plugins: [ApolloServerPluginCacheControlDisabled(), ApolloServerPluginLandingPageDisabled(), transactionPerRequest],
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.get('/health', (_req, res) => res.json({ status: 'ok' }));
  app.get('/.well-known/jwks.json', (_req, res) => res.json(deps.keyRing.jwks()));
  if (config.graphiql) mountGraphiql(app);
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        try {
          return await createRequestContext(deps, {
            authorization: req.headers.authorization,
            ip: req.ip ?? null,
            userAgent: req.headers['user-agent'] ?? null,
            requestId: (req.headers['x-request-id'] as string | undefined)?.slice(0, 100) ?? randomUUID(),
          });
        } catch (err) {
          if (err instanceof DomainError) {
            throw new GraphQLError(err.message, { extensions: { code: err.code, http: { status: 401 } } });
          }
          throw err;
        }
      },
    }),
  );

  const httpServer = http.createServer(app);
  const subscriptions = attachSubscriptionServer(httpServer, schema, deps);
  await new Promise<void>((resolve) => httpServer.listen(opts.port ?? config.port, opts.host ?? config.host, resolve));
  const port = (httpServer.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    port,
    httpServer,
    subscriptions,
    async close() {
      await subscriptions.dispose();
      await apollo.stop();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
