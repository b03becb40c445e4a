/**
 * Apollo Server plugins of the HTTP surface: per-operation metrics and one log line per
 * operation (through the request's logger, so it carries requestId, organization and user);
 * internal errors logged with their stack before formatError masks them; rate limits applied
 * once the operation is known.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import {
  getArgumentValues,
  Kind,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { RequestContext } from '../context/request-context';
import { isInternalError } from '../errors';
import type { Metrics } from '../observability/metrics';
import { AUTH_OPERATION_FIELDS, callerKey, type RateLimits } from './rate-limits';

export function observabilityPlugin(metrics: Metrics): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            if (isInternalError(error)) contextValue.log.error({ err: error.originalError ?? error }, 'internal error');
          }
        },
        async willSendResponse({ response, contextValue, operation, operationName }) {
          const seconds = (performance.now() - started) / 1000;
          const labels = {
            operation_name: operation ? metrics.operationLabel(operationName ?? operation.name?.value) : 'invalid',
            operation_type: operation?.operation ?? 'invalid',
          };
          metrics.graphqlRequests.inc(labels);
          metrics.graphqlDuration.observe(labels, seconds);
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          const codes = errors.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
          for (const code of codes) metrics.graphqlErrors.inc({ code });
          if (!contextValue.app.log.isLevelEnabled('info')) return;
          contextValue.log.info(
            {
              operationName: operationName ?? null,
              operationType: operation?.operation ?? null,
              status: response.http.status ?? 200,
              durationMs: Math.round(seconds * 10_000) / 10,
              ...(codes.length ? { errorCodes: codes } : {}),
            },
            'graphql operation',
          );
        },
      };
    },
  };
}

/** Root fields of the operation, through fragments (a spread must not hide a `login`). */
function rootFields(document: DocumentNode, selectionSet: SelectionSetNode, seen = new Set<string>()): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) fields.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) fields.push(...rootFields(document, selection.selectionSet, seen));
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = document.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value);
      if (fragment?.kind === Kind.FRAGMENT_DEFINITION) fields.push(...rootFields(document, fragment.selectionSet, seen));
    }
  }
  return fields;
}

/** The `email` argument of a root field, directly or inside its input object. */
function emailArgument(schema: GraphQLSchema, operation: OperationDefinitionNode, field: FieldNode, variables: Record<string, unknown>): string {
  const type = schema.getRootType(operation.operation);
  const def = type?.getFields()[field.name.value];
  if (!def) return '';
  try {
    const args = getArgumentValues(def, field, variables);
    const found = [args.email, ...Object.values(args).map((v) => (v && typeof v === 'object' ? (v as Record<string, unknown>).email : undefined))].find(
      (v) => typeof v === 'string',
    );
    return typeof found === 'string' ? found.trim().toLowerCase().slice(0, 320) : '';
  } catch {
    // Arguments that do not coerce fail execution anyway; the IP alone still limits them.
    return '';
  }
}

/**
 * The limits one GraphQL operation consumes: the general one per caller, and the auth one per
 * IP and email for each auth root field it contains. HTTP (below) and WebSocket operations alike.
 */
export async function consumeOperationLimits(
  rateLimits: RateLimits,
  op: { ctx: RequestContext; schema: GraphQLSchema; document: DocumentNode; operation: OperationDefinitionNode | null | undefined; variables: Record<string, unknown> },
): Promise<void> {
  await rateLimits.consume('general', callerKey(op.ctx));
  if (!op.operation) return;
  for (const field of rootFields(op.document, op.operation.selectionSet)) {
    if (!AUTH_OPERATION_FIELDS.has(field.name.value)) continue;
    const email = emailArgument(op.schema, op.operation, field, op.variables);
    await rateLimits.consume('auth', `${field.name.value}:${op.ctx.ip ?? 'unknown'}:${email}`);
  }
}

export function rateLimitPlugin(rateLimits: RateLimits): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document, operation, schema, request }) {
          await consumeOperationLimits(rateLimits, { ctx: contextValue, schema, document, operation, variables: request.variables ?? {} });
        },
      };
    },
  };
}
