import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { DateTime } from 'luxon';
import { formatInZone } from '../core/time.js';

/**
 * An instant as ISO-8601 with an offset. Output is produced in the org's time zone (see
 * `zoned-time.ts`), so `2022-03-01T04:30:00Z` reads `2022-03-01T12:30:00+08:00` for Asia/Singapore.
 * Input must carry an offset (or Z); it is never read in the server's zone.
 */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description:
    'An instant as ISO-8601 with a UTC offset, e.g. `2022-03-01T12:30:00+08:00`. Returned in the time zone of the org; accepted with any offset.',
  serialize(value) {
    if (typeof value === 'string') return value;
    if (value instanceof Date) return DateTime.fromJSDate(value, { zone: 'utc' }).toISO({ suppressMilliseconds: true }) ?? '';
    throw new GraphQLError('DateTime cannot represent a non-date value');
  },
  parseValue(value) {
    return parseInstant(value);
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be a string', { nodes: ast });
    return parseInstant(ast.value);
  },
});

function parseInstant(value: unknown): Date {
  if (typeof value !== 'string') throw new GraphQLError('DateTime must be an ISO-8601 string with an offset');
  const parsed = DateTime.fromISO(value, { setZone: true });
  if (!parsed.isValid || !/(Z|[+-]\d{2}(:?\d{2})?)$/i.test(value)) {
    throw new GraphQLError(`"${value}" is not an ISO-8601 date-time with an offset, e.g. 2022-03-01T12:30:00+08:00`);
  }
  return parsed.toJSDate();
}

