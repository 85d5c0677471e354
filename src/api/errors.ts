import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';

/**
 * Codes of top-level errors: malformed requests, auth failures and bugs. Business failures a
 * user can act on are data (`userErrors`) in mutation payloads, not these.
 */
export const TopLevelErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type TopLevelErrorCode = (typeof TopLevelErrorCode)[keyof typeof TopLevelErrorCode];

export class UnauthenticatedError extends GraphQLError {
  constructor(message = 'A valid staff API key is required: send `Authorization: Bearer <key>`.') {
    super(message, { extensions: { code: TopLevelErrorCode.UNAUTHENTICATED, http: { status: 401 } } });
  }
}

export class UserInputError extends GraphQLError {
  constructor(message: string, argument?: string) {
    super(message, { extensions: { code: TopLevelErrorCode.BAD_USER_INPUT, argument } });
  }
}

/** Codes Apollo and GraphQL Armor use for request-level problems the client caused. */
const CLIENT_ERROR_CODES = new Set<string>([
  ...Object.values(TopLevelErrorCode).filter((code) => code !== TopLevelErrorCode.INTERNAL_SERVER_ERROR),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * The one place errors are shaped for clients. Known client errors pass through; anything else is
 * a bug: logged in full, and in production reduced to a generic message with no stack or detail.
 */
export function formatErrorFor(production: boolean, log: (error: unknown) => void) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && CLIENT_ERROR_CODES.has(code)) {
      if (!production) return formatted;
      return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code } };
    }
    log(unwrapResolverError(error));
    if (!production) return formatted;
    return {
      message: 'Internal server error',
      path: formatted.path,
      extensions: { code: TopLevelErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}

/**
 * A validation error without graphql-js's "Did you mean …?" hint, which names fields and types a
 * client did not ask about (what Apollo's `hideSchemaDetailsFromClientErrors` does over HTTP).
 */
export function withoutSchemaHints(error: GraphQLError): GraphQLError {
  const message = error.message.replace(/ ?Did you mean(.+?)\?$/, '');
  if (message === error.message) return error;
  return new GraphQLError(message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, originalError: error.originalError, extensions: error.extensions });
}
