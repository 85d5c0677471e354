import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { GraphQLError, ValidationContext, ValidationRule } from 'graphql';

/**
 * Limits on what one operation may ask for, the same over HTTP and WebSocket. `maxCost` is the
 * most fields an operation may resolve with every page full (see cost.ts): the full single view
 * is about 2,000, a page of 100 full single views about 207,000; nested pages of pages are
 * refused.
 */
export const OPERATION_LIMITS = {
  maxDepth: 12,
  maxCost: 250_000,
  maxAliases: 20,
  maxDirectives: 30,
  maxTokens: 5_000,
} as const;

/** GraphQL Armor's validation rules, added to the standard rules on both transports (cost is checked once variables are known, in cost.ts). */
export function operationLimitRules(): ValidationRule[] {
  // Report a rejection as a validation error (GRAPHQL_VALIDATION_FAILED); by default Armor throws,
  // which Apollo would treat as a server bug.
  const report = {
    propagateOnRejection: false,
    onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
  };
  return [
    maxDepthRule({ n: OPERATION_LIMITS.maxDepth, ignoreIntrospection: true, flattenFragments: true, ...report }),
    // Armor lets aliases of `__typename` through by default: each is still a field to resolve and send.
    maxAliasesRule({ n: OPERATION_LIMITS.maxAliases, allowList: [], ...report }),
    maxDirectivesRule({ n: OPERATION_LIMITS.maxDirectives, ...report }),
  ] as unknown as ValidationRule[];
}
