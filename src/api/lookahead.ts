import { Kind, type GraphQLResolveInfo, type SelectionSetNode, type ValueNode } from 'graphql';

/**
 * The arguments each occurrence of `fieldName` directly below the field being resolved is asked
 * with (through fragments and inline fragments too), so a resolver can start, in the same turn,
 * the load a child field will ask for: the child then finds it done instead of costing a level of
 * its own. An argument given as a variable reads the variable's value; one not given is absent.
 */
export function childFieldArguments(info: GraphQLResolveInfo, fieldName: string): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const value = (node: ValueNode): unknown => {
    switch (node.kind) {
      case Kind.VARIABLE:
        return info.variableValues[node.name.value];
      case Kind.INT:
        return Number.parseInt(node.value, 10);
      case Kind.FLOAT:
        return Number.parseFloat(node.value);
      case Kind.STRING:
      case Kind.ENUM:
        return node.value;
      case Kind.BOOLEAN:
        return node.value;
      default:
        return undefined;
    }
  };
  const visited = new Set<string>();
  const walk = (selectionSet: SelectionSetNode | undefined): void => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === fieldName) found.push(Object.fromEntries((selection.arguments ?? []).map((argument) => [argument.name.value, value(argument.value)])));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet);
      } else if (!visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        walk(info.fragments[selection.name.value]?.selectionSet);
      }
    }
  };
  for (const node of info.fieldNodes) walk(node.selectionSet);
  return found;
}
