import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gqlClient, globalId, operation, type GqlClient } from './support/client.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCard, createCustomer, createOrg, createRichCustomer, type TestOrg } from './support/world.js';

interface Found {
  customerByIdentifier: { id: string; userId: string; firstName: string } | null;
}

describe('reading the customer graph', () => {
  let server: TestServer;
  let org: TestOrg;
  let client: GqlClient;
  let tomId: number;

  beforeAll(async () => {
    server = await startTestServer();
    const em = server.em();
    org = await createOrg(em);
    tomId = await createCustomer(em, org, { firstName: 'Tom', mobile: '6591234567', email: 'tom@example.com', externalIds: ['WA1', 'LEGACY-7'] });
    await createCard(em, org, tomId, 'GOLD0001', { externalId: 'E-ACTIVE' });
    await createCard(em, org, tomId, 'GOLD0002', { externalId: 'E-EXPIRED', expired: true });
    client = gqlClient(server.url, org.key);
  });
  afterAll(() => server?.stop());

  it.each([
    ['USER_ID', () => String(tomId)],
    ['MOBILE', () => '+65 9123-4567'],
    ['EMAIL', () => 'TOM@example.com'],
    ['EXTERNAL_ID', () => 'LEGACY-7'],
    ['CARD_NUMBER', () => 'GOLD0001'],
    ['CARD_EXTERNAL_ID', () => 'E-ACTIVE'],
    // A card identifies its customer whatever its status.
    ['CARD_NUMBER', () => 'GOLD0002'],
    ['CARD_EXTERNAL_ID', () => 'E-EXPIRED'],
  ])('finds a customer by %s', async (type, value) => {
    const response = await client.request<Found>(operation('CustomerByIdentifier'), { type, value: value() });
    expect(response.errors).toBeUndefined();
    expect(response.data?.customerByIdentifier).toMatchObject({ id: globalId('Customer', tomId), userId: String(tomId), firstName: 'Tom' });
  });

  it.each([
    ['USER_ID', '999999'],
    ['USER_ID', 'not-a-number'],
    ['MOBILE', '6500000000'],
    ['EMAIL', 'nobody@example.com'],
    ['EXTERNAL_ID', 'nope'],
    ['CARD_NUMBER', 'GOLD9999'],
    ['CARD_EXTERNAL_ID', ''],
  ])('answers null for an unknown %s (%s)', async (type, value) => {
    const response = await client.request<Found>(operation('CustomerByIdentifier'), { type, value });
    expect(response.errors).toBeUndefined();
    expect(response.data?.customerByIdentifier).toBeNull();
  });

  it('rejects an identifier type that does not exist', async () => {
    const response = await client.request(operation('CustomerByIdentifier'), { type: 'NAME', value: 'Tom' });
    expect(response.status).toBe(400);
    expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('lists external ids in the order they were added, then by value', async () => {
    const em = server.em();
    const id = await createCustomer(em, org, { firstName: 'Ida', lastName: 'Order', mobile: '6591239999' });
    for (const [value, addedAt] of [
      ['ZED-1', '2024-01-01T00:00:00Z'],
      ['B-2', '2024-01-01T00:00:00Z'],
      ['A-3', '2024-02-01T00:00:00Z'],
    ]) {
      await em.execute('insert into customer_external_id (org_id, customer_id, value, created_at) values (?, ?, ?, ?)', [org.orgId, id, value, addedAt]);
    }
    const response = await client.request<{ customer: { externalIds: string[] } }>('query ($id: ID!) { customer(id: $id) { externalIds } }', { id: globalId('Customer', id) });
    expect(response.data!.customer.externalIds).toEqual(['B-2', 'ZED-1', 'A-3']);
  });

  it('shows the whole single view with objects, not bare ids', async () => {
    const richId = await createRichCustomer(server.em(), org, { cards: 3, transactions: 25, memberships: 2, interactions: 4 }, 'single');
    const response = await client.request<{ customer: Record<string, unknown> }>(operation('CustomerSingleView'), { id: globalId('Customer', richId) });
    expect(response.errors).toBeUndefined();
    const customer = response.data!.customer as {
      externalIds: string[];
      status: { label: string; standardStatus: string };
      joinStore: { code: string };
      loyalty: { program: { isDefault: boolean }; tier: { name: string; rank: number }; pointsBalance: number; lifetimePoints: number }[];
      cards: { nodes: { series: { code: string } }[] };
      transactions: { pageInfo: { hasNextPage: boolean }; edges: { node: { billNumber: string; occurredAt: string; store: { code: string } } }[] };
      groups: { name: string }[];
      supplementaryMemberships: { program: { name: string } }[];
      channelSubscriptions: { channel: string; status: string }[];
    };
    expect(customer.externalIds).toEqual(['X-single']);
    expect(customer.status).toMatchObject({ label: 'active-customer', standardStatus: 'ACTIVE' });
    // world.ts joins every customer at the org's first store, whose code ends in -s1.
    expect(customer.joinStore.code).toMatch(/-s1$/);
    // 25 transactions of 11..35 points each (see world.ts): balance is the ledger's sum.
    const expectedPoints = Array.from({ length: 25 }, (_, i) => 11 + i).reduce((a, b) => a + b, 0);
    expect(customer.loyalty).toEqual([
      expect.objectContaining({ program: expect.objectContaining({ isDefault: true }), tier: expect.objectContaining({ name: 'Silver', rank: 0 }), pointsBalance: expectedPoints, lifetimePoints: expectedPoints }),
    ]);
    expect(customer.cards.nodes).toHaveLength(3);
    expect(customer.cards.nodes[0].series.code).toBe('GOLDPHY');
    // Newest first, 20 of 25.
    expect(customer.transactions.edges).toHaveLength(20);
    expect(customer.transactions.pageInfo.hasNextPage).toBe(true);
    expect(customer.transactions.edges[0].node.billNumber).toBe('B-single-25');
    expect(customer.transactions.edges[0].node.occurredAt).toBe('2022-01-26T18:00:00+08:00');
    expect(customer.groups).toEqual([expect.objectContaining({ name: 'Group single' })]);
    expect(customer.supplementaryMemberships).toHaveLength(2);
    expect(customer.channelSubscriptions).toEqual([expect.objectContaining({ channel: 'EMAIL', status: 'OPTIN' })]);
  });

  it('pages transactions with cursors, without gaps or repeats', async () => {
    const richId = await createRichCustomer(server.em(), org, { cards: 1, transactions: 7, memberships: 0, interactions: 0 }, 'paging');
    const query = `query($id: ID!, $after: String) { customer(id: $id) { transactions(first: 3, after: $after) {
      pageInfo { hasNextPage endCursor } nodes { billNumber } } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page += 1) {
      const response: { data?: { customer: { transactions: { pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: { billNumber: string }[] } } } | null } =
        await client.request(query, { id: globalId('Customer', richId), after });
      const connection = response.data!.customer.transactions;
      seen.push(...connection.nodes.map((node) => node.billNumber));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(['B-paging-7', 'B-paging-6', 'B-paging-5', 'B-paging-4', 'B-paging-3', 'B-paging-2', 'B-paging-1']);
  });

  it('rejects a forged cursor and a page size over 100', async () => {
    const query = `query($id: ID!, $first: Int, $after: String) { customer(id: $id) { transactions(first: $first, after: $after) { nodes { id } } } }`;
    const forged = await client.request(query, { id: globalId('Customer', tomId), after: 'bm90LWEtY3Vyc29y' });
    expect(forged.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const tooMany = await client.request(query, { id: globalId('Customer', tomId), first: 101 });
    expect(tooMany.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('lists customers as a connection and searches them', async () => {
    const first = await client.request<{ customers: { pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: { id: string }[] } }>(
      `query { customers(first: 1) { pageInfo { hasNextPage endCursor } nodes { id } } }`,
    );
    expect(first.data?.customers.nodes).toEqual([{ id: globalId('Customer', tomId) }]);
    expect(first.data?.customers.pageInfo.hasNextPage).toBe(true);
    const search = await client.request<{ customers: { nodes: { firstName: string }[] } }>(`query { customers(search: "tom@example.com") { nodes { firstName } } }`);
    expect(search.data?.customers.nodes).toEqual([{ firstName: 'Tom' }]);
    const byName = await client.request<{ customers: { nodes: { firstName: string }[] } }>(`query { customers(search: "to") { nodes { firstName } } }`);
    expect(byName.data?.customers.nodes.map((c) => c.firstName)).toEqual(['Tom']);
  });

  it('refetches objects by global id with node(id:)', async () => {
    const response = await client.request<{ node: { __typename: string; firstName?: string } | null; bad: null }>(
      `query($id: ID!) { node(id: $id) { __typename ... on Customer { firstName } } bad: node(id: "garbage") { id } }`,
      { id: globalId('Customer', tomId) },
    );
    expect(response.data).toEqual({ node: { __typename: 'Customer', firstName: 'Tom' }, bad: null });
  });

  it('lists only current partner memberships unless includeEnded', async () => {
    const richId = await createRichCustomer(server.em(), org, { cards: 0, transactions: 0, memberships: 3, interactions: 0 }, 'members');
    await server.em().execute(
      `update program_membership set status = 'ENDED', ended_at = '2022-02-01T00:00:00Z' where customer_id = ? and membership_id = 'M-members-1'`,
      [richId],
    );
    const query = `query($id: ID!) { customer(id: $id) {
      current: supplementaryMemberships { membershipId }
      all: supplementaryMemberships(includeEnded: true) { membershipId status activityHistory { kind } } } }`;
    const response = await client.request<{ customer: { current: { membershipId: string }[]; all: { membershipId: string; status: string }[] } }>(query, {
      id: globalId('Customer', richId),
    });
    expect(response.data?.customer.current.map((m) => m.membershipId).sort()).toEqual(['M-members-2', 'M-members-3']);
    expect(response.data?.customer.all.map((m) => m.membershipId).sort()).toEqual(['M-members-1', 'M-members-2', 'M-members-3']);
  });

  it("keeps a group's transactions on the group, with points and expiry, not among the member's own", async () => {
    const em = server.em();
    const memberId = await createCustomer(em, org, { firstName: 'Ann' });
    const [group] = await em.execute<{ id: string }[]>(`insert into user_group (org_id, name, primary_member_id, created_at) values (?, 'Family', ?, now()) returning id`, [
      org.orgId,
      memberId,
    ]);
    await em.execute('insert into user_group_member (org_id, group_id, customer_id, joined_at) values (?, ?, ?, now())', [org.orgId, group.id, memberId]);
    await em.execute('insert into loyalty_enrollment (org_id, program_id, group_id, tier_id, lifetime_purchases, enrolled_at) values (?, ?, ?, ?, 120, now())', [
      org.orgId,
      org.programId,
      group.id,
      org.tierIds[0],
    ]);
    const [unenrolled] = await em.execute<{ id: string }[]>(
      `insert into user_group (org_id, name, primary_member_id, created_at) values (?, 'New family', ?, now()) returning id`,
      [org.orgId, memberId],
    );
    const [tx] = await em.execute<{ id: string }[]>(
      `insert into transaction (org_id, customer_id, group_id, store_id, bill_number, bill_date, amount, occurred_at, created_at)
        values (?, ?, ?, ?, 'FAM-1', '2022-05-01', 120, '2022-05-01T02:00:00Z', now()) returning id`,
      [org.orgId, memberId, group.id, org.storeIds[0]],
    );
    await em.execute(
      `insert into points_ledger_entry (org_id, program_id, group_id, transaction_id, kind, points, source, expires_at, created_at)
        values (?, ?, ?, ?, 'EARN', 120, 'test', '2033-05-01T02:00:00Z', now())`,
      [org.orgId, org.programId, group.id, tx.id],
    );
    const response = await client.request<{
      customer: { transactions: { nodes: unknown[] } };
      newGroup: { loyalty: { tier: { name: string }; pointsBalance: number } };
      userGroup: { loyalty: { tier: { name: string }; pointsBalance: number }; transactions: { nodes: { billNumber: string; pointsIssued: { points: number; expiresAt: string }[] }[] } };
    }>(
      `query($customer: ID!, $group: ID!, $newGroup: ID!) {
        customer(id: $customer) { transactions { nodes { billNumber } } }
        newGroup: userGroup(id: $newGroup) { loyalty { tier { name } pointsBalance } }
        userGroup(id: $group) { members { nodes { firstName } } loyalty { tier { name } pointsBalance }
          transactions { nodes { billNumber pointsIssued { points expiresAt } } } } }`,
      { customer: globalId('Customer', memberId), group: globalId('UserGroup', Number(group.id)), newGroup: globalId('UserGroup', Number(unenrolled.id)) },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.customer.transactions.nodes).toEqual([]);
    expect(response.data?.userGroup.transactions.nodes).toEqual([{ billNumber: 'FAM-1', pointsIssued: [{ points: 120, expiresAt: '2033-05-01T10:00:00+08:00' }] }]);
    expect(response.data?.userGroup.loyalty).toEqual({ tier: { name: 'Silver' }, pointsBalance: 120 });
    // Never null, even for a group not (yet) enrolled: it stands at the default program's base tier.
    expect(response.data?.newGroup.loyalty).toEqual({ tier: { name: 'Silver' }, pointsBalance: 0 });
  });
});
