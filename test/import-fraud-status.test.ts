import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportedCustomerDocument } from './generated/graphql.js';
import type { ImportFieldMappingInput } from './generated/schema-types.js';
import { gqlClient, typedRequest, type GqlClient } from './support/client.js';
import { errorsByRow, importRows, type ImportRun } from './support/imports.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCustomer, createOrg, type TestOrg } from './support/world.js';

/*
 * Fraud Status imports, end to end: statuses and reasons land on the customers, rows apply in
 * file order through the fraud status rules, and every kind of bad row has its code.
 */

const MAPPING: ImportFieldMappingInput[] = [
  { header: 'Mobile', field: 'mobile' },
  { header: 'Status', field: 'fraudStatus' },
  { header: 'Reason', field: 'fraudReason' },
  { header: 'StoreCode', field: 'storeCode' },
];

describe('Fraud Status imports', () => {
  let server: TestServer;
  let org: TestOrg;
  let client: GqlClient;
  let run: ImportRun;
  let store: string;

  async function fraudStatusOf(mobile: string) {
    const response = await typedRequest(client, ImportedCustomerDocument, { type: 'MOBILE', value: mobile });
    return response.data!.customerByIdentifier!.fraudStatus;
  }

  beforeAll(async () => {
    server = await startTestServer();
    org = await createOrg(server.em());
    client = gqlClient(server.url, org.key);
    run = { server, client, key: org.key };
    const [row] = await server.em().execute<{ code: string }[]>('select code from store where id = ?', [org.storeIds[0]]);
    store = row.code;
  });
  afterAll(() => server?.stop());

  it('sets fraud statuses row after row, and rejects each bad row with its code', async () => {
    const em = server.em();
    for (let i = 1; i <= 8; i += 1) await createCustomer(em, org, { mobile: `659100000${i}` });
    const job = await importRows(run, { profile: 'FRAUD_STATUS', mapping: MAPPING }, [
      /* 1 */ ['6591000001', 'INTERNAL', 'Staff customer', store],
      /* 2 */ ['6591000002', 'CONFIRMED', 'Chargebacks', store],
      /* 3 */ ['6591000002', 'reconfirmed', 'Chargebacks again', store],
      /* 4 */ ['6591000003', 'RECONFIRMED', 'Never confirmed', store],
      /* 5 */ ['6591000004', 'SUSPECT', 'Odd', store],
      /* 6 */ ['6591000005', 'MARKED', '', store],
      /* 7 */ ['6591000006', 'MARKED', 'Odd', 'nowhere'],
      /* 8 */ ['6591999999', 'MARKED', 'Odd', store],
      /* 9 */ ['6591000007', '', 'Odd', store],
    ]);
    expect(job.state).toBe('COMPLETED_WITH_ERRORS');
    expect(errorsByRow(job)).toEqual({
      4: ['FRAUD_STATUS_TRANSITION_INVALID'],
      5: ['FRAUD_STATUS_INVALID'],
      6: ['VALUE_MISSING'],
      7: ['STORE_UNKNOWN'],
      8: ['CUSTOMER_NOT_FOUND'],
      9: ['VALUE_MISSING'],
    });
    const transition = job.errors.nodes.find((error) => error.row === 4)!;
    expect(transition).toMatchObject({ field: 'fraudStatus', value: 'RECONFIRMED' });
    expect(job.progress).toMatchObject({ rowsRead: 9, rowsAccepted: 3, rowsRejected: 6 });

    expect(await fraudStatusOf('6591000001')).toEqual({ status: 'INTERNAL', reason: 'Staff customer' });
    expect(await fraudStatusOf('6591000002')).toEqual({ status: 'RECONFIRMED', reason: 'Chargebacks again' });
    for (const mobile of ['6591000003', '6591000004', '6591000005', '6591000006', '6591000007']) expect(await fraudStatusOf(mobile)).toBeNull();
  });

  it('replaces an unknown store with the template’s replacement store, reported as a correction', async () => {
    await createCustomer(server.em(), org, { mobile: '6592000001' });
    const [replacement] = await server.em().execute<{ code: string }[]>('select code from store where id = ?', [org.storeIds[2]]);
    const job = await importRows(run, { profile: 'FRAUD_STATUS', mapping: MAPPING, options: { replacementStoreCode: replacement.code } }, [
      ['6592000001', 'MARKED', 'Odd refunds', 'nowhere'],
    ]);
    expect(job.state).toBe('COMPLETED');
    expect(job.corrections.nodes.map((c) => [c.code, c.value, c.correctedValue])).toEqual([['STORE_REPLACED', 'nowhere', replacement.code]]);
    expect(await fraudStatusOf('6592000001')).toEqual({ status: 'MARKED', reason: 'Odd refunds' });
    const [audit] = await server
      .em()
      .execute<{ details: { storeId: number } }[]>(`select details from audit_entry where action = 'customerFraudStatusUpdate' and subject_id = (select id from customer where org_id = ? and mobile = '6592000001')`, [org.orgId]);
    expect(audit.details.storeId).toBe(org.storeIds[2]);
  });

  it('reports the fraud status rules in a dry run, and changes nothing', async () => {
    await createCustomer(server.em(), org, { mobile: '6593000001' });
    const job = await importRows(
      run,
      { profile: 'FRAUD_STATUS', mapping: MAPPING },
      [
        ['6593000001', 'CONFIRMED', 'Dry', store],
        ['6593000001', 'RECONFIRMED', 'Dry', store],
        ['6593000002', 'RECONFIRMED', 'Dry', store],
      ],
      true,
    );
    expect(job).toMatchObject({ dryRun: true, state: 'COMPLETED_WITH_ERRORS' });
    expect(errorsByRow(job)).toEqual({ 3: ['CUSTOMER_NOT_FOUND'] });
    expect(await fraudStatusOf('6593000001')).toBeNull();
    await createCustomer(server.em(), org, { mobile: '6593000003' });
    const transition = await importRows(run, { profile: 'FRAUD_STATUS', mapping: MAPPING }, [['6593000003', 'RECONFIRMED', 'Dry', store]], true);
    expect(errorsByRow(transition)).toEqual({ 1: ['FRAUD_STATUS_TRANSITION_INVALID'] });
    expect(await fraudStatusOf('6593000003')).toBeNull();
  });
});
