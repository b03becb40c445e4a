/**
 * Which fields a client selected on a field's value: lets a nested list read only the columns it
 * will return. Computed once per field node of an operation (the same for each of a list's rows).
 */
import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { createParameterDecorator } from 'type-graphql';

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
