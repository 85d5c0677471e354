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
  GraphQLError,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

/** How many operations a process remembers, compiled or not (the least recently used is dropped first). */
const MAX_OPERATIONS = 100;
/**
 * The compiled operations' documents together hold at most this many characters (the least
 * recently used dropped first), and a longer one is never compiled: compiled code grows with the
 * document, about 100 bytes a character (the single view, 1,775 characters, holds 178 KB), so
 * this keeps what compiled documents hold to about 13 MB however clients write them.
 */
const COMPILED_SOURCE_CHARS = 128 * 1024;
/** An operation is compiled on its this-many-th execution; before, and when it is not compiled, graphql-js runs it. */
const COMPILE_ON_EXECUTION = 2;

interface Entry {
  executions: number;
  compiled?: CompiledQuery;
  /** The compiled document's length, counted against COMPILED_SOURCE_CHARS. */
  chars: number;
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
 * Apollo Server's executor for the schema (its `gateway` option, called after Apollo's own parsing,
 * validation and plugins): an operation executed again is compiled by graphql-jit into a function
 * for its exact selection, which runs without graphql-js's per-field interpretation. The same
 * resolvers run either way (app/schema.ts readies them for graphql-jit). Operations are remembered
 * by their hash and name, at most MAX_OPERATIONS of them and COMPILED_SOURCE_CHARS of compiled
 * documents, so a client sending ever new documents costs at most a compilation on each one's
 * second execution, and bounded memory.
 */
export function jitGateway(schema: GraphQLSchema): GatewayInterface {
  const entries = new Map<string, Entry>();
  let compiledChars = 0;
  const dropLeastRecent = (): void => {
    const [key, entry] = entries.entries().next().value as [string, Entry];
    entries.delete(key);
    compiledChars -= entry.chars;
  };
  const entryFor = (key: string): Entry => {
    let entry = entries.get(key);
    if (entry) {
      entries.delete(key);
    } else {
      entry = { executions: 0, chars: 0 };
      if (entries.size >= MAX_OPERATIONS) dropLeastRecent();
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
      const chars = requestContext.source?.length ?? Number.POSITIVE_INFINITY;
      entry.compiled = chars <= COMPILED_SOURCE_CHARS ? compile(document, operationName) : undefined;
      entry.refused = !entry.compiled;
      if (entry.compiled) {
        entry.chars = chars;
        compiledChars += chars;
        // The entry itself is the most recent: it is never the one dropped.
        while (compiledChars > COMPILED_SOURCE_CHARS) dropLeastRecent();
      }
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
