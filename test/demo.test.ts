import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows, toId, toNumber } from '../src/core/sql/rows.js';
import { seedDemo } from '../src/app/seed/demo.js';
import { gqlClient, operation, type GqlClient } from './support/client.js';
import { startTestServer, type TestServer } from './support/server.js';

interface Standing {
  program: { id: string };
  pointsBalance: number;
  lifetimePoints: number;
  pointsExpiringSoon: { points: number; earliestExpiresAt: string | null };
}

/**
 * The demo `npm start` seeds, read through the queries the README points a newcomer to: whatever
 * the demo holds must be something the schema can answer.
 */
describe('the seeded demo org', () => {
  let server: TestServer;
  let client: GqlClient;

  beforeAll(async () => {
    server = await startTestServer();
    const key = await seedDemo(server.em());
    client = gqlClient(server.url, key);
  });
  afterAll(() => server?.stop());

  it('answers the whole single view of the demo customer without errors', async () => {
    const found = await client.request<{ customerByIdentifier: { id: string } | null }>(operation('CustomerByIdentifier'), { type: 'MOBILE', value: '6591000000' });
    const id = found.data?.customerByIdentifier?.id;
    expect(id).toBeDefined();

    const response = await client.request<{ customer: Record<string, unknown> | null }>(operation('CustomerSingleView'), { id });

    expect(response.errors).toBeUndefined();
    expect(response.data?.customer).toMatchObject({ firstName: 'Tom', customFields: { favourite_drink: 'latte' }, extendedFields: {} });
  });

  it('answers the customers page with the same fields without errors', async () => {
    const response = await client.request<{ customers: { nodes: unknown[] } }>(operation('CustomersPage'), { first: 10 });

    expect(response.errors).toBeUndefined();
    expect(response.data?.customers.nodes).toHaveLength(10);
    expect(response.data?.customers.nodes.every((node) => node !== null)).toBe(true);
  });

  it('leaves lots that are already due out of balances and "expiring soon", before the expiry job has run', async () => {
    const expected = await selectRows(
      server.em(),
      `select customer_id, sum(points) filter (where expires_at > now()) as live, count(*) filter (where expires_at <= now()) as due
        from points_ledger_entry group by customer_id order by customer_id`,
    );
    // The demo's oldest members have lots that expired weeks ago, and no EXPIRY entry exists yet.
    expect(expected.some((row) => toNumber(row.due) > 0)).toBe(true);

    const response = await client.request<{ customers: { nodes: { userId: string; loyalty: Standing[] }[] } }>(
      `query { customers(first: 40) { nodes { userId loyalty { program { id } pointsBalance lifetimePoints pointsExpiringSoon(withinDays: 3650) { points earliestExpiresAt } } } } }`,
    );

    expect(response.errors).toBeUndefined();
    const now = Date.now();
    for (const row of expected) {
      const customer = response.data?.customers.nodes.find((node) => Number(node.userId) === toId(row.customerId));
      const standing = customer?.loyalty[0];
      expect(standing?.pointsBalance).toBe(toNumber(row.live));
      expect(standing?.pointsExpiringSoon.points).toBe(toNumber(row.live));
      expect(Date.parse(standing?.pointsExpiringSoon.earliestExpiresAt ?? '')).toBeGreaterThan(now);
    }
  });
});
