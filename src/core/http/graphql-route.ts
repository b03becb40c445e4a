/**
 * POST /graphql on node:http, ahead of Express: the request nearly every operation is, served
 * without Express's router and response helpers and without @as-integrations/express5 (on the
 * deal-list benchmark those cost ≈ 12 % of a request's CPU). It is otherwise the Express route:
 * the same body parser (express.json: limit, inflation, charsets), the same context, request
 * tracking and error answers (passed in by server.ts). Every other request for /graphql (GET
 * queries, the GraphiQL page, a path below it) goes on to Express, whose route serves it as before.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

export interface GraphqlRouteOptions<C extends BaseContext> {
  /** Sets `req.body` (express.json). */
  parseBody: Middleware;
  /** Request id, metrics and log line, as for every route; returns the request id. */
  track(req: IncomingMessage, res: ServerResponse): string;
  context(req: IncomingMessage, requestId: string): Promise<C>;
  /** Answers a body parser's error, or an unexpected one. */
  fail(res: ServerResponse, err: unknown, requestId: string): void;
}

/** The handler: true when it took the request, false when Express is to serve it. */
export function graphqlPostRoute<C extends BaseContext>(apollo: ApolloServer<C>, opts: GraphqlRouteOptions<C>): (req: IncomingMessage, res: ServerResponse) => boolean {
  apollo.assertStarted('graphqlPostRoute()');

  async function execute(req: IncomingMessage & { body?: unknown }, res: ServerResponse, requestId: string): Promise<void> {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const query = req.url!.indexOf('?');
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: 'POST', headers, search: query < 0 ? '' : req.url!.slice(query), body: req.body },
      context: () => opts.context(req, requestId),
    });
    res.statusCode = response.status ?? 200;
    for (const [key, value] of response.headers) res.setHeader(key, value);
    if (response.body.kind === 'complete') {
      res.setHeader('content-length', Buffer.byteLength(response.body.string));
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  return (req, res) => {
    if (req.method !== 'POST' || !(req.url === '/graphql' || req.url!.startsWith('/graphql?'))) return false;
    const requestId = opts.track(req, res);
    opts.parseBody(req, res, (err) => {
      if (err) opts.fail(res, err, requestId);
      else execute(req, res, requestId).catch((error: unknown) => opts.fail(res, error, requestId));
    });
    return true;
  };
}
