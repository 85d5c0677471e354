import 'reflect-metadata';
import { createPubSub } from '@graphql-yoga/subscription';
import { isObjectType, lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema, type NonEmptyArray } from 'type-graphql';
import { badgeResolvers } from '../api/badge/index.js';
import { cardResolvers } from '../api/card/index.js';
import { customerResolvers } from '../api/customer/index.js';
import { importResolvers } from '../api/import/index.js';
import { incentiveResolvers } from '../api/incentive/index.js';
import { interactionResolvers } from '../api/interaction/index.js';
import { lifecycleResolvers } from '../api/lifecycle/index.js';
import { nodeResolvers } from '../api/node/node.resolver.js';
import { orgResolvers } from '../api/org/index.js';
import { partnerProgramResolvers } from '../api/partner-program/index.js';
import { pointsResolvers } from '../api/points/index.js';
import { programResolvers } from '../api/program/index.js';
import { timelineResolvers } from '../api/timeline/index.js';
import { transactionResolvers } from '../api/transaction/index.js';
import { userGroupResolvers } from '../api/user-group/index.js';
import { toGlobalId, type NodeRow } from '../api/relay.js';
import { returnDateTimesInOrgZone } from '../api/zoned-time.js';

export const pubSub = createPubSub();

const resolvers = [
  ...orgResolvers,
  ...nodeResolvers,
  ...customerResolvers,
  ...cardResolvers,
  ...programResolvers,
  ...pointsResolvers,
  ...userGroupResolvers,
  ...transactionResolvers,
  ...incentiveResolvers,
  ...badgeResolvers,
  ...partnerProgramResolvers,
  ...interactionResolvers,
  ...timelineResolvers,
  ...lifecycleResolvers,
  ...importResolvers,
] as unknown as NonEmptyArray<Function>;

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

let built: Promise<GraphQLSchema> | undefined;

/** The executable schema (built once per process: type-graphql's metadata is global). */
export function buildAppSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({ resolvers, pubSub, validate: false, emitSchemaFile: false }).then((schema) => {
    const query = schema.getQueryType();
    if (query) query.description = "Entry points of the loyalty graph. Every result is scoped to the caller's org.";
    const subscription = schema.getSubscriptionType();
    if (subscription) subscription.description = 'Live streams over graphql-ws (same path, `connection_init` carries the key): an import job as it runs.';
    const mutation = schema.getMutationType();
    if (mutation) {
      mutation.description =
        'Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code.';
    }
    return returnDateTimesInOrgZone(exposeGlobalIds(schema));
  });
  return built;
}

/** The SDL committed as schema/schema.graphql. */
export async function printAppSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await buildAppSchema()))}\n`;
}
