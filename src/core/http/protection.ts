/**
 * Query limits shared by every transport (Apollo over HTTP, graphql-ws over WebSocket): depth,
 * aliases, cost and directives through graphql-armor's validation rules, lexical tokens through
 * graphql-js's own parser limit, and no introspection when it is off (production by default).
 * A rejected operation is an ordinary validation error (GRAPHQL_VALIDATION_FAILED, HTTP 400).
 */
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, NoSchemaIntrospectionCustomRule, type ParseOptions, type ValidationContext, type ValidationRule } from 'graphql';
import type { Config } from '../../config';

type ProtectionConfig = Pick<Config, 'graphqlLimits' | 'introspection'>;

function reportRejection(context: ValidationContext | null, error: GraphQLError): void {
  // armor words every rejection as a syntax error; it is a limit, reported like any validation error.
  const message = error.message.replace(/^Syntax Error: /, '');
  context?.reportError(new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
}

/** The validation rules to add to graphql-js's specifiedRules, on HTTP and WebSocket alike. */
export function protectionRules(config: ProtectionConfig): ValidationRule[] {
  const limits = config.graphqlLimits;
  const reject = { propagateOnRejection: false, onReject: [reportRejection], exposeLimits: true };
  const { validationRules } = new ApolloArmor({
    // Suggestions are stripped from every error in formatError; tokens are limited by the parser (below).
    blockFieldSuggestion: { enabled: false },
    maxTokens: { enabled: false },
    maxDepth: { ...reject, n: limits.maxDepth, ignoreIntrospection: true },
    maxAliases: { ...reject, n: limits.maxAliases },
    maxDirectives: { ...reject, n: limits.maxDirectives },
    costLimit: { ...reject, maxCost: limits.maxCost, ignoreIntrospection: true },
  }).protect();
  return config.introspection ? validationRules : [...validationRules, NoSchemaIntrospectionCustomRule];
}

/** Parser options: a document with more lexical tokens than allowed is refused before it is built. */
export function protectionParseOptions(config: ProtectionConfig): ParseOptions {
  return { maxTokens: config.graphqlLimits.maxTokens };
}
