import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows, toId, toNumber } from '../src/core/sql/rows.js';
import { seedDemo } from '../src/app/seed/demo.js';
import { DEMO_CAMPAIGNS } from '../src/app/seed/demo-campaigns.js';
import { gqlClient, operation, type GqlClient } from './support/client.js';
import { startTestServer, type TestServer } from './support/server.js';

interface Progress {
  value: number;
  target: number;
  percent: number;
  status: string;
  completedAt: string | null;
}

interface CampaignEdges {
  edges: { node: { code: string; progress: Progress } }[];
}

interface DemoCampaignsData {
  campaigns: { edges: { node: { code: string; name: string; status: string; requiresOptIn: boolean; goal: { kind: string; target: number } } }[] };
  customers: {
    nodes: {
      mobile: string;
      active: CampaignEdges;
      eligible: CampaignEdges;
      completed: CampaignEdges;
      pointsLedger: { nodes: { kind: string; points: number; campaign: { code: string } | null }[] };
      timeline: { nodes: { summary: string }[] };
    }[];
  };
}

/** The demo's campaigns and every customer's lists, as a staff key reads them. */
const DEMO_CAMPAIGNS_QUERY = `query DemoCampaigns {
  campaigns(status: RUNNING) { edges { node { code name status requiresOptIn goal { kind target } } } }
  customers(first: 40) {
    nodes {
      mobile
      active: campaigns(filter: ACTIVE) { edges { node { code progress { value target percent status completedAt } } } }
      eligible: campaigns(filter: ELIGIBLE) { edges { node { code progress { value target percent status completedAt } } } }
      completed: campaigns(filter: COMPLETED) { edges { node { code progress { value target percent status completedAt } } } }
      pointsLedger(first: 3) { nodes { kind points campaign { code } } }
      timeline(first: 5, types: [CAMPAIGN_COMPLETED]) { nodes { summary } }
    }
  }
}`;

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

  it('runs two campaigns, with customers at every stage of them', async () => {
    const response = await client.request<DemoCampaignsData>(DEMO_CAMPAIGNS_QUERY);

    expect(response.errors).toBeUndefined();
    const { spend, visits } = DEMO_CAMPAIGNS;
    const campaigns = response.data?.campaigns.edges.map(({ node }) => node) ?? [];
    expect(campaigns).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: spend.code, name: spend.name, status: 'RUNNING', requiresOptIn: false, goal: { kind: 'SPEND', target: 500 } }),
        expect.objectContaining({ code: visits.code, name: visits.name, status: 'RUNNING', requiresOptIn: true, goal: { kind: 'VISITS', target: 5 } }),
      ]),
    );
    const customers = new Map(response.data?.customers.nodes.map((customer) => [customer.mobile, customer]));
    const progressIn = (mobile: string, list: 'active' | 'eligible' | 'completed', code: string): Progress | undefined =>
      customers.get(mobile)?.[list].edges.find(({ node }) => node.code === code)?.node.progress;

    // The partner app's customer: partway through both.
    expect(progressIn('6591000000', 'active', spend.code)).toMatchObject({ value: 180, target: 500, percent: 36, status: 'IN_PROGRESS' });
    expect(progressIn('6591000000', 'active', visits.code)).toMatchObject({ value: 3, target: 5, percent: 60, status: 'IN_PROGRESS' });
    // One completed the spend campaign: the reward is on their ledger and their timeline.
    const completer = customers.get('6591000001');
    expect(progressIn('6591000001', 'completed', spend.code)).toMatchObject({ value: 540, percent: 100, status: 'COMPLETED', completedAt: expect.any(String) });
    expect(progressIn('6591000001', 'active', spend.code)).toBeUndefined();
    expect(completer?.pointsLedger.nodes).toContainEqual({ kind: 'CAMPAIGN', points: spend.points, campaign: { code: spend.code } });
    expect(completer?.timeline.nodes).toEqual([{ summary: `Completed ${spend.name}, rewarded ${spend.points} points` }]);
    // The opt-in campaign waits for those who have not joined; one joined and has not been back.
    expect(progressIn('6591000001', 'eligible', visits.code)).toMatchObject({ value: 0, status: 'NOT_JOINED' });
    expect(progressIn('6591000004', 'active', visits.code)).toMatchObject({ value: 0, percent: 0, status: 'IN_PROGRESS' });
    // On hold: not eligible, whatever they bought.
    expect(customers.get('6591000009')?.active.edges).toEqual([]);

    const spendValues = [...customers.keys()].flatMap((mobile) => progressIn(mobile, 'active', spend.code)?.value ?? []);
    expect(spendValues.filter((value) => value === 0).length).toBeGreaterThan(10);
    expect(spendValues.filter((value) => value > 0 && value < 500).length).toBeGreaterThanOrEqual(5);
    expect(spendValues.some((value) => value >= 450)).toBe(true);
    expect([...customers.values()].filter((customer) => customer.completed.edges.length > 0)).toHaveLength(1);
  });
});
