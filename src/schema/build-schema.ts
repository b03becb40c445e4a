/**
 * Builds the executable schema: type-graphql classes, input validation, and graphql-shield on
 * every root field (fallback deny). Shield is applied only to root fields and to the fields a
 * rule map names explicitly (sensitive fields): wrapping every scalar costs ≈5 ms a request
 * (STACK.md) and adds nothing, since a nested field is only reached through a guarded root field.
 */
import 'reflect-metadata';
import { GraphQLObjectType, GraphQLSchema, lexicographicSortSchema, type GraphQLFieldResolver } from 'graphql';
import { buildSchema as buildTypeGraphQLSchema, getMetadataStorage, type NonEmptyArray, type ResolverData } from 'type-graphql';
import { applyMiddleware, type IMiddlewareFieldMap } from 'graphql-middleware';
import { deny, shield } from 'graphql-shield';
import { resolvers, ruleMaps } from '../resolvers';
import { DomainError } from '../core/errors';
import { scalarsMap } from './scalars';
import { validateArgs } from './validate-args';
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

const forbiddenError = () => new DomainError('FORBIDDEN', 'You do not have permission to do this');

/** shield's normalized options (its IOptions type is not exported): passed to rules run by hand too. */
interface ShieldOptions {
  debug: boolean;
  allowExternalErrors: boolean;
  fallbackRule: typeof deny;
  fallbackError: () => Error;
  hashFunction: (arg: { parent: unknown; args: unknown }) => string;
}

const shieldOptions: ShieldOptions = {
  debug: false,
  allowExternalErrors: true,
  fallbackRule: deny,
  fallbackError: forbiddenError,
  hashFunction: (arg) => JSON.stringify(arg),
};

/**
 * Subscriptions must be tenant-scoped (core/pubsub subscribeTo): type-graphql's own topic-based
 * pub/sub is refused, so no subscription can listen across organizations.
 */
const refuseUnscopedTopics = {
  publish() {
    throw new Error('Publish through core/pubsub publishAfterCommit: topics are tenant-scoped');
  },
  subscribe(): never {
    throw new Error('Subscribe through core/pubsub subscribeTo: topics are tenant-scoped');
  },
};

interface RuleResolver {
  resolve(parent: unknown, args: unknown, ctx: unknown, info: unknown, options: ShieldOptions): Promise<boolean | Error>;
}

/**
 * graphql-shield wraps a subscription field's per-event `resolve` but not its `subscribe`: run
 * the same rule before a subscription starts, so an unauthorized subscribe fails at once.
 * (The per-event check is shield's own, on a fresh context per event; see core/http/websocket.)
 */
function guardSubscriptions(schema: GraphQLSchema, rules: RuleMap): void {
  const type = schema.getSubscriptionType();
  if (!type) return;
  for (const field of Object.values(type.getFields())) {
    const rule = (rules.Subscription?.[field.name] ?? deny) as unknown as RuleResolver;
    const subscribe = field.subscribe;
    if (!subscribe) continue;
    const guarded: GraphQLFieldResolver<unknown, { _shield?: { cache: object } }> = async (root, args, ctx, info) => {
      ctx._shield ??= { cache: {} };
      const verdict = await rule.resolve(root, args, ctx, info, shieldOptions);
      if (verdict !== true) throw verdict instanceof Error ? verdict : forbiddenError();
      return subscribe(root, args, ctx, info);
    };
    field.subscribe = guarded;
  }
}

export async function buildBareSchema(): Promise<GraphQLSchema> {
  return buildTypeGraphQLSchema({
    resolvers: resolvers as unknown as NonEmptyArray<Function>,
    scalarsMap,
    validateFn: validateArgs,
    emitSchemaFile: false,
    pubSub: refuseUnscopedTopics,
  });
}

type ParamGetter = (data: ResolverData<object>) => unknown;

/**
 * Field resolvers of object types run once per row of a list. type-graphql's generic handler
 * sorts and maps the parameters and enters its middleware chain on every call (≈1 µs); a field
 * resolver with no middleware or roles whose parameters are all the context, the info and custom
 * decorators (@Parent, @Selected) is called directly with the same parameters instead. Root
 * fields keep type-graphql's handler (argument conversion and validation).
 */
function callFieldResolversDirectly(schema: GraphQLSchema): void {
  const storage = getMetadataStorage();
  const typeNames = new Map(storage.objectTypes.map((t) => [t.target, t.name]));
  const instances = new Map<Function, object>();
  for (const resolver of storage.fieldResolvers) {
    const objectType = resolver.kind === 'external' ? resolver.getObjectType?.() : undefined;
    const type = objectType && schema.getType(typeNames.get(objectType) ?? '');
    const field = type instanceof GraphQLObjectType ? type.getFields()[resolver.schemaName] : undefined;
    if (!field || resolver.middlewares?.length || resolver.roles) continue;
    const getters: (ParamGetter | null)[] = [...(resolver.params ?? [])]
      .sort((a, b) => a.index - b.index)
      .map((param) => {
        if (param.kind === 'context' && !param.propertyName) return (data) => data.context;
        if (param.kind === 'info') return (data) => data.info;
        if (param.kind === 'custom' && !param.options.arg) return param.resolver as ParamGetter;
        return null;
      });
    if (getters.includes(null)) continue;
    const target = resolver.target as new () => object;
    if (!instances.has(target)) instances.set(target, new target());
    const instance = instances.get(target)!;
    const method = (target.prototype as Record<string, (...params: unknown[]) => unknown>)[resolver.methodName];
    const get = getters as ParamGetter[];
    field.resolve = (root, args, context, info) => {
      const data = { root, args, context, info };
      const params: unknown[] = new Array(get.length);
      let pending = false;
      for (let i = 0; i < get.length; i++) if ((params[i] = get[i](data)) instanceof Promise) pending = true;
      return pending ? Promise.all(params).then((values) => method.apply(instance, values)) : method.apply(instance, params);
    };
  }
}

export async function buildSchema(): Promise<GraphQLSchema> {
  const bare = await buildBareSchema();
  callFieldResolversDirectly(bare);
  const rules = permissionRules();
  const generator = shield(rules, shieldOptions);
  const full = generator.generate(bare) as IMiddlewareFieldMap;
  const guarded: IMiddlewareFieldMap = {};
  for (const [type, fields] of Object.entries(full)) {
    if (ROOT_TYPES.includes(type)) guarded[type] = fields;
    else if (rules[type]) {
      guarded[type] = Object.fromEntries(Object.entries(fields as object).filter(([f]) => rules[type][f]));
    }
  }
  const schema = applyMiddleware(bare, guarded);
  guardSubscriptions(schema, rules);
  return schema;
}

/** The schema as SDL, sorted, as committed in src/schema/schema.graphql. */
export async function schemaSdl(): Promise<string> {
  const { printSchema } = await import('graphql');
  return `${printSchema(lexicographicSortSchema(await buildBareSchema()))}\n`;
}
