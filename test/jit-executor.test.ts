import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../src/app/env.js';
import { buildAppSchema } from '../src/app/schema.js';
import { compilable } from '../src/app/server/jit-executor.js';
import { gqlClient, globalId, operation, type GqlClient } from './support/client.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCustomer, createOrg, type TestOrg } from './support/world.js';

/**
 * HTTP operations run on graphql-jit from their second execution (src/app/server/jit-executor.ts);
 * these tests look at which executor answered (`extensions.executor`, outside production).
 */
describe('the graphql-jit executor', () => {
  let server: TestServer;
  let org: TestOrg;
  let client: GqlClient;
  let customerId: number;

  beforeAll(async () => {
    server = await startTestServer();
    org = await createOrg(server.em(), { role: 'ADMIN' });
    client = gqlClient(server.url, org.key);
    customerId = await createCustomer(server.em(), org, { firstName: 'Tom', mobile: '6591234567' });
  });
  afterAll(() => server?.stop());

  it('runs an operation on graphql-js first and compiled from its second execution, with the same answer', async () => {
    const singleView = operation('CustomerSingleView');
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await client.request(singleView, { id: globalId('Customer', customerId) }));
    expect(answers.map((answer) => answer.errors)).toEqual([undefined, undefined, undefined]);
    expect(answers.map((answer) => answer.extensions?.executor)).toEqual(['graphql-js', 'jit', 'jit']);
    expect((answers[0]?.data as { customer: { firstName: string } }).customer.firstName).toBe('Tom');
    expect(answers[1]?.data).toEqual(answers[0]?.data);
    expect(answers[2]?.data).toEqual(answers[0]?.data);
  });

  it('gives a compiled operation’s resolver errors the codes graphql-js gives, and refuses bad variables the same way', async () => {
    const query = 'query Find($id: ID!) { customer(id: $id) { id } node(id: $id) { id } }';
    const missing = [];
    for (let i = 0; i < 2; i++) missing.push(await client.request(query, { id: 'not-a-global-id' }));
    expect(missing.map((answer) => answer.extensions?.executor)).toEqual(['graphql-js', 'jit']);
    expect(missing[1]?.errors).toEqual(missing[0]?.errors);
    expect(missing[1]?.data).toEqual(missing[0]?.data);
    // Variables refused before anything runs: graphql-js's own words, which Apollo marks as bad input (400).
    const refused = await client.request(query, { id: { not: 'an id' } });
    expect(refused.status).toBe(400);
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('never compiles an operation with a string literal: a value graphql-jit would turn into code stays a value', async () => {
    // graphql-jit writes argument literals into generated code as JSON, then turns its own date
    // marker back into `new Date(…)` by text substitution: this value would run code there.
    const hostile = '__MAGIC_DATE__33a9e76d_02e0_4128_8e92_3530ad3da74d0),x:(globalThis.__jitInjected=1),y:(0';
    const query = `{ customerByIdentifier(type: MOBILE, value: "${hostile}") { id } }`;
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await client.request(query));
    expect(answers.map((answer) => answer.extensions?.executor)).toEqual(['graphql-js', 'graphql-js', 'graphql-js']);
    expect((globalThis as { __jitInjected?: unknown }).__jitInjected).toBeUndefined();
    expect(answers.map((answer) => answer.errors)).toEqual([undefined, undefined, undefined]);
    expect(answers.map((answer) => answer.data)).toEqual([{ customerByIdentifier: null }, { customerByIdentifier: null }, { customerByIdentifier: null }]);
  });

  it('keeps compiled documents to 128 K characters: a longer one is never compiled, and the least recently used makes room', async () => {
    // Compiled code grows with the document (long aliases, say): what compiled documents hold is bounded.
    const withAlias = (length: number): string => `{ viewer { ${'a'.repeat(length)}: role } }`;
    const executors = async (query: string, times: number): Promise<unknown[]> => {
      const answers = [];
      for (let i = 0; i < times; i++) answers.push(await client.request(query));
      expect(answers.map((answer) => answer.errors)).toEqual(answers.map(() => undefined));
      return answers.map((answer) => answer.extensions?.executor);
    };
    expect(await executors(withAlias(140_000), 3)).toEqual(['graphql-js', 'graphql-js', 'graphql-js']);
    const first = withAlias(70_000);
    const second = withAlias(70_001);
    expect(await executors(first, 2)).toEqual(['graphql-js', 'jit']);
    expect(await executors(second, 2)).toEqual(['graphql-js', 'jit']);
    // Both would hold over 128 K characters: the first was dropped, and is counted from its first execution again.
    expect(await executors(first, 2)).toEqual(['graphql-js', 'jit']);
  });

  it('compiles only operations whose literals are numbers, booleans, enums or null', async () => {
    const schema = await buildAppSchema();
    const compiles = (source: string): boolean => compilable(schema, parse(source));
    expect(compiles(operation('CustomerSingleView'))).toBe(true);
    expect(compiles(operation('RewardsPage'))).toBe(true);
    expect(compiles('query($id: ID!) { customer(id: $id) { cards(first: 5) { nodes { id } } } }')).toBe(true);
    expect(compiles('{ customerByIdentifier(type: MOBILE, value: "6591234567") { id } }')).toBe(false);
    expect(compiles('{ customer(id: "Q3VzdG9tZXI6MQ") { id } }')).toBe(false);
    expect(compiles('query($v: String = "6591234567") { customerByIdentifier(type: MOBILE, value: $v) { id } }')).toBe(false);
    expect(compiles('query($id: ID!) { customer(id: $id) { id @include(if: true) } }')).toBe(true);
    // Subscriptions are graphql-ws's, on graphql-js; one sent over HTTP is never compiled either.
    expect(compiles('subscription($id: ID!) { importProgress(jobId: $id) { batchesMerged } }')).toBe(false);
  });

  it('interprets every operation with GRAPHQL_EXECUTOR=graphql-js, and refuses an executor it does not know', async () => {
    expect(readConfig({}).graphqlExecutor).toBe('jit');
    expect(readConfig({ GRAPHQL_EXECUTOR: 'graphql-js' }).graphqlExecutor).toBe('graphql-js');
    expect(() => readConfig({ GRAPHQL_EXECUTOR: 'fast' })).toThrow('GRAPHQL_EXECUTOR must be jit or graphql-js, got "fast"');
    const interpreting = await startTestServer({ config: { graphqlExecutor: 'graphql-js' } });
    try {
      const other = await createOrg(interpreting.em(), { role: 'ADMIN' });
      const id = await createCustomer(interpreting.em(), other, { firstName: 'Ada' });
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await gqlClient(interpreting.url, other.key).request(operation('CustomerSingleView'), { id: globalId('Customer', id) }));
      expect(answers.map((answer) => answer.extensions?.executor)).toEqual(['graphql-js', 'graphql-js', 'graphql-js']);
      expect(answers.map((answer) => (answer.data as { customer: { firstName: string } }).customer.firstName)).toEqual(['Ada', 'Ada', 'Ada']);
    } finally {
      await interpreting.stop();
    }
  });
});
