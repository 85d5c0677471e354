import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import {
  execute,
  getNamedType,
  GraphQLBoolean,
  GraphQLFloat,
  GraphQLInt,
  isEnumType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  BREAK,
  defaultFieldResolver,
  GraphQLError,
  isCompositeType,
  isObjectType,
  isInterfaceType,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

/** How many operations a process remembers, compiled or not (the least recently used is dropped first): the single view compiled holds about 180 KB. */
const MAX_OPERATIONS = 100;
/** An operation is compiled on its this-many-th execution; before, and when it is not compiled, graphql-js runs it. */
const COMPILE_ON_EXECUTION = 2;

interface Entry {
  executions: number;
  compiled?: CompiledQuery;
  /** Not compiled (a literal that must not reach generated code, or graphql-jit refused it): graphql-js runs it every time. */
  refused?: boolean;
}

export type Executor = 'jit' | 'graphql-js';

const executedBy = new WeakMap<object, Executor>();

/** Which executor ran the operation of this request context (development extensions report it). */
export function executorOf(context: object): Executor | undefined {
  return executedBy.get(context);
}

/**
 * Whether graphql-jit may compile `document`. It writes an argument's literal value into the code
 * it generates, through JSON and then a text substitution of its own markers (to revive dates and
 * NaN), so a string literal could become code; and a custom scalar's parsed literal (a luxon
 * DateTime, say) would reach the resolver as its JSON. Only literals of Int, Float, Boolean and
 * enum types, and null, are let through; every other value must come as a variable, which
 * graphql-jit reads at run time. An operation with any other literal runs on graphql-js.
 */
export function compilable(schema: GraphQLSchema, document: DocumentNode): boolean {
  const typeInfo = new TypeInfo(schema);
  let safe = true;
  const refuse = (): typeof BREAK => {
    safe = false;
    return BREAK;
  };
  const leafType = () => {
    const type = typeInfo.getInputType();
    return type ? getNamedType(type) : undefined;
  };
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      StringValue: refuse,
      IntValue: () => (leafType() === GraphQLInt || leafType() === GraphQLFloat ? undefined : refuse()),
      FloatValue: () => (leafType() === GraphQLFloat ? undefined : refuse()),
      BooleanValue: () => (leafType() === GraphQLBoolean ? undefined : refuse()),
      EnumValue: () => (isEnumType(leafType()) ? undefined : refuse()),
      ObjectValue: () => (typeInfo.getInputType() ? undefined : refuse()),
      ListValue: () => (typeInfo.getInputType() ? undefined : refuse()),
    }),
  );
  return safe && document.definitions.every((definition) => definition.kind !== Kind.OPERATION_DEFINITION || definition.operation !== 'subscription');
}

/**
 * graphql-jit's errors are not quite graphql-js's: no `extensions` unless the resolver's error had
 * some (Apollo reads `extensions.code` of every error). The same error as graphql-js would give.
 */
function asGraphqlJsError(error: GraphQLError): GraphQLError {
  const normalized = new GraphQLError(error.message, {
    path: error.path,
    ...(error.originalError ? { originalError: error.originalError } : {}),
    ...(error.extensions ? { extensions: error.extensions } : {}),
  });
  (normalized as { locations: GraphQLError['locations'] }).locations = error.locations;
  return normalized;
}

/**
 * graphql-jit reads a field without a resolver straight off its parent, inline, and does not wait
 * for a promise found there; graphql-js does. Rows hand some objects over as promises (an import
 * template's replacement store, loaded by id), so every field of an object type without a resolver
 * gets graphql-js's own default one, which graphql-jit calls and waits for. Scalar fields stay
 * inline: no row holds a scalar as a promise. graphql-js resolves these fields exactly as before.
 */
function resolveObjectFieldsThroughResolvers(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
    for (const field of Object.values(type.getFields())) {
      if (!field.resolve && isCompositeType(getNamedType(field.type))) field.resolve = defaultFieldResolver;
    }
  }
}

/**
 * Apollo Server's executor for the schema (its `gateway` option, called after Apollo's own parsing,
 * validation and plugins): an operation executed again is compiled by graphql-jit into a function
 * for its exact selection, which runs without graphql-js's per-field interpretation. The same
 * resolvers run either way. Operations are remembered by their hash and name, at most
 * MAX_OPERATIONS of them, so a client sending ever new documents costs at most a compilation on
 * each one's second execution.
 */
export function jitGateway(schema: GraphQLSchema): GatewayInterface {
  resolveObjectFieldsThroughResolvers(schema);
  const entries = new Map<string, Entry>();
  const entryFor = (key: string): Entry => {
    let entry = entries.get(key);
    if (entry) {
      entries.delete(key);
    } else {
      entry = { executions: 0 };
      if (entries.size >= MAX_OPERATIONS) entries.delete(entries.keys().next().value as string);
    }
    entries.set(key, entry);
    return entry;
  };
  const compile = (document: DocumentNode, operationName: string | undefined): CompiledQuery | undefined => {
    if (!compilable(schema, document)) return undefined;
    const compiled = compileQuery(schema, document, operationName, { disablingCapturingStackErrors: true });
    return isCompiledQuery(compiled) ? compiled : undefined;
  };
  const executor: GatewayExecutor = async (requestContext) => {
    const { document, request, context } = requestContext;
    const operationName = requestContext.operationName ?? undefined;
    const entry = entryFor(`${requestContext.queryHash}\u0000${operationName ?? ''}`);
    entry.executions += 1;
    if (!entry.compiled && !entry.refused && entry.executions >= COMPILE_ON_EXECUTION) {
      entry.compiled = compile(document, operationName);
      entry.refused = !entry.compiled;
    }
    if (entry.compiled) {
      const result = (await entry.compiled.query(undefined, context, request.variables)) as ExecutionResult;
      // No `data` key at all only when the variables were refused, before anything ran (a result
      // after execution always has one, null at worst): graphql-js refuses them again, in its own
      // words, which Apollo recognises (BAD_USER_INPUT, status 400). A mutation never runs twice.
      if (Object.hasOwn(result, 'data')) {
        executedBy.set(context, 'jit');
        return result.errors ? { ...result, errors: result.errors.map(asGraphqlJsError) } : result;
      }
    }
    executedBy.set(context, 'graphql-js');
    return (await execute({ schema, document, contextValue: context, variableValues: request.variables, operationName })) as ExecutionResult;
  };
  return {
    async load() {
      return { executor };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => undefined;
    },
    async stop() {
      entries.clear();
    },
  };
}
