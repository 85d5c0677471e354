import {
  GraphQLError,
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  valueFromAST,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE } from './page-size.js';

/**
 * The most fields an operation may resolve, counting every list page as full: a field costs 1,
 * a field with a selection set costs 1 plus its children, times its page size. The page size is
 * `first` as the request will run it — a literal, a variable's value, or the default when absent —
 * so a variable cannot hide a large page (GraphQL Armor's cost rule reads literals only).
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | null | undefined,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    else if (definition.kind === Kind.OPERATION_DEFINITION && (!operationName || definition.name?.value === operationName)) operation ??= definition;
  }
  if (!operation) return 0;
  const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  if (!root) return 0;
  const context = { schema, fragments, variables: variables ?? {} };
  return selectionCost(context, root, operation.selectionSet, new Set());
}

interface CostContext {
  readonly schema: GraphQLSchema;
  readonly fragments: Map<string, FragmentDefinitionNode>;
  readonly variables: Readonly<Record<string, unknown>>;
}

function selectionCost(context: CostContext, parent: GraphQLNamedType, selectionSet: SelectionSetNode, fragmentPath: Set<string>): number {
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[selection.name.value] : undefined;
      if (!selection.selectionSet || !field) {
        cost += 1;
        continue;
      }
      const childCost = selectionCost(context, getNamedType(field.type), selection.selectionSet, fragmentPath);
      cost += (1 + childCost) * pageSize(context, field, selection.arguments ?? []);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition ? context.schema.getType(selection.typeCondition.name.value) : parent;
      cost += selectionCost(context, type ?? parent, selection.selectionSet, fragmentPath);
    } else {
      const name = selection.name.value;
      const fragment = context.fragments.get(name);
      // A fragment cycle is invalid GraphQL (validation reports it); count it once here.
      if (!fragment || fragmentPath.has(name)) continue;
      const type = context.schema.getType(fragment.typeCondition.name.value) ?? parent;
      cost += selectionCost(context, type, fragment.selectionSet, new Set([...fragmentPath, name]));
    }
  }
  return cost;
}

function pageSize(context: CostContext, field: GraphQLField<unknown, unknown>, args: readonly { name: { value: string }; value: Parameters<typeof valueFromAST>[0] }[]): number {
  const firstArg = field.args.find((arg) => arg.name === 'first');
  if (!firstArg) return 1;
  const given = args.find((arg) => arg.name.value === 'first');
  const value = given ? valueFromAST(given.value, firstArg.type, context.variables as Record<string, unknown>) : undefined;
  return typeof value === 'number' && value > 0 ? value : DEFAULT_PAGE_SIZE;
}

/** The rejection, shaped like every other validation failure (HTTP 400, GRAPHQL_VALIDATION_FAILED). */
export function costLimitError(limit: number, cost: number): GraphQLError {
  return new GraphQLError(`Query Cost limit of ${limit} exceeded, found ${cost}.`, {
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } },
  });
}
