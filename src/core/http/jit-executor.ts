/**
 * Executes HTTP operations with graphql-jit instead of graphql-js: each distinct operation is
 * compiled once into a JavaScript function (≈10× less work per field than the interpreter), then
 * reused. Apollo accepts an alternative executor only through its gateway interface, so this is a
 * gateway over the one local schema. Parsing, validation (depth, cost, introspection limits),
 * plugins and error formatting stay Apollo's; the resolvers, and the shield rules wrapped around
 * them, are the same functions graphql-js would call. (Subscriptions run on graphql-ws with
 * graphql-js: Apollo refuses them over HTTP.)
 *
 * Every operation runs through runAsConfirmedViewer: the HTTP context may assume its viewer, and
 * nothing of the operation is answered until the database has confirmed it.
 *
 * Variables are coerced by graphql-js, not by graphql-jit: jit inlines the parsing of input types
 * into generated code and never terminates on a recursive one (every filter with `and`/`or`). The
 * operation jit compiles declares each variable as a pass-through scalar instead.
 */
import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import {
  GraphQLError,
  GraphQLScalarType,
  GraphQLSchema,
  Kind,
  visit,
  type DocumentNode,
  type ExecutionResult,
  type OperationDefinitionNode,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';
import { runAsConfirmedViewer, type RequestContext } from '../context/request-context';
import { DomainError } from '../errors';

/** Distinct operations kept compiled; a client sending endless variants only recompiles. */
const COMPILED_OPERATIONS = 1000;

/** The declared type of every variable in compiled operations: values arrive coerced already. */
const COERCED = new GraphQLScalarType({
  name: 'JitCoercedVariable',
  serialize: (value) => value,
  parseValue: (value) => value,
});

function withCoercedVariables(document: DocumentNode): DocumentNode {
  return visit(document, {
    VariableDefinition: (node) => ({ ...node, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: COERCED.name } }, defaultValue: undefined }),
  });
}

interface Compiled {
  query: CompiledQuery;
  operation: OperationDefinitionNode;
}

export function jitExecutor(schema: GraphQLSchema): GatewayExecutor {
  // The same types (resolvers, shield) plus the pass-through scalar, only ever seen by jit.
  const config = schema.toConfig();
  const jitSchema = new GraphQLSchema({ ...config, types: [...config.types, COERCED] });
  const compiled = new LRUCache<string, Compiled>({ max: COMPILED_OPERATIONS });
  return async (request) => {
    if (request.operation.operation === 'subscription') {
      return { errors: [new GraphQLError('Subscriptions are served over WebSocket (graphql-ws) on this path', { extensions: { code: 'BAD_REQUEST' } })] };
    }
    const key = `${request.queryHash}:${request.operationName ?? ''}`;
    let entry = compiled.get(key);
    if (!entry) {
      const compiledOrErrors = compileQuery(jitSchema, withCoercedVariables(request.document), request.operationName ?? undefined, {
        disablingCapturingStackErrors: true,
      });
      if (!isCompiledQuery(compiledOrErrors)) return compiledOrErrors as ExecutionResult;
      entry = { query: compiledOrErrors, operation: request.operation };
      compiled.set(key, entry);
    }
    const variables = getVariableValues(schema, entry.operation.variableDefinitions ?? [], request.request.variables ?? {});
    if (variables.errors) return { errors: variables.errors };
    const { query } = entry;
    let result: ExecutionResult;
    try {
      result = await runAsConfirmedViewer(request.context as RequestContext, request.operation.operation, async (ctx) => query.query(undefined, ctx, variables.coerced));
    } catch (err) {
      if (err instanceof DomainError) return { errors: [err] };
      throw err;
    }
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
  return localGateway(schema, jitExecutor(schema));
}

/** A gateway over one local schema: Apollo's only hook for an executor of our own. */
export function localGateway(schema: GraphQLSchema, executor: GatewayExecutor): GatewayInterface {
  return {
    async load() {
      return { executor };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => undefined;
    },
    async stop() {},
  };
}
