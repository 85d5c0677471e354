import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportedCustomerDocument } from './generated/graphql.js';
import type { ImportDateFormat, ImportFieldMappingInput } from './generated/schema-types.js';
import { gqlClient, typedRequest, type GqlClient } from './support/client.js';
import { errorsByRow, importRows, type ImportRun } from './support/imports.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCustomer, createOrg, type TestOrg } from './support/world.js';

/*
 * Transactions imports, end to end, in an org in New York (not UTC, with daylight saving): each
 * row recorded by the same service as `transactionAdd` (points, line item, group, tier), every
 * date format read as PRODUCT.md says, bills duplicated in the file or already there refused.
 */

const MAPPING: ImportFieldMappingInput[] = [
  { header: 'Mobile', field: 'mobile' },
  { header: 'Bill Number', field: 'billNumber' },
  { header: 'Bill Amount', field: 'billAmount' },
  { header: 'Transaction Date', field: 'billDate' },
  { header: 'Store', field: 'storeCode' },
  { header: 'Group', field: 'groupExternalId' },
  { header: 'SKU', field: 'itemSku' },
  { header: 'Item', field: 'itemDescription' },
  { header: 'Qty', field: 'itemQuantity' },
  { header: 'Item Amount', field: 'itemAmount' },
];

/** A row in MAPPING order: mobile, bill, amount, date, store; then group and line item, empty unless given. */
function row(mobile: string, bill: string, amount: string, date: string, store: string, extra: { group?: string; sku?: string; item?: string; qty?: string; itemAmount?: string } = {}): string[] {
  return [mobile, bill, amount, date, store, extra.group ?? '', extra.sku ?? '', extra.item ?? '', extra.qty ?? '', extra.itemAmount ?? ''];
}

describe('Transactions imports', () => {
  let server: TestServer;
  let org: TestOrg;
  let client: GqlClient;
  let run: ImportRun;
  let store: string;

  async function customer(mobile: string) {
    const response = await typedRequest(client, ImportedCustomerDocument, { type: 'MOBILE', value: mobile });
    return response.data!.customerByIdentifier!;
  }

  async function transactionCount(): Promise<number> {
    const [counted] = await server.em().execute<{ n: number }[]>('select count(*)::int as n from "transaction" where org_id = ?', [org.orgId]);
    return counted.n;
  }

  beforeAll(async () => {
    server = await startTestServer();
    org = await createOrg(server.em(), { timeZone: 'America/New_York' });
    client = gqlClient(server.url, org.key);
    run = { server, client, key: org.key };
    const [row] = await server.em().execute<{ code: string }[]>('select code from store where id = ?', [org.storeIds[0]]);
    store = row.code;
  });
  afterAll(() => server?.stop());

  it('records transactions with their points, line item, group and tier, and rejects each bad row with its code', async () => {
    const em = server.em();
    const ada = await createCustomer(em, org, { mobile: '6591000001' });
    await createCustomer(em, org, { mobile: '6591000002' });
    await createCustomer(em, org, { mobile: '6591000003' });
    const [group] = await em.execute<{ id: string }[]>(`insert into user_group (org_id, name, external_id, primary_member_id, created_at) values (?, 'Family', 'FAM-1', ?, now()) returning id`, [org.orgId, ada]);
    await em.execute('insert into user_group_member (org_id, group_id, customer_id, joined_at) values (?, ?, ?, now())', [org.orgId, group.id, ada]);
    await em.execute(
      `insert into "transaction" (org_id, customer_id, store_id, bill_number, bill_date, amount, occurred_at, created_at) values (?, ?, ?, 'OLD-1', '2022-03-01', 10, '2022-03-01T15:00:00Z', now())`,
      [org.orgId, ada, org.storeIds[0]],
    );

    const job = await importRows(run, { profile: 'TRANSACTIONS', mapping: MAPPING }, [
      /* 1 */ row('6591000001', 'B-1', '100.00', '2022-02-03 19:00:00', store, { sku: 'SKU-1', item: 'Coffee beans', qty: '2', itemAmount: '100' }),
      /* 2 */ row('6591000001', 'B-2', '50', '2022-02-04 10:00:00', store, { group: 'FAM-1' }),
      /* 3 */ row('6591000003', 'B-3', '1200', '2022-02-05 10:00:00', store),
      /* 4 */ row('6591000001', 'B-4', '', '2022-02-05 10:00:00', store),
      /* 5 */ row('6591000001', 'B-5', 'abc', '2022-02-05 10:00:00', store),
      /* 6 */ row('6591000001', 'B-6', '10', 'not a date', store),
      /* 7 */ row('6591000001', 'B-7', '10', '2099-01-01 10:00:00', store),
      /* 8 */ row('6591000001', 'B-8', '10', '2022-02-05 10:00:00', 'nowhere'),
      /* 9 */ row('6591999999', 'B-9', '10', '2022-02-05 10:00:00', store),
      /* 10 */ row('6591000001', 'B-10', '10', '2022-02-05 10:00:00', store, { group: 'NO-SUCH-GROUP' }),
      /* 11 */ row('6591000002', 'B-11', '10', '2022-02-05 10:00:00', store, { group: 'FAM-1' }),
      /* 12 */ row('6591000001', 'DUP-1', '10', '2022-02-06 09:00:00', store),
      /* 13 */ row('6591000002', 'DUP-1', '20', '2022-02-06 21:00:00', store),
      /* 14 */ row('6591000001', 'DUP-1', '30', '2022-02-07 09:00:00', store),
      /* 15 */ row('6591000001', 'OLD-1', '10', '2022-03-01 10:00:00', store),
      /* 16 */ row('6591000001', 'B-16', '10', '2022-02-05 10:00:00', store, { sku: 'SKU-2', qty: '-1' }),
      /* 17 */ row('6591000001', 'B-17', '10', '2022-02-05 10:00:00', store, { item: 'No SKU' }),
      /* 18 */ row('6591000001', '', '10', '2022-02-05 10:00:00', store),
    ]);
    expect(job.state).toBe('COMPLETED_WITH_ERRORS');
    expect(errorsByRow(job)).toEqual({
      4: ['VALUE_MISSING'],
      5: ['VALUE_INVALID'],
      6: ['DATE_INVALID'],
      7: ['DATE_IN_FUTURE'],
      8: ['STORE_UNKNOWN'],
      9: ['CUSTOMER_NOT_FOUND'],
      10: ['GROUP_NOT_FOUND'],
      11: ['CUSTOMER_NOT_IN_GROUP'],
      12: ['DUPLICATE_BILL_IN_FILE'],
      13: ['DUPLICATE_BILL_IN_FILE'],
      15: ['TRANSACTION_DUPLICATE'],
      16: ['VALUE_INVALID'],
      17: ['VALUE_MISSING'],
      18: ['VALUE_MISSING'],
    });
    expect(job.errors.nodes.find((error) => error.row === 12)?.message).toBe('The bill DUP-1 of 2022-02-06 appears on 2 rows of the file (rows 12, 13).');
    expect(job.errors.nodes.find((error) => error.row === 11)).toMatchObject({ field: 'mobile', value: '6591000002' });
    expect(job.progress).toMatchObject({ rowsRead: 18, rowsAccepted: 4, rowsRejected: 14 });

    const adaView = await customer('6591000001');
    const own = Object.fromEntries(adaView.transactions.nodes.map((t) => [t.billNumber, t]));
    expect(Object.keys(own).sort()).toEqual(['B-1', 'DUP-1', 'OLD-1']);
    expect(own['B-1']).toEqual({
      billNumber: 'B-1',
      amount: 100,
      occurredAt: '2022-02-03T19:00:00-05:00',
      store: { code: store },
      group: null,
      lineItems: [{ sku: 'SKU-1', description: 'Coffee beans', quantity: 2, amount: 100 }],
      pointsIssued: [{ kind: 'EARN', points: 100, expiresAt: '2023-02-03T19:00:00-05:00' }],
    });
    expect(own['DUP-1'].occurredAt).toBe('2022-02-07T09:00:00-05:00');
    const [groupPurchase] = await em.execute<{ amount: string; group_id: string }[]>(`select amount, group_id from "transaction" where org_id = ? and bill_number = 'B-2'`, [org.orgId]);
    expect(groupPurchase).toEqual({ amount: '50.00', group_id: group.id });
    // 1,200 spent crosses Gold's threshold (1,000): the tier moves as with transactionAdd.
    expect((await customer('6591000003')).loyalty[0]).toMatchObject({ tier: { name: 'Gold' }, lifetimePurchases: 1200 });
    expect((await customer('6591000002')).transactions.nodes).toEqual([]);
  });

  it('reads each of the nine date formats as the template names it, in the org time zone unless the value has an offset', async () => {
    await createCustomer(server.em(), org, { mobile: '6592000001' });
    const samples: [ImportDateFormat, string, string][] = [
      ['YMD_DASH', '2022-02-03 19:00:00', '2022-02-03T19:00:00-05:00'],
      ['DMY_DASH', '03-02-2022 19:00:00', '2022-02-03T19:00:00-05:00'],
      ['DMY_SLASH', '03/02/2022 19:00:00', '2022-02-03T19:00:00-05:00'],
      ['YMD_DASH_Z', '2017-05-11 15:46:48 Z', '2017-05-11T11:46:48-04:00'],
      ['YMD_DASH_XXX', '2022-02-03 12:08:56.235-07:00', '2022-02-03T14:08:56.235-05:00'],
      ['DMON_YY', '03-Feb-22 19:00:00', '2022-02-03T19:00:00-05:00'],
      ['MDY_SHORT', '2/3/22 19:00:00', '2022-02-03T19:00:00-05:00'],
      ['DMY_SHORT', '3/2/22 19:00:00', '2022-02-03T19:00:00-05:00'],
      ['MDY_PADDED', '02/03/22 19:00:00', '2022-02-03T19:00:00-05:00'],
      // Never guessed: the same text is another day under another format; an offset wins over the org's zone.
      ['MDY_SHORT', '3/2/22 19:00:00', '2022-03-02T19:00:00-05:00'],
      ['YMD_DASH', '2022-02-03 19:00:00+08:00', '2022-02-03T06:00:00-05:00'],
    ];
    for (const [index, [dateFormat, value]] of samples.entries()) {
      const job = await importRows(run, { profile: 'TRANSACTIONS', mapping: MAPPING, options: { dateFormat } }, [row('6592000001', `F-${index}`, '10', value, store)]);
      expect(job.state, `${dateFormat} ${value}: ${JSON.stringify(job.errors.nodes)}`).toBe('COMPLETED');
    }
    const read = Object.fromEntries((await customer('6592000001')).transactions.nodes.map((t) => [t.billNumber, t.occurredAt]));
    expect(read).toEqual(Object.fromEntries(samples.map(([, , expected], index) => [`F-${index}`, expected])));

    const wrong = await importRows(run, { profile: 'TRANSACTIONS', mapping: MAPPING, options: { dateFormat: 'MDY_SHORT' } }, [row('6592000001', 'F-X', '10', '13/2/22 19:00:00', store)]);
    expect(errorsByRow(wrong)).toEqual({ 1: ['DATE_INVALID'] });
    expect(wrong.errors.nodes[0].message).toBe('"13/2/22 19:00:00" is not a date in the format M/D/YY HH:mm:ss (e.g. 2/3/22 19:00:00).');
  });

  it('with validateTransactionNumbers, refuses malformed bill numbers and bills already there while validating', async () => {
    const em = server.em();
    const cid = await createCustomer(em, org, { mobile: '6593000001' });
    await em.execute(
      `insert into "transaction" (org_id, customer_id, store_id, bill_number, bill_date, amount, occurred_at, created_at) values (?, ?, ?, 'V-OLD', '2022-04-01', 10, '2022-04-01T15:00:00Z', now())`,
      [org.orgId, cid, org.storeIds[0]],
    );
    const rows = [row('6593000001', 'V 1!', '10', '2022-04-02 10:00:00', store), row('6593000001', 'V-OLD', '10', '2022-04-01 10:00:00', store), row('6593000001', 'V-2', '10', '2022-04-02 10:00:00', store)];
    const validated = await importRows(run, { profile: 'TRANSACTIONS', mapping: MAPPING, options: { validateTransactionNumbers: true } }, rows, true);
    expect(errorsByRow(validated)).toEqual({ 1: ['BILL_NUMBER_INVALID'], 2: ['TRANSACTION_DUPLICATE'] });
    // Found by the set-based check while validating (its message), not by the service while merging.
    expect(validated.errors.nodes.find((error) => error.row === 2)?.message).toBe('The store already has the bill V-OLD on 2022-04-01.');

    const unvalidated = await importRows(run, { profile: 'TRANSACTIONS', mapping: MAPPING }, rows, true);
    expect(errorsByRow(unvalidated)).toEqual({ 2: ['TRANSACTION_DUPLICATE'] });
    expect(unvalidated.errors.nodes[0].message).toBe('The store already has bill "V-OLD" on 2022-04-01.');
  });

  it('writes nothing in a dry run, yet reports what only recording finds', async () => {
    const em = server.em();
    await createCustomer(em, org, { mobile: '6594000001' });
    const other = await createCustomer(em, org, { mobile: '6594000002' });
    await em.execute(`insert into user_group (org_id, name, external_id, primary_member_id, created_at) values (?, 'Others', 'OTHERS', ?, now())`, [org.orgId, other]);
    const before = await transactionCount();
    const job = await importRows(
      run,
      { profile: 'TRANSACTIONS', mapping: MAPPING },
      [row('6594000001', 'D-1', '10', '2022-05-01 10:00:00', store), row('6594000001', 'D-2', '10', '2022-05-01 10:00:00', store, { group: 'OTHERS' })],
      true,
    );
    expect(job).toMatchObject({ dryRun: true, state: 'COMPLETED_WITH_ERRORS' });
    expect(errorsByRow(job)).toEqual({ 2: ['CUSTOMER_NOT_IN_GROUP'] });
    expect(job.progress).toMatchObject({ rowsAccepted: 1, rowsRejected: 1 });
    expect(await transactionCount()).toBe(before);
    expect((await customer('6594000001')).loyalty[0]).toMatchObject({ pointsBalance: 0, lifetimePurchases: 0 });
  });
});
