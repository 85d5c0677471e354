import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { GraphQLError, ValidationContext, ValidationRule } from 'graphql';

/**
 * Limits on what one operation may ask for, the same over HTTP and WebSocket. The full customer
 * single view (the largest legitimate query) stays well inside them.
 */
export const OPERATION_LIMITS = {
  maxDepth: 12,
  maxCost: 20_000,
  maxAliases: 20,
  maxDirectives: 30,
  maxTokens: 5_000,
} as const;

/** GraphQL Armor's validation rules, added to the standard rules on both transports. */
export function operationLimitRules(): ValidationRule[] {
  // Report a rejection as a validation error (GRAPHQL_VALIDATION_FAILED); by default Armor throws,
  // which Apollo would treat as a server bug.
  const report = {
    propagateOnRejection: false,
    onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
  };
  return [
    maxDepthRule({ n: OPERATION_LIMITS.maxDepth, ignoreIntrospection: true, flattenFragments: true, ...report }),
    costLimitRule({ maxCost: OPERATION_LIMITS.maxCost, ignoreIntrospection: true, flattenFragments: true, ...report }),
    maxAliasesRule({ n: OPERATION_LIMITS.maxAliases, ...report }),
    maxDirectivesRule({ n: OPERATION_LIMITS.maxDirectives, ...report }),
  ] as unknown as ValidationRule[];
}
