/**
 * Builds the executable schema: type-graphql classes, input validation, and graphql-shield on
 * every root field (fallback deny). Shield is applied only to root fields and to the fields a
 * rule map names explicitly (sensitive fields): wrapping every scalar costs ≈5 ms a request
 * (STACK.md) and adds nothing, since a nested field is only reached through a guarded root field.
 */
import 'reflect-metadata';
import { GraphQLSchema, lexicographicSortSchema } from 'graphql';
import { buildSchema as buildTypeGraphQLSchema, type NonEmptyArray } from 'type-graphql';
import { applyMiddleware, type IMiddlewareFieldMap } from 'graphql-middleware';
import { deny, shield } from 'graphql-shield';
import { resolvers, ruleMaps } from '../resolvers';
import { DomainError } from '../core/errors';
import { scalarsMap } from './scalars';
import type { RuleMap } from './rules';

const ROOT_TYPES = ['Query', 'Mutation', 'Subscription'];

export function mergeRuleMaps(maps: RuleMap[]): RuleMap {
  const merged: RuleMap = {};
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map)) {
      merged[type] ??= {};
      for (const [field, rule] of Object.entries(fields)) {
        if (merged[type][field]) throw new Error(`Two shield rules for ${type}.${field}`);
        merged[type][field] = rule;
      }
    }
  }
  return merged;
}

export const permissionRules = (): RuleMap => mergeRuleMaps(ruleMaps);

export async function buildBareSchema(): Promise<GraphQLSchema> {
  return buildTypeGraphQLSchema({
    resolvers: resolvers as unknown as NonEmptyArray<Function>,
    scalarsMap,
    validate: { forbidUnknownValues: false, validationError: { target: false, value: false } },
    emitSchemaFile: false,
  });
}

export async function buildSchema(): Promise<GraphQLSchema> {
  const bare = await buildBareSchema();
  const rules = permissionRules();
  const generator = shield(rules, {
    fallbackRule: deny,
    allowExternalErrors: true,
    fallbackError: () => new DomainError('FORBIDDEN', 'You do not have permission to do this'),
  });
  const full = generator.generate(bare) as IMiddlewareFieldMap;
  const guarded: IMiddlewareFieldMap = {};
  for (const [type, fields] of Object.entries(full)) {
    if (ROOT_TYPES.includes(type)) guarded[type] = fields;
    else if (rules[type]) {
      guarded[type] = Object.fromEntries(Object.entries(fields as object).filter(([f]) => rules[type][f]));
    }
  }
  return applyMiddleware(bare, guarded);
}

/** The schema as SDL, sorted, as committed in src/schema/schema.graphql. */
export async function schemaSdl(): Promise<string> {
  const { printSchema } = await import('graphql');
  return `${printSchema(lexicographicSortSchema(await buildBareSchema()))}\n`;
}
