import { Lexer, Source, TokenKind } from 'graphql';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATION_LIMITS } from '../src/api/armor.js';
import { gqlClient, globalId, wsClient, wsRequest, type GqlClient, type GraphQLResponse } from './support/client.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCustomer, createOrg, type TestOrg } from './support/world.js';

/*
 * End-to-end proofs that the server refuses abusive operations and leaks nothing in production.
 * Every limit is probed at the limit (accepted, with real data) and one past it (refused), so a
 * test fails both if the protection is removed and if it is set tighter than OPERATION_LIMITS.
 */

const { maxDepth, maxAliases, maxCost, maxDirectives, maxTokens } = OPERATION_LIMITS;

// ---------------------------------------------------------------------------------------------
// Operations built to an exact size, following GraphQL Armor's own counting
// (node_modules/@escape.tech/graphql-armor-*/dist/*.cjs.dev.js).
// ---------------------------------------------------------------------------------------------

/**
 * Depth (max-depth `countDepth`): every field is one level, the leaf included; the operation
 * itself is level 0. `customer { parent { … { firstName } } }` is therefore 1 (customer) +
 * `parents` + 1 (firstName) deep.
 */
function parentChainQuery(depth: number): string {
  const parents = depth - 2;
  return `query Chain($id: ID!) { customer(id: $id) { ${'parent { '.repeat(parents)}firstName${' }'.repeat(parents)} } }`;
}

/** Aliases (max-aliases `countAliases`): each aliased field counts 1, wherever it is. */
function aliasedQuery(aliases: number): string {
  const fields = Array.from({ length: aliases }, (_, i) => `viewer${i}: viewer { role }`);
  return `query Aliased { ${fields.join(' ')} }`;
}

/**
 * Cost (src/api/cost.ts): the most fields an operation may resolve with every page full. A
 * field costs 1; a field with a selection set costs 1 plus its children, times its `first` (a
 * literal, a variable's value, or the default page size when absent); top-level fields are summed.
 * With P = 100, the largest page the API serves (so the costly query still runs for real):
 *   customers(first: P) { nodes { id × a  cards(first: P) { nodes { id × j } } } }
 *     costs  P × (1 + (1 + a + P × (1 + (1 + j)))) = P × (2 + a + P × (2 + j))
 * and each top-level `__typename` adds exactly 1, which fills the gap to any integer cost.
 */
const PAGE_SIZE = 100;
const nestedCost = (a: number, j: number): number => PAGE_SIZE * (2 + a + PAGE_SIZE * (2 + j));
/** The most `id`s per card (j) and per customer (a) whose query still costs at most maxCost. */
const costShape = (() => {
  let j = 0;
  while (nestedCost(0, j + 1) <= maxCost) j += 1;
  let a = 0;
  while (nestedCost(a + 1, j) <= maxCost) a += 1;
  return { a, j };
})();

function costedQuery(cost: number): string {
  const typenames = cost - nestedCost(costShape.a, costShape.j);
  if (!Number.isInteger(typenames) || typenames < 0) throw new Error(`cannot build a query costing exactly ${cost}`);
  return `query Costly { ${'__typename '.repeat(typenames)}customers(first: ${PAGE_SIZE}) { nodes { ${'id '.repeat(costShape.a)}cards(first: ${PAGE_SIZE}) { nodes { ${'id '.repeat(costShape.j)}} } } } }`;
}

/** Lexical tokens exactly as graphql's parser counts them for `maxTokens` (every token but <EOF>). */
function tokenCount(document: string): number {
  const lexer = new Lexer(new Source(document));
  let count = 0;
  while (lexer.advance().kind !== TokenKind.EOF) count += 1;
  return count;
}

/**
 * A valid, cheap operation of exactly `tokens` tokens: the padding is a list of enum values (one
 * token each) that the timeline de-duplicates, so it costs nothing to validate or run.
 */
function queryOfTokens(tokens: number): string {
  const withTypes = (count: number): string =>
    `query Tokens($id: ID!) { customer(id: $id) { timeline(first: 1, types: [${Array(count).fill('PURCHASED').join(' ')}]) { nodes { id } } } }`;
  const fixed = tokenCount(withTypes(0));
  return withTypes(tokens - fixed);
}

/** Directives (max-directives `countDirectives`): every directive on any selection counts 1. */
function directivesQuery(directives: number): string {
  return `query Directed { viewer { ${'role @include(if: true) '.repeat(directives)}} }`;
}

// ---------------------------------------------------------------------------------------------
// Raw HTTP, for what the JSON client helper cannot send.
// ---------------------------------------------------------------------------------------------

interface RawResponse {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

async function rawRequest(url: string, init: RequestInit): Promise<RawResponse> {
  const response = await fetch(url, init);
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
}

function expectRejectedByValidation(response: GraphQLResponse, message: string): void {
  expect(response.status).toBe(400);
  expect(response.data ?? null).toBeNull();
  expect(response.errors).toHaveLength(1);
  expect(response.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  expect(response.errors?.[0].message).toContain(message);
}

function expectWsRejected(result: Omit<GraphQLResponse, 'status'>, message: string): void {
  expect(result.data ?? null).toBeNull();
  expect(result.errors).toHaveLength(1);
  expect(result.errors?.[0].message).toContain(message);
}

type Chain = { firstName: string | null; parent?: Chain | null };
function nthParent(customer: Chain | null | undefined, levels: number): Chain | null | undefined {
  let current = customer;
  for (let i = 0; i < levels; i += 1) current = current?.parent;
  return current;
}

// ---------------------------------------------------------------------------------------------

describe('operation limits (GraphQL Armor), over HTTP and WebSocket', () => {
  let server: TestServer;
  let org: TestOrg;
  let http: GqlClient;
  let ws: Client;
  let wsConnections = 0;
  let wsClosed = 0;
  /** chain[0] → parent chain[1] → … → chain[maxDepth - 2]: deep enough for a query at the limit. */
  const chain: number[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    const em = server.em();
    org = await createOrg(em);
    for (let i = 0; i <= maxDepth - 2; i += 1) chain.push(await createCustomer(em, org, { firstName: `Level${i}` }));
    for (let i = 0; i < chain.length - 1; i += 1) await em.execute('update customer set parent_id = ? where id = ?', [chain[i + 1], chain[i]]);
    http = gqlClient(server.url, org.key);
    ws = wsClient(server.wsUrl, org.key);
    ws.on('connected', () => (wsConnections += 1));
    ws.on('closed', () => (wsClosed += 1));
  });
  afterAll(async () => {
    await ws?.dispose();
    await server?.stop();
  });

  describe(`depth (maxDepth ${maxDepth})`, () => {
    const atLimit = parentChainQuery(maxDepth);
    const pastLimit = parentChainQuery(maxDepth + 1);
    const depthError = `Query depth limit of ${maxDepth} exceeded, found ${maxDepth + 1}.`;
    // At the limit the innermost field is the firstName of the last customer of the chain.
    const deepestParentLevels = maxDepth - 2;

    it('answers a query exactly at the depth limit over HTTP, and refuses one level deeper', async () => {
      const accepted = await http.request<{ customer: Chain }>(atLimit, { id: globalId('Customer', chain[0]) });
      expect(accepted.errors).toBeUndefined();
      expect(nthParent(accepted.data?.customer, deepestParentLevels)?.firstName).toBe(`Level${deepestParentLevels}`);

      const refused = await http.request(pastLimit, { id: globalId('Customer', chain[0]) });
      expectRejectedByValidation(refused, depthError);
    });

    it('answers a query exactly at the depth limit over WebSocket, and refuses one level deeper', async () => {
      const accepted = await wsRequest<{ customer: Chain }>(ws, atLimit, { id: globalId('Customer', chain[0]) });
      expect(accepted.errors).toBeUndefined();
      expect(nthParent(accepted.data?.customer, deepestParentLevels)?.firstName).toBe(`Level${deepestParentLevels}`);

      const refused = await wsRequest(ws, pastLimit, { id: globalId('Customer', chain[0]) });
      expectWsRejected(refused, depthError);
    });
  });

  describe(`aliases (maxAliases ${maxAliases})`, () => {
    const aliasError = `Aliases limit of ${maxAliases} exceeded, found ${maxAliases + 1}.`;
    const expectAllAnswered = (data: Record<string, unknown> | null | undefined): void => {
      expect(Object.keys(data ?? {})).toHaveLength(maxAliases);
      expect(Object.values(data ?? {})).toEqual(Array(maxAliases).fill({ role: 'ADMIN' }));
    };

    it(`answers ${maxAliases} aliases over HTTP and refuses ${maxAliases + 1}`, async () => {
      const accepted = await http.request(aliasedQuery(maxAliases));
      expect(accepted.errors).toBeUndefined();
      expectAllAnswered(accepted.data);

      expectRejectedByValidation(await http.request(aliasedQuery(maxAliases + 1)), aliasError);
    });

    it(`answers ${maxAliases} aliases over WebSocket and refuses ${maxAliases + 1}`, async () => {
      const accepted = await wsRequest(ws, aliasedQuery(maxAliases));
      expect(accepted.errors).toBeUndefined();
      expectAllAnswered(accepted.data);

      expectWsRejected(await wsRequest(ws, aliasedQuery(maxAliases + 1)), aliasError);
    });
  });

  describe(`cost (maxCost ${maxCost})`, () => {
    const costError = `Query Cost limit of ${maxCost} exceeded, found ${maxCost + 1}.`;
    type Page = { __typename: string; customers: { nodes: { id: string }[] } };

    it('builds its queries from the cost formula', () => {
      const { a, j } = costShape;
      expect(nestedCost(a, j)).toBeLessThanOrEqual(maxCost);
      expect(nestedCost(a + 1, j)).toBeGreaterThan(maxCost);
      expect(maxCost - nestedCost(a, j)).toBeLessThan(PAGE_SIZE);
      expect(costedQuery(maxCost + 1).match(/__typename/g)?.length).toBe(maxCost + 1 - nestedCost(a, j));
    });

    it('counts pages whose size comes from a variable or the default, not only literals', async () => {
      // 3 nested pages of 100: far over the limit whether written literally or passed as $n.
      const nested = (first: string) =>
        `query Nested${first.includes('$n') ? '($n: Int)' : ''} { customers${first} { nodes { transactions${first} { nodes { customer { cards${first} { nodes { number } } } } } } } }`;
      const literal = await http.request(nested('(first: 100)'));
      expect(literal.status).toBe(400);
      const viaVariable = await http.request(nested('(first: $n)'), { n: 100 });
      expect(viaVariable.status).toBe(400);
      expect(viaVariable.errors?.[0].message).toBe(literal.errors?.[0].message);
      expect(viaVariable.errors?.[0].message).toMatch(/^Query Cost limit of \d+ exceeded, found 3030200\.$/);
      // Left out, `first` is the default page of 20: 20 × (1 + 1 + 20 × (1 + 1 + 1 + 20 × (1 + 1 + 1))) = 25 240.
      const defaults = await http.request(nested(''));
      expect(defaults.errors).toBeUndefined();
      expect(defaults.extensions).toBeDefined();
      const overWs = await wsRequest(ws, nested('(first: $n)'), { n: 100 });
      expect(overWs.errors?.[0].message).toMatch(/found 3030200/);
    });

    it('answers a query costing exactly maxCost over HTTP, and refuses one costing 1 more', async () => {
      const accepted = await http.request<Page>(costedQuery(maxCost));
      expect(accepted.errors).toBeUndefined();
      expect(accepted.data?.customers.nodes).toHaveLength(chain.length);

      expectRejectedByValidation(await http.request(costedQuery(maxCost + 1)), costError);
    });

    it('answers a query costing exactly maxCost over WebSocket, and refuses one costing 1 more', async () => {
      const accepted = await wsRequest<Page>(ws, costedQuery(maxCost));
      expect(accepted.errors).toBeUndefined();
      expect(accepted.data?.customers.nodes).toHaveLength(chain.length);

      expectWsRejected(await wsRequest(ws, costedQuery(maxCost + 1)), costError);
    });
  });

  describe(`tokens (maxTokens ${maxTokens})`, () => {
    const tokenError = `${maxTokens} tokens`;
    type Timeline = { customer: { timeline: { nodes: unknown[] } } };

    it('builds documents of an exact token count', () => {
      expect(tokenCount(queryOfTokens(maxTokens))).toBe(maxTokens);
      expect(tokenCount(queryOfTokens(maxTokens + 1))).toBe(maxTokens + 1);
    });

    it('parses a document of exactly maxTokens over HTTP, refuses a longer one, and keeps serving', async () => {
      const variables = { id: globalId('Customer', chain[0]) };
      const accepted = await http.request<Timeline>(queryOfTokens(maxTokens), variables);
      expect(accepted.errors).toBeUndefined();
      expect(accepted.data?.customer.timeline.nodes).toEqual([]);

      const refused = await http.request(queryOfTokens(maxTokens + 1), variables);
      expect(refused.status).toBe(400);
      expect(refused.data ?? null).toBeNull();
      expect(refused.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
      expect(refused.errors?.[0].message).toContain(tokenError);

      const followUp = await http.request<{ viewer: { role: string } }>('{ viewer { role } }');
      expect(followUp.data?.viewer.role).toBe('ADMIN');
    });

    it('parses a document of exactly maxTokens over WebSocket, refuses a longer one, and keeps the connection serving', async () => {
      const variables = { id: globalId('Customer', chain[0]) };
      const accepted = await wsRequest<Timeline>(ws, queryOfTokens(maxTokens), variables);
      expect(accepted.errors).toBeUndefined();
      expect(accepted.data?.customer.timeline.nodes).toEqual([]);

      expectWsRejected(await wsRequest(ws, queryOfTokens(maxTokens + 1), variables), tokenError);

      const followUp = await wsRequest<{ viewer: { role: string } }>(ws, '{ viewer { role } }');
      expect(followUp.data?.viewer.role).toBe('ADMIN');
      // Same socket all along: it never closed and never had to reconnect.
      expect(wsConnections).toBe(1);
      expect(wsClosed).toBe(0);
    });
  });

  describe(`directives (maxDirectives ${maxDirectives})`, () => {
    it(`answers ${maxDirectives} directives over HTTP and refuses ${maxDirectives + 1}`, async () => {
      const accepted = await http.request<{ viewer: { role: string } }>(directivesQuery(maxDirectives));
      expect(accepted.errors).toBeUndefined();
      expect(accepted.data?.viewer.role).toBe('ADMIN');

      expectRejectedByValidation(
        await http.request(directivesQuery(maxDirectives + 1)),
        `Directives limit of ${maxDirectives} exceeded, found ${maxDirectives + 1}.`,
      );
    });
  });
});

describe('HTTP request hygiene: CSRF prevention and batching', () => {
  let server: TestServer;
  let org: TestOrg;
  const query = '{ viewer { role } }';

  beforeAll(async () => {
    server = await startTestServer();
    org = await createOrg(server.em());
  });
  afterAll(() => server?.stop());

  const auth = (): Record<string, string> => ({ authorization: `Bearer ${org.key}` });
  const csrfMessage = 'Cross-Site Request Forgery';

  it('answers a JSON POST', async () => {
    const response = await rawRequest(server.url, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ data: { viewer: { role: 'ADMIN' } }, extensions: expect.any(Object) });
  });

  it('refuses a simple GET (no preflight header) as a possible CSRF, but answers one with apollo-require-preflight', async () => {
    const getUrl = `${server.url}?query=${encodeURIComponent(query)}`;

    const refused = await rawRequest(getUrl, { method: 'GET', headers: auth() });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain(csrfMessage);

    const preflighted = await rawRequest(getUrl, { method: 'GET', headers: { ...auth(), 'apollo-require-preflight': 'true' } });
    expect(preflighted.status).toBe(200);
    expect(JSON.parse(preflighted.text).data).toEqual({ viewer: { role: 'ADMIN' } });
  });

  it('refuses a text/plain POST without a preflight header as a possible CSRF', async () => {
    const response = await rawRequest(server.url, { method: 'POST', headers: { ...auth(), 'content-type': 'text/plain' }, body: JSON.stringify({ query }) });
    expect(response.status).toBe(400);
    expect(response.text).toContain(csrfMessage);
  });

  it('refuses a batch (a JSON array of operations)', async () => {
    const response = await rawRequest(server.url, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify([{ query }, { query }]),
    });
    expect(response.status).toBe(400);
    expect(response.text).toMatch(/batching/i);
    expect(response.text).not.toContain('ADMIN');
  });
});

describe('production hardening, compared with development', () => {
  let development: TestServer;
  let production: TestServer;
  let developmentOrg: TestOrg;
  let productionOrg: TestOrg;

  beforeAll(async () => {
    [development, production] = await Promise.all([startTestServer(), startTestServer({ production: true })]);
    developmentOrg = await createOrg(development.em());
    productionOrg = await createOrg(production.em());
  });
  afterAll(() => Promise.all([development?.stop(), production?.stop()]));

  const introspection = '{ __schema { types { name } } }';

  it('allows introspection in development only', async () => {
    const allowed = await gqlClient(development.url, developmentOrg.key).request<{ __schema: { types: { name: string }[] } }>(introspection);
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data?.__schema.types.map((type) => type.name)).toContain('Customer');

    const refused = await gqlClient(production.url, productionOrg.key).request(introspection);
    expectRejectedByValidation(refused, 'introspection is not allowed');
  });

  it('serves Apollo Sandbox as the landing page in development only', async () => {
    const landing = (server: TestServer): Promise<RawResponse> => rawRequest(server.url, { method: 'GET', headers: { accept: 'text/html' } });

    const sandbox = await landing(development);
    expect(sandbox.status).toBe(200);
    expect(sandbox.contentType).toContain('text/html');
    expect(sandbox.text).toContain('EmbeddedSandbox');

    const none = await landing(production);
    expect(none.contentType).not.toContain('text/html');
    expect(none.text).not.toMatch(/sandbox/i);
  });

  it('includes stack traces for a bad request in development only', async () => {
    const badRequest = '{ noSuchField }';

    const developmentError = await gqlClient(development.url, developmentOrg.key).request(badRequest);
    expect(developmentError.status).toBe(400);
    expect(developmentError.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(developmentError.errors?.[0].extensions?.stacktrace).toEqual(expect.arrayContaining([expect.any(String)]));

    const productionError = await gqlClient(production.url, productionOrg.key).request(badRequest);
    expect(productionError.status).toBe(400);
    expect(productionError.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(productionError.errors?.[0].message).toContain('noSuchField');
    expect(productionError.errors?.[0].extensions).not.toHaveProperty('stacktrace');
  });
});

describe('production: internal errors are masked', () => {
  let server: TestServer;
  let org: TestOrg;
  let customerId: number;

  beforeAll(async () => {
    server = await startTestServer({ production: true });
    org = await createOrg(server.em());
    customerId = await createCustomer(server.em(), org, { firstName: 'Becky' });
    // A real fault, no mocks: the resolver of `interactions` needs this table (this database is
    // the test server's own).
    await server.em().execute('drop table interaction cascade');
  });
  afterAll(() => server?.stop());

  const interactionsQuery = 'query Interactions($id: ID!) { customer(id: $id) { firstName interactions { nodes { content } } } }';
  /** Words that would give the failing SQL away. */
  const leaks = /interaction"|relation|select|sql|does not exist|stack|at \w+ \(/i;

  function expectMasked(result: Omit<GraphQLResponse, 'status'>): void {
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]).toEqual({
      message: 'Internal server error',
      path: ['customer', 'interactions'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(JSON.stringify(result.errors)).not.toMatch(leaks);
  }

  it('answers "Internal server error" over HTTP, leaking no SQL, and keeps serving', async () => {
    const client = gqlClient(server.url, org.key);
    const failed = await client.request<{ customer: { firstName: string } | null }>(interactionsQuery, { id: globalId('Customer', customerId) });
    expectMasked(failed);

    const healthy = await client.request<{ customer: { firstName: string } }>('query Name($id: ID!) { customer(id: $id) { firstName } }', {
      id: globalId('Customer', customerId),
    });
    expect(healthy.errors).toBeUndefined();
    expect(healthy.data?.customer.firstName).toBe('Becky');
  });

  it('answers "Internal server error" over WebSocket, leaking no SQL, and keeps serving', async () => {
    const client = wsClient(server.wsUrl, org.key);
    try {
      expectMasked(await wsRequest(client, interactionsQuery, { id: globalId('Customer', customerId) }));

      const healthy = await wsRequest<{ viewer: { role: string } }>(client, '{ viewer { role } }');
      expect(healthy.errors).toBeUndefined();
      expect(healthy.data?.viewer.role).toBe('ADMIN');
    } finally {
      await client.dispose();
    }
  });
});
