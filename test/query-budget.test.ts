import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gqlClient, globalId, operation, type GqlClient } from './support/client.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createOrg, createRichCustomer, type TestOrg } from './support/world.js';

interface SingleView {
  customer: {
    cards: { nodes: unknown[] };
    transactions: { edges: { node: { lineItems: unknown[]; pointsIssued: unknown[] } }[] };
    supplementaryMemberships: { activityHistory: unknown[] }[];
    interactions: { nodes: unknown[] };
    badges: { nodes: unknown[] };
    incentives: { nodes: unknown[] };
    groups: unknown[];
    loyalty: { pointsBalance: number }[];
  };
}

describe('SQL statements per request (no N+1)', () => {
  let server: TestServer;
  let org: TestOrg;
  let client: GqlClient;
  let customerId: number;

  beforeAll(async () => {
    server = await startTestServer();
    const em = server.em();
    org = await createOrg(em);
    customerId = await createRichCustomer(em, org, { cards: 30, transactions: 200, memberships: 5, interactions: 100 }, 'rich0');
    for (let i = 1; i < 50; i += 1) {
      await createRichCustomer(em, org, { cards: 2, transactions: 3, memberships: 1, interactions: 2 }, `rich${i}`);
    }
    client = gqlClient(server.url, org.key);
    // Authenticate once: keys are cached, so steady-state requests spend no SQL on auth.
    await client.request(operation('Viewer'));
  });
  afterAll(() => server?.stop());

  it('answers the full single view of a big customer in at most 4 statements', async () => {
    const response = await client.request<SingleView>(operation('CustomerSingleView'), { id: globalId('Customer', customerId) });
    expect(response.errors).toBeUndefined();
    const customer = response.data!.customer;
    // The data is really there, so the count is not of an empty answer.
    expect(customer.cards.nodes).toHaveLength(30);
    expect(customer.transactions.edges).toHaveLength(20);
    expect(customer.transactions.edges[0].node.lineItems).toHaveLength(1);
    expect(customer.transactions.edges[0].node.pointsIssued).toHaveLength(1);
    expect(customer.supplementaryMemberships).toHaveLength(5);
    expect(customer.supplementaryMemberships[0].activityHistory).toHaveLength(1);
    expect(customer.interactions.nodes).toHaveLength(20);
    expect(customer.badges.nodes).toHaveLength(1);
    expect(customer.incentives.nodes).toHaveLength(1);
    expect(customer.groups).toHaveLength(1);
    expect(customer.loyalty[0].pointsBalance).toBeGreaterThan(0);
    expect(response.extensions?.sqlStatements).toBeGreaterThan(0);
    expect(response.extensions?.sqlStatements).toBeLessThanOrEqual(4);
  });

  it('reads points expiring soon beside the standings, at no statement of their own', async () => {
    const id = globalId('Customer', customerId);
    const without = await client.request('query ($id: ID!) { customer(id: $id) { loyalty { tier { name } pointsBalance } transactions(first: 5) { nodes { billNumber } } } }', { id });
    // Twice, with a literal window and through a fragment with a variable one: the lots expire in a year.
    const withExpiring = await client.request<{ customer: { loyalty: { pointsExpiringSoon: { points: number }; soon: { points: number } }[] } }>(
      `query ($id: ID!, $days: Int!) { customer(id: $id) {
        loyalty { tier { name } pointsBalance pointsExpiringSoon(withinDays: 400) { points earliestExpiresAt } ...Soon }
        transactions(first: 5) { nodes { billNumber } } } }
      fragment Soon on ProgramLoyalty { soon: pointsExpiringSoon(withinDays: $days) { points } }`,
      { id, days: 366 },
    );
    expect(without.errors).toBeUndefined();
    expect(withExpiring.errors).toBeUndefined();
    // The windows hold points, so the count is not of an empty answer.
    expect(withExpiring.data!.customer.loyalty[0].pointsExpiringSoon.points).toBeGreaterThan(0);
    expect(withExpiring.data!.customer.loyalty[0].soon.points).toBe(withExpiring.data!.customer.loyalty[0].pointsExpiringSoon.points);
    expect(withExpiring.extensions?.sqlStatements).toBe(without.extensions?.sqlStatements);
  });

  it('spends no more statements on 50 customers than on 1', async () => {
    const one = await client.request<{ customers: { nodes: unknown[] } }>(operation('CustomersPage'), { first: 1 });
    const fifty = await client.request<{ customers: { nodes: unknown[] } }>(operation('CustomersPage'), { first: 50 });
    expect(one.errors).toBeUndefined();
    expect(fifty.errors).toBeUndefined();
    expect(one.data?.customers.nodes).toHaveLength(1);
    expect(fifty.data?.customers.nodes).toHaveLength(50);
    expect(fifty.extensions?.sqlStatements).toBeGreaterThan(0);
    expect(fifty.extensions?.sqlStatements).toBeLessThanOrEqual(one.extensions!.sqlStatements!);
  });
});
