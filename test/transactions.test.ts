import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.js';
import { TransactionAddDocument, type TransactionAddMutationVariables } from './generated/graphql.js';
import { gqlClient, globalId, typedRequest, type GqlClient } from './support/client.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCustomer, createOrg, type TestOrg } from './support/world.js';

const NOW = new Date('2024-03-01T04:00:00Z');

describe('transactionAdd', () => {
  const clock = new ManualClock(NOW);
  let server: TestServer;
  let org: TestOrg;
  let client: GqlClient;
  let storeCode: string;
  let otherStoreCode: string;
  let customers = 0;

  beforeAll(async () => {
    server = await startTestServer({ clock });
    org = await createOrg(server.em(), { role: 'INTEGRATION' });
    client = gqlClient(server.url, org.key);
    const stores = await server.em().execute<{ code: string }[]>('select code from store where org_id = ? order by id', [org.orgId]);
    [storeCode, otherStoreCode] = stores.map((store) => store.code);
  });
  afterAll(() => server?.stop());

  async function newCustomer(lifetimePurchases = 0): Promise<number> {
    customers += 1;
    const id = await createCustomer(server.em(), org, { mobile: `659200${String(customers).padStart(4, '0')}` });
    await server.em().execute('update loyalty_enrollment set lifetime_purchases = ? where customer_id = ?', [lifetimePurchases, id]);
    return id;
  }

  function add(customerId: number, input: Partial<TransactionAddMutationVariables['input']> = {}, as: GqlClient = client) {
    return typedRequest(as, TransactionAddDocument, {
      input: {
        customer: { type: 'USER_ID', value: String(customerId) },
        storeCode,
        billNumber: `B-${crypto.randomUUID().slice(0, 8)}`,
        amount: 10,
        occurredAt: '2024-03-01T10:00:00+08:00',
        ...input,
      },
    });
  }

  it('records the bill and its lines, earns points that expire after the program’s days, and adds to lifetime purchases', async () => {
    const id = await newCustomer();
    const response = await add(id, {
      billNumber: 'B-100',
      amount: 120.5,
      // 01:30 on 1 March in Singapore, still 29 February in UTC.
      occurredAt: '2024-02-29T17:30:00Z',
      lineItems: [
        { sku: 'LATTE-L', description: 'Large latte', quantity: 2, amount: 11 },
        { sku: 'BEANS', quantity: 0.25, amount: 109.5 },
      ],
    });
    expect(response.errors).toBeUndefined();
    const result = response.data!.transactionAdd;
    expect(result.userErrors).toEqual([]);
    expect(result.transaction).toMatchObject({
      billNumber: 'B-100',
      amount: 120.5,
      occurredAt: '2024-03-01T01:30:00+08:00',
      store: { code: storeCode },
      lineItems: [
        { sku: 'LATTE-L', description: 'Large latte', quantity: 2, amount: 11 },
        { sku: 'BEANS', description: null, quantity: 0.25, amount: 109.5 },
      ],
      pointsIssued: [{ kind: 'EARN', points: 120, expiresAt: '2025-03-01T01:30:00+08:00', program: { id: globalId('LoyaltyProgram', org.programId) } }],
      totalPoints: 120,
      customer: { id: globalId('Customer', id) },
      group: null,
    });
    expect(result.customer).toMatchObject({
      loyalty: [{ tier: { name: 'Silver' }, pointsBalance: 120, lifetimePurchases: 120.5 }],
      timeline: { nodes: [{ type: 'PURCHASED', summary: 'Spent 120.50, earned 120 points' }] },
      transactions: { nodes: [{ billNumber: 'B-100' }] },
    });
    expect(result.tierUpgrade).toBeNull();
    // The business day is the org's: 1 March in Singapore.
    const [row] = await server.em().execute<{ bill_date: string }[]>(`select to_char(bill_date, 'YYYY-MM-DD') as bill_date from "transaction" where customer_id = ?`, [id]);
    expect(row.bill_date).toBe('2024-03-01');
  });

  it('upgrades the tier when lifetime purchases cross its threshold, and shows it on the timeline', async () => {
    const id = await newCustomer(950);
    const crossing = await add(id, { amount: 100 });
    expect(crossing.data!.transactionAdd).toMatchObject({
      // Earned at the tier the customer had when buying.
      transaction: { totalPoints: 100 },
      tierUpgrade: { from: { name: 'Silver' }, to: { name: 'Gold' } },
      customer: {
        loyalty: [{ tier: { name: 'Gold' }, lifetimePurchases: 1050 }],
        timeline: { nodes: [{ type: 'TIER_UPGRADED', summary: 'Upgraded to Gold' }, { type: 'PURCHASED' }] },
      },
    });
    const next = await add(id, { amount: 100 });
    expect(next.data!.transactionAdd).toMatchObject({ transaction: { totalPoints: 150 }, tierUpgrade: null });
  });

  it('lifts a big spender straight to the highest tier reached', async () => {
    const id = await newCustomer();
    const response = await add(id, { amount: 6000 });
    expect(response.data!.transactionAdd.tierUpgrade).toEqual({ from: { name: 'Silver' }, to: { name: 'Platinum' } });
  });

  it('keeps bill numbers unique per store and business day', async () => {
    const id = await newCustomer();
    expect((await add(id, { billNumber: 'DUP-1' })).data!.transactionAdd.userErrors).toEqual([]);
    const same = await add(id, { billNumber: 'DUP-1', occurredAt: '2024-03-01T00:05:00+08:00', amount: 99 });
    expect(same.data!.transactionAdd).toEqual({
      transaction: null,
      customer: null,
      group: null,
      tierUpgrade: null,
      userErrors: [{ code: 'TRANSACTION_DUPLICATE', message: 'The store already has bill "DUP-1" on 2024-03-01.', field: ['input', 'billNumber'] }],
    });
    expect((await add(id, { billNumber: 'DUP-1', occurredAt: '2024-02-29T10:00:00+08:00' })).data!.transactionAdd.userErrors).toEqual([]);
    expect((await add(id, { billNumber: 'DUP-1', storeCode: otherStoreCode })).data!.transactionAdd.userErrors).toEqual([]);
    const [{ n }] = await server.em().execute<{ n: string }[]>(`select count(*) as n from "transaction" where customer_id = ?`, [id]);
    expect(Number(n)).toBe(3);
  });

  it('records one of five concurrent submissions of the same bill', async () => {
    const id = await newCustomer();
    const responses = await Promise.all(Array.from({ length: 5 }, () => add(id, { billNumber: 'RACE-1' }, gqlClient(server.url, org.key))));
    const codes = responses.map((response) => response.data!.transactionAdd.userErrors[0]?.code ?? null);
    expect(codes.filter((code) => code === null)).toHaveLength(1);
    expect(codes.filter((code) => code === 'TRANSACTION_DUPLICATE')).toHaveLength(4);
    const [{ points }] = await server.em().execute<{ points: string }[]>('select sum(points) as points from points_ledger_entry where customer_id = ?', [id]);
    expect(Number(points)).toBe(10);
  });

  describe('refuses, writing nothing', () => {
    it.each([
      { name: 'an unknown store', input: { storeCode: 'nowhere' }, error: { code: 'STORE_NOT_FOUND', message: 'The org has no store "nowhere".', field: ['input', 'storeCode'] } },
      { name: 'a zero amount', input: { amount: 0 }, error: { code: 'INVALID_INPUT', message: 'amount must be positive and at most 100000000.', field: ['input', 'amount'] } },
      {
        name: 'an amount beyond any bill',
        input: { amount: 100_000_000.01 },
        error: { code: 'INVALID_INPUT', message: 'amount must be positive and at most 100000000.', field: ['input', 'amount'] },
      },
      { name: 'a blank bill number', input: { billNumber: ' ' }, error: { code: 'INVALID_INPUT', message: 'billNumber is required.', field: ['input', 'billNumber'] } },
      {
        name: 'a purchase in the future',
        input: { occurredAt: '2024-03-01T13:00:00+08:00' },
        error: { code: 'INVALID_INPUT', message: 'occurredAt cannot be in the future.', field: ['input', 'occurredAt'] },
      },
      {
        name: 'a line with no quantity',
        input: { lineItems: [{ sku: 'A', quantity: 1, amount: 1 }, { sku: 'B', quantity: 0, amount: 1 }] },
        error: { code: 'INVALID_INPUT', message: 'quantity must be positive.', field: ['input', 'lineItems', '1', 'quantity'] },
      },
      {
        name: 'a group that does not exist',
        input: { groupId: globalId('UserGroup', 987_654) },
        error: { code: 'USER_GROUP_NOT_FOUND', message: 'The org has no user group with that id.', field: ['input', 'groupId'] },
      },
    ])('$name', async ({ input, error }) => {
      const id = await newCustomer();
      const response = await add(id, input);
      expect(response.data!.transactionAdd.userErrors).toEqual([error]);
      const [{ n }] = await server.em().execute<{ n: string }[]>(
        `select (select count(*) from "transaction" where customer_id = ?) + (select count(*) from points_ledger_entry where customer_id = ?) as n`,
        [id, id],
      );
      expect(Number(n)).toBe(0);
    });

    it('an unknown customer', async () => {
      const response = await typedRequest(client, TransactionAddDocument, {
        input: { customer: { type: 'MOBILE', value: '6500000000' }, storeCode, billNumber: 'X', amount: 1, occurredAt: '2024-03-01T10:00:00+08:00' },
      });
      expect(response.data!.transactionAdd.userErrors).toEqual([{ code: 'CUSTOMER_NOT_FOUND', message: 'No customer has MOBILE "6500000000".', field: ['input', 'customer'] }]);
    });
  });

  it('is refused to a VIEWER key with a top-level FORBIDDEN error', async () => {
    const viewer = gqlClient(server.url, (await createOrg(server.em(), { role: 'VIEWER' })).key);
    const response = await add(1, {}, viewer);
    expect(response.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
