/**
 * Document limits shared by HTTP (Apollo) and WebSocket (graphql-ws): depth, aliases,
 * directives and cost are validation rules (graphql-armor), so a refused document is a
 * GRAPHQL_VALIDATION_FAILED error with a readable message (HTTP 400); the token limit is
 * graphql-js's own parser limit, so an oversized document fails parsing (GRAPHQL_PARSE_FAILED)
 * before it is ever built.
 *
 * WebSocket use: `parse(source, graphqlParseOptions(limits))` and
 * `validate(schema, document, [...specifiedRules, ...graphqlValidationRules(limits)])`.
 */
import { GraphQLError, type ParseOptions, type ValidationContext, type ValidationRule } from 'graphql';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { Config } from '../../config';

export type GraphqlLimits = Config['graphqlLimits'];

/**
 * Reports the refusal as a validation error of the document. graphql-armor prefixes its
 * messages with "Syntax Error:", which they are not.
 */
const report = (ctx: ValidationContext | null, error: GraphQLError) =>
  ctx?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, '')));

const onRejection = { propagateOnRejection: false, onReject: [report], exposeLimits: true };

export function graphqlValidationRules(limits: GraphqlLimits): ValidationRule[] {
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, ...onRejection },
    maxAliases: { n: limits.maxAliases, ...onRejection },
    maxDirectives: { n: limits.maxDirectives, ...onRejection },
    costLimit: { maxCost: limits.maxCost, ...onRejection },
    // Tokens: graphql-js's parser limit below. Suggestions: stripped by formatError.
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  });
  return armor.protect().validationRules as ValidationRule[];
}

export function graphqlParseOptions(limits: GraphqlLimits): ParseOptions {
  return { maxTokens: limits.maxTokens };
}
