/**
 * Executes HTTP operations with graphql-jit instead of graphql-js: each distinct operation is
 * compiled once into a JavaScript function (≈10× less work per field than the interpreter), then
 * reused. Apollo accepts an alternative executor only through its gateway interface, so this is a
 * gateway over the one local schema. Parsing, validation (depth, cost, introspection limits),
 * plugins and error formatting stay Apollo's; the resolvers, and the shield rules wrapped around
 * them, are the same functions graphql-js would call. (Subscriptions run on graphql-ws with
 * graphql-js: Apollo refuses them over HTTP.)
 */
import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { GraphQLError, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';

/** Distinct operations kept compiled; a client sending endless variants only recompiles. */
const COMPILED_OPERATIONS = 1000;

export function jitExecutor(schema: GraphQLSchema): GatewayExecutor {
  const compiled = new LRUCache<string, CompiledQuery>({ max: COMPILED_OPERATIONS });
  return async (request) => {
    if (request.operation.operation === 'subscription') {
      return { errors: [new GraphQLError('Subscriptions are served over WebSocket (graphql-ws) on this path', { extensions: { code: 'BAD_REQUEST' } })] };
    }
    const key = `${request.queryHash}:${request.operationName ?? ''}`;
    let query = compiled.get(key);
    if (!query) {
      const compiledOrErrors = compileQuery(schema, request.document, request.operationName ?? undefined, { disablingCapturingStackErrors: true });
      if (!isCompiledQuery(compiledOrErrors)) return compiledOrErrors as ExecutionResult;
      query = compiledOrErrors;
      compiled.set(key, query);
    }
    const result = await query.query(undefined, request.context, request.request.variables ?? {});
    return result.errors ? { ...result, errors: result.errors.map(asGraphqlJsError) } : result;
  };
}

/**
 * graphql-jit's errors copy `extensions` from the error a resolver threw, and have none when it
 * had none (a driver error); Apollo and formatError expect graphql-js errors, whose extensions
 * are always an object. Same message, path, locations and original error.
 */
function asGraphqlJsError(error: GraphQLError): GraphQLError {
  if (error.extensions) return error;
  const copy = new GraphQLError(error.message, { path: error.path, originalError: error.originalError ?? undefined });
  return Object.assign(copy, { locations: error.locations });
}

/** The gateway Apollo loads: the local schema, executed by jitExecutor. */
export function jitGateway(schema: GraphQLSchema): GatewayInterface {
  return {
    async load() {
      return { executor: jitExecutor(schema) };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => undefined;
    },
    async stop() {},
  };
}
