import { defaultFieldResolver, getNamedType, isObjectType, isInterfaceType, type GraphQLSchema } from 'graphql';
import { DateTimeScalar } from './scalars.js';
import { formatInZone } from '../core/time.js';

/** What a resolver context must offer for zoned output. */
interface ZonedContext {
  readonly timeZone: string;
}

/**
 * Every `DateTime` field of every object type is wrapped once, at schema build, so that instants
 * are returned in the caller's org time zone. Done here, in one place, instead of in each of
 * dozens of field resolvers; fields of other types are untouched (no per-field cost).
 */
export function returnDateTimesInOrgZone(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    if (type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (getNamedType(field.type) !== DateTimeScalar && getNamedType(field.type).name !== DateTimeScalar.name) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context: ZonedContext, info) => {
        const value: unknown = resolve(source, args, context, info);
        return value instanceof Promise ? value.then((v: unknown) => zone(v, context)) : zone(value, context);
      };
    }
  }
  return schema;
}

function zone(value: unknown, context: ZonedContext): unknown {
  if (value instanceof Date) return formatInZone(value, context.timeZone);
  // A timestamp a resolver passed through as text (e.g. straight from SQL) is an instant too.
  if (typeof value === 'string') {
    const instant = new Date(value);
    return Number.isNaN(instant.getTime()) ? value : formatInZone(instant, context.timeZone);
  }
  if (Array.isArray(value)) return value.map((item) => zone(item, context));
  return value;
}
