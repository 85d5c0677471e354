import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from '../../api/context.js';
import { customerAccessProblems, customerForbidden } from '../../api/customer-access.js';

/**
 * Checks a customer's operation against what their token may select (`customer-access.ts`) once
 * it is parsed and validated, before anything runs: one refused field refuses the whole operation
 * with a top-level FORBIDDEN. Staff keys are not looked at (no cost on their requests).
 */
export function customerAccessPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document, schema }) {
          if (!contextValue.customer) return;
          const problems = customerAccessProblems(schema, document, contextValue.customer);
          if (problems.length > 0) throw customerForbidden(problems);
        },
      };
    },
  };
}
