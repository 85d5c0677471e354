import path from 'node:path';
import { requestHeaders, ROOT } from './bench-support.js';
import type { MintedTokens } from './customer-tokens.js';
import type { QueryRequests } from './query-phase.js';

/** The requests of `bench:query`'s two reads (and of `bench:query-ab`, which runs the same). */

/** The database both benchmarks read (built by `bench:query`). */
export const QUERY_DATABASE = 'bench_query';
export const SINGLE_VIEW_FILE = path.join(ROOT, 'test/operations/CustomerSingleView.graphql');
export const REWARDS_PAGE_FILE = path.join(ROOT, 'test/operations/RewardsPage.graphql');

/** Customers compared between the GraphQL server and the floor on the rewards page. */
const REWARDS_SAMPLES = 10;

export function customerGlobalId(customerId: number): string {
  return Buffer.from(`Customer:${customerId}`).toString('base64url');
}

/** Customers whose single view is fetched from both servers and compared. */
function comparisonIds(customers: number): number[] {
  return [...new Set([1, Math.ceil(customers / 4), Math.ceil(customers / 2), Math.ceil((customers * 3) / 4), customers])];
}

/** The single view of a random customer per request; the fixed part of the body is serialised once, not per request. */
export function singleViewRequests(operation: string, customers: number, headers: Record<string, string>): QueryRequests {
  const prefix = `{"query":${JSON.stringify(operation)},"variables":{"id":"`;
  const bodyFor = (id: number): string => `${prefix}${customerGlobalId(id)}"}}`;
  return {
    rootField: 'customer',
    headers,
    nextBody: () => bodyFor(1 + Math.floor(Math.random() * customers)),
    samples: comparisonIds(customers).map((id) => ({ label: `customer ${id}`, request: { headers, body: bodyFor(id) } })),
  };
}

/** The same document every time, sent with the token of a random customer among those given one. */
export function rewardsPageRequests(operation: string, minted: MintedTokens): QueryRequests {
  const body = JSON.stringify({ query: operation });
  const tokens = minted.tokens;
  const authorizations = tokens.map(({ token }) => ({ authorization: `Bearer ${token}` }));
  const sampled = [...new Set(Array.from({ length: REWARDS_SAMPLES }, (_, k) => Math.floor((k * tokens.length) / REWARDS_SAMPLES)))];
  return {
    rootField: 'me',
    headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' },
    nextBody: () => body,
    nextHeaders: () => authorizations[Math.floor(Math.random() * authorizations.length)] as { authorization: string },
    samples: sampled.map((i) => {
      const { customerId, token } = tokens[i] as MintedTokens['tokens'][number];
      return { label: `customer ${customerId}`, request: { headers: requestHeaders(token), body } };
    }),
  };
}

