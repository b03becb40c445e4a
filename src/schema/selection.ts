/**
 * Which fields a client selected on a field's value: lets a nested list, or a list's page, read
 * only the columns it will return. Computed once per field node of an operation (the same for
 * each of a list's rows).
 */
import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { createParameterDecorator, getMetadataStorage } from 'type-graphql';

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

export function selectedFields(info: GraphQLResolveInfo): FieldSelection {
  const first = info.fieldNodes[0];
  let fields = cache.get(first);
  if (!fields) {
    const into = new Set<string>();
    const seen = new Set<string>();
    for (const node of info.fieldNodes) collect(node.selectionSet, info, into, seen);
    into.delete('__typename');
    fields = into;
    cache.set(first, fields);
  }
  return fields;
}

/** The fields selected on this field's value, for a service to read only those columns. */
export const Selected = () => createParameterDecorator(({ info }) => selectedFields(info));

/** Parent properties read by field resolvers, as declared with @Parent(...reads): resolver class → method → properties. */
const declaredReads = new Map<Function, Map<string, string[]>>();

export function declareParentReads(resolverClass: Function, method: string, reads: string[]): void {
  if (!declaredReads.has(resolverClass)) declaredReads.set(resolverClass, new Map());
  declaredReads.get(resolverClass)!.set(method, reads);
}

/** Object type class → field → the parent properties its resolver reads (from type-graphql's metadata, once built). */
let readsByType: Map<Function, Map<string, string[]>> | undefined;

function readsOf(type: Function): Map<string, string[]> | undefined {
  if (!readsByType) {
    readsByType = new Map();
    for (const resolver of getMetadataStorage().fieldResolvers) {
      const reads = declaredReads.get(resolver.target)?.get(resolver.methodName);
      const objectType = resolver.getObjectType?.();
      if (!reads || !objectType) continue;
      if (!readsByType.has(objectType)) readsByType.set(objectType, new Map());
      readsByType.get(objectType)!.set(resolver.schemaName, reads);
    }
  }
  return readsByType.get(type);
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

const nodeCache = new WeakMap<FieldNode, FieldSelection>();

/**
 * The properties a connection's page must read for the fields selected on its nodes
 * (`edges { node { … } }`): each field itself, or what its resolver declared it reads of the row.
 */
export function selectedNodeProps(info: GraphQLResolveInfo, nodeType: Function): FieldSelection {
  const first = info.fieldNodes[0];
  let props = nodeCache.get(first);
  if (!props) {
    const fields = new Set<string>();
    const seen = new Set<string>();
    for (const node of info.fieldNodes) {
      for (const edges of fieldsNamed(node.selectionSet, 'edges', info)) {
        for (const nodeSet of fieldsNamed(edges, 'node', info)) collect(nodeSet, info, fields, seen);
      }
    }
    fields.delete('__typename');
    const reads = readsOf(nodeType);
    const wanted = new Set<string>();
    for (const field of fields) for (const prop of reads?.get(field) ?? [field]) wanted.add(prop);
    props = wanted;
    nodeCache.set(first, props);
  }
  return props;
}

/** The properties a connection's page must read for its nodes' selected fields (see selectedNodeProps). */
export const SelectedNodes = (nodeType: Function) => createParameterDecorator(({ info }) => selectedNodeProps(info, nodeType));
