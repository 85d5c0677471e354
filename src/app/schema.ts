import 'reflect-metadata';
import { createPubSub } from '@graphql-yoga/subscription';
import {
  defaultFieldResolver,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  lexicographicSortSchema,
  printSchema,
  type GraphQLSchema,
  type GraphQLTypeResolver,
} from 'graphql';
import { buildSchema, getMetadataStorage } from 'type-graphql';
import { RESOLVERS } from './resolvers.js';
import { toGlobalId, type NodeRow } from '../api/relay.js';
import { returnDateTimesInOrgZone } from '../api/zoned-time.js';

export const pubSub = createPubSub();

/**
 * Rows carry numeric ids; every type implementing `Node` exposes them as global ids. Wrapped
 * here once rather than in each type's resolvers.
 */
function exposeGlobalIds(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || !type.getInterfaces().some((iface) => iface.name === 'Node')) continue;
    const idField = type.getFields().id;
    const typeName = type.name;
    idField.resolve = (source: NodeRow) => toGlobalId(typeName, source.id);
  }
  return schema;
}

/**
 * Fields that only read a property of their row are left to graphql-js's default resolver.
 * Otherwise type-graphql wraps each in a resolver that builds a middleware context and calls
 * through it for every value of every field (no middleware or role is declared on such fields).
 * Fields with a resolver of their own, another schema name, middlewares or roles are left alone.
 */
function resolvePlainFieldsByDefault(): void {
  for (const field of getMetadataStorage().fields) {
    if (field.simple !== undefined || field.schemaName !== field.name) continue;
    if ((field.middlewares?.length ?? 0) > 0 || (field.roles?.length ?? 0) > 0) continue;
    field.simple = true;
  }
}

/**
 * type-graphql wraps the type resolver of each interface and union in an async function;
 * graphql-jit (src/app/server/jit-executor.ts) calls type resolvers synchronously. Ours answer a
 * type name at once, so the schema gets them unwrapped. An abstract type without one of its own,
 * or one that does not answer a name at once, fails here or on first use, not silently.
 */
function resolveTypesSynchronously(schema: GraphQLSchema): GraphQLSchema {
  const storage = getMetadataStorage();
  const declared = new Map<string, GraphQLTypeResolver<unknown, unknown>>();
  for (const metadata of [...storage.interfaceTypes, ...storage.unions]) {
    if (metadata.resolveType) declared.set(metadata.name, metadata.resolveType as GraphQLTypeResolver<unknown, unknown>);
  }
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isAbstractType(type)) continue;
    const resolve = declared.get(type.name);
    if (!resolve) throw new Error(`${type.name} declares no resolveType: graphql-jit needs one that names the type at once`);
    type.resolveType = (value, context, info, abstractType) => {
      const name = resolve(value, context, info, abstractType);
      if (typeof name !== 'string') throw new Error(`${type.name}'s resolveType must name the type at once, not return ${typeof name}`);
      return name;
    };
  }
  return schema;
}

/**
 * graphql-jit reads a field without a resolver straight off its parent, inline, and does not wait
 * for a promise found there; graphql-js does. Rows hand some objects over as promises (an import
 * template's replacement store, loaded by id), so every field of an object type without a resolver
 * gets graphql-js's own default one, which graphql-jit (src/app/server/jit-executor.ts) calls and
 * waits for. Scalar fields stay inline: no row holds a scalar as a promise. graphql-js resolves
 * these fields exactly as before.
 */
function resolveObjectFieldsThroughResolvers(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
    for (const field of Object.values(type.getFields())) {
      if (!field.resolve && isCompositeType(getNamedType(field.type))) field.resolve = defaultFieldResolver;
    }
  }
  return schema;
}

let built: Promise<GraphQLSchema> | undefined;

/** The executable schema (built once per process: type-graphql's metadata is global). */
export function buildAppSchema(): Promise<GraphQLSchema> {
  if (!built) resolvePlainFieldsByDefault();
  built ??= buildSchema({ resolvers: RESOLVERS, pubSub, validate: false, emitSchemaFile: false }).then((schema) => {
    const query = schema.getQueryType();
    if (query) query.description = "Entry points of the loyalty graph. Every result is scoped to the caller's org.";
    const subscription = schema.getSubscriptionType();
    if (subscription) subscription.description = 'Live streams over graphql-ws (same path, `connection_init` carries the key): an import job as it runs.';
    const mutation = schema.getMutationType();
    if (mutation) {
      mutation.description =
        'Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code.';
    }
    return resolveObjectFieldsThroughResolvers(resolveTypesSynchronously(returnDateTimesInOrgZone(exposeGlobalIds(schema))));
  });
  return built;
}

/** The SDL committed as schema/schema.graphql. */
export async function printAppSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await buildAppSchema()))}\n`;
}
