/**
 * Which fields a client selected on a field's value: lets a nested list, or a list's page, read
 * only the columns it will return. Computed once per field node of an operation (the same for
 * each of a list's rows).
 */
import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { createParameterDecorator, getMetadataStorage } from 'type-graphql';
import { NodeSelection } from '../core/orm/connection';

/** Names of the fields selected on a value (fragments and inline fragments flattened). */
export type FieldSelection = ReadonlySet<string>;

const cache = new WeakMap<FieldNode, FieldSelection>();

function collect(set: SelectionSetNode | undefined, info: GraphQLResolveInfo, into: Set<string>, seen: Set<string>): void {
  for (const selection of set?.selections ?? []) {
    if (selection.kind === Kind.FIELD) into.add(selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet, info, into, seen);
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      collect(info.fragments[selection.name.value]?.selectionSet, info, into, seen);
    }
  }
}

/** Names of the fields selected in these selection sets, into `into` (__typename left out). */
function selectedIn<S extends Set<string>>(sets: (SelectionSetNode | undefined)[], info: GraphQLResolveInfo, into: S): S {
  const seen = new Set<string>();
  for (const set of sets) collect(set, info, into, seen);
  into.delete('__typename');
  return into;
}

export function selectedFields(info: GraphQLResolveInfo): FieldSelection {
  const first = info.fieldNodes[0];
  let fields = cache.get(first);
  if (!fields) {
    fields = selectedIn(info.fieldNodes.map((node) => node.selectionSet), info, new Set<string>());
    cache.set(first, fields);
  }
  return fields;
}

/** The fields selected on this field's value, for a service to read only those columns. */
export const Selected = () => createParameterDecorator(({ info }) => selectedFields(info));

type EntityClass = abstract new (...args: never[]) => object;

/**
 * What a field resolver declares of itself, per resolver class and method: the parent properties
 * it reads (@Parent(...reads)), and the rows it loads (@Loads).
 */
const declaredReads = new Map<Function, Map<string, string[]>>();
const declaredLoads = new Map<Function, Map<string, LoadDeclaration>>();

interface LoadDeclaration {
  entity: () => EntityClass;
  /** `id`: the row whose id is the parent's `property`; `many`: the rows whose `property` is the parent's id. */
  kind: 'id' | 'many';
  property: string;
}

export function declareParentReads(resolverClass: Function, method: string, reads: string[]): void {
  if (!declaredReads.has(resolverClass)) declaredReads.set(resolverClass, new Map());
  declaredReads.get(resolverClass)!.set(method, reads);
}

/**
 * Declares what a field resolver returns, for a list page to load it in the page's own round trip
 * (see NodeSelection): `{ byId: 'customerId' }` for `loaders.byId(entity, parent.customerId,
 * @Selected())`, `{ manyBy: 'projectId' }` for `loaders.manyBy(entity, 'projectId', parent.id,
 * @Selected())`. The page primes those loaders; the resolver still makes the call (and loads
 * what the page did not). A declaration that does not match the call only costs a statement.
 */
export function Loads(entity: () => EntityClass, how: { byId: string } | { manyBy: string }): MethodDecorator {
  return (target, method) => {
    const resolverClass = target.constructor;
    if (!declaredLoads.has(resolverClass)) declaredLoads.set(resolverClass, new Map());
    const declaration: LoadDeclaration = 'byId' in how ? { entity, kind: 'id', property: how.byId } : { entity, kind: 'many', property: how.manyBy };
    declaredLoads.get(resolverClass)!.set(String(method), declaration);
  };
}

/** Object type class → field → what its resolver declared (from type-graphql's metadata, once built). */
let declaredByType: Map<Function, Map<string, { reads?: string[]; loads?: LoadDeclaration }>> | undefined;

function declaredOf(type: Function): Map<string, { reads?: string[]; loads?: LoadDeclaration }> | undefined {
  if (!declaredByType) {
    declaredByType = new Map();
    for (const resolver of getMetadataStorage().fieldResolvers) {
      const reads = declaredReads.get(resolver.target)?.get(resolver.methodName);
      const loads = declaredLoads.get(resolver.target)?.get(resolver.methodName);
      const objectType = resolver.getObjectType?.();
      if ((!reads && !loads) || !objectType) continue;
      if (!declaredByType.has(objectType)) declaredByType.set(objectType, new Map());
      declaredByType.get(objectType)!.set(resolver.schemaName, { reads, loads });
    }
  }
  return declaredByType.get(type);
}

/** The selection sets of the fields named `name` in `set` (through fragments). */
function fieldsNamed(set: SelectionSetNode | undefined, name: string, info: GraphQLResolveInfo, into: SelectionSetNode[] = []): SelectionSetNode[] {
  for (const selection of set?.selections ?? []) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value === name && selection.selectionSet) into.push(selection.selectionSet);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) fieldsNamed(selection.selectionSet, name, info, into);
    else fieldsNamed(info.fragments[selection.name.value]?.selectionSet, name, info, into);
  }
  return into;
}

const nodeCache = new WeakMap<FieldNode, NodeSelection>();

/**
 * The properties a connection's page must read for the fields selected on its nodes
 * (`edges { node { … } }`): each field itself, or what its resolver declared it reads of the row;
 * what those resolvers declared they load; and whether any cursor is selected.
 */
export function selectedNodeProps(info: GraphQLResolveInfo, nodeType: Function): NodeSelection {
  const first = info.fieldNodes[0];
  let props = nodeCache.get(first);
  if (!props) {
    const edgeSets = info.fieldNodes.flatMap((node) => fieldsNamed(node.selectionSet, 'edges', info));
    const nodeSets = edgeSets.flatMap((edges) => fieldsNamed(edges, 'node', info));
    const fields = selectedIn(nodeSets, info, new Set<string>());
    const declared = declaredOf(nodeType);
    props = new NodeSelection();
    const pageInfo = selectedIn(info.fieldNodes.flatMap((node) => fieldsNamed(node.selectionSet, 'pageInfo', info)), info, new Set<string>());
    props.cursors = selectedIn(edgeSets, info, new Set<string>()).has('cursor') || pageInfo.has('startCursor') || pageInfo.has('endCursor');
    for (const field of fields) {
      const { reads, loads } = declared?.get(field) ?? {};
      for (const prop of reads ?? [field]) props.add(prop);
      if (!loads) continue;
      // The same fields @Selected() gives the resolver (the same columns, so the same loader).
      const select = selectedIn(nodeSets.flatMap((nodeSet) => fieldsNamed(nodeSet, field, info)), info, new Set<string>());
      props.loads.push({ entity: loads.entity(), kind: loads.kind, property: loads.property, select });
    }
    nodeCache.set(first, props);
  }
  return props;
}

/** The properties a connection's page must read for its nodes' selected fields (see selectedNodeProps). */
export const SelectedNodes = (nodeType: Function) => createParameterDecorator(({ info }) => selectedNodeProps(info, nodeType));
