import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportedCustomerDocument } from './generated/graphql.js';
import type { ImportFieldMappingInput } from './generated/schema-types.js';
import { gqlClient, typedRequest, type GqlClient } from './support/client.js';
import { errorsByRow, importRows, type ImportRun } from './support/imports.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCustomer, createOrg, type TestOrg } from './support/world.js';

/*
 * Customer Status imports, end to end: a CSV through the API, the job, then each customer's
 * status in the graph, the timeline event the change leaves, and the codes of rejected rows.
 */

const MAPPING: ImportFieldMappingInput[] = [
  { header: 'Mobile', field: 'mobile' },
  { header: 'Status Label', field: 'statusLabel' },
  { header: 'Reason', field: 'statusReason' },
  { header: 'StoreCode', field: 'storeCode' },
];

describe('Customer Status imports', () => {
  let server: TestServer;
  let org: TestOrg;
  let client: GqlClient;
  let run: ImportRun;
  let storeCode: string;

  async function customer(mobile: string) {
    const response = await typedRequest(client, ImportedCustomerDocument, { type: 'MOBILE', value: mobile });
    return response.data!.customerByIdentifier!;
  }

  beforeAll(async () => {
    server = await startTestServer();
    org = await createOrg(server.em());
    client = gqlClient(server.url, org.key);
    run = { server, client, key: org.key };
    const [store] = await server.em().execute<{ code: string }[]>('select code from store where id = ?', [org.storeIds[0]]);
    storeCode = store.code;
  });
  afterAll(() => server?.stop());

  it('sets status labels and reasons, with a timeline event, and rejects each bad row with its code', async () => {
    const em = server.em();
    for (let i = 1; i <= 8; i += 1) await createCustomer(em, org, { mobile: `659100000${i}` });
    const job = await importRows(run, { profile: 'CUSTOMER_STATUS', mapping: MAPPING }, [
      /* 1 */ ['6591000001', 'on-hold', 'Chargebacks under review', storeCode],
      /* 2 */ ['6591000002', 'staff', '', ''],
      /* 3 */ ['6591999999', 'on-hold', '', storeCode],
      /* 4 */ ['6591000004', 'vip', '', storeCode],
      /* 5 */ ['6591000005', 'closed', '', 'nowhere'],
      /* 6 */ ['', 'closed', '', storeCode],
      /* 7 */ ['12', 'closed', '', storeCode],
      /* 8 */ ['6591000008', '', '', storeCode],
      /* 9 */ ['6591000003', 'closed', 'First', storeCode],
      /* 10 */ ['6591000003', 'on-hold', 'Second', storeCode],
    ]);
    expect(job.state).toBe('COMPLETED_WITH_ERRORS');
    expect(errorsByRow(job)).toEqual({
      3: ['CUSTOMER_NOT_FOUND'],
      4: ['STATUS_LABEL_UNKNOWN'],
      5: ['STORE_UNKNOWN'],
      6: ['VALUE_MISSING'],
      7: ['INVALID_MOBILE'],
      8: ['VALUE_MISSING'],
    });
    expect(job.progress).toMatchObject({ rowsRead: 10, rowsAccepted: 4, rowsRejected: 6 });

    const first = await customer('6591000001');
    expect(first.status).toEqual({ label: 'on-hold', standardStatus: 'SUSPENDED', reason: 'Chargebacks under review' });
    expect(first.timeline.nodes[0]).toEqual({ type: 'STATUS_CHANGED', summary: 'Status changed to on-hold' });
    expect((await customer('6591000002')).status).toEqual({ label: 'staff', standardStatus: 'INTERNAL', reason: null });
    // Rows of one customer apply in file order: the last one wins.
    expect((await customer('6591000003')).status).toEqual({ label: 'on-hold', standardStatus: 'SUSPENDED', reason: 'Second' });
    // Rejected rows left their customers as they were.
    for (const mobile of ['6591000004', '6591000005', '6591000008']) {
      expect((await customer(mobile)).status).toEqual({ label: 'active-customer', standardStatus: 'ACTIVE', reason: null });
    }
    const [audit] = await em.execute<{ details: { storeId: number | null } }[]>(
      `select details from audit_entry where org_id = ? and action = 'customerStatusUpdate' and subject_id = (select id from customer where org_id = ? and mobile = '6591000001')`,
      [org.orgId, org.orgId],
    );
    expect(audit.details.storeId).toBe(org.storeIds[0]);
  });

  it('finds customers by the identifier the template chooses, and stores by external id', async () => {
    const em = server.em();
    await createCustomer(em, org, { mobile: '6592000001', externalIds: ['CS-EXT-1'] });
    const [store] = await em.execute<{ external_id: string }[]>('select external_id from store where id = ?', [org.storeIds[1]]);
    const job = await importRows(
      run,
      {
        profile: 'CUSTOMER_STATUS',
        mapping: [
          { header: 'External Id', field: 'externalId' },
          { header: 'Label', field: 'statusLabel' },
          { header: 'Store', field: 'storeCode' },
        ],
        options: { customerIdentifierType: 'EXTERNAL_ID', storesByExternalId: true },
      },
      [
        ['CS-EXT-1', 'closed', store.external_id],
        ['CS-EXT-404', 'closed', store.external_id],
      ],
    );
    expect(errorsByRow(job)).toEqual({ 2: ['CUSTOMER_NOT_FOUND'] });
    expect((await customer('6592000001')).status).toMatchObject({ label: 'closed', standardStatus: 'DELETED' });
  });

  it('changes nothing in a dry run, yet reports what would be rejected', async () => {
    await createCustomer(server.em(), org, { mobile: '6593000001' });
    const job = await importRows(
      run,
      { profile: 'CUSTOMER_STATUS', mapping: MAPPING },
      [
        ['6593000001', 'closed', 'Dry', storeCode],
        ['6593999999', 'closed', 'Dry', storeCode],
      ],
      true,
    );
    expect(job).toMatchObject({ dryRun: true, state: 'COMPLETED_WITH_ERRORS' });
    expect(job.progress).toMatchObject({ rowsAccepted: 1, rowsRejected: 1, batchesMerged: 0 });
    expect(errorsByRow(job)).toEqual({ 2: ['CUSTOMER_NOT_FOUND'] });
    expect((await customer('6593000001')).status.label).toBe('active-customer');
  });
});
