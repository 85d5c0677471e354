import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportedCustomerDocument } from './generated/graphql.js';
import type { ImportFieldMappingInput } from './generated/schema-types.js';
import { gqlClient, typedRequest, type GqlClient } from './support/client.js';
import { errorsByRow, importRows, type ImportRun } from './support/imports.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCustomer, createOrg, type TestOrg } from './support/world.js';

/*
 * User Subscription imports, end to end: consent per channel, priority and account, for the whole
 * org or one org unit, lands on the customers (channel names as the reference and files write
 * them), ambiguous rows are refused.
 */

const MAPPING: ImportFieldMappingInput[] = [
  { header: 'Mobile', field: 'mobile' },
  { header: 'Channel', field: 'channel' },
  { header: 'Priority', field: 'priority' },
  { header: 'Subscription Status', field: 'status' },
  { header: 'Account Name', field: 'account' },
  { header: 'Org Unit', field: 'orgUnitCode' },
];

describe('User Subscription imports', () => {
  let server: TestServer;
  let org: TestOrg;
  let client: GqlClient;
  let run: ImportRun;

  async function subscriptionsOf(mobile: string) {
    const response = await typedRequest(client, ImportedCustomerDocument, { type: 'MOBILE', value: mobile });
    return response.data!.customerByIdentifier!.channelSubscriptions;
  }

  beforeAll(async () => {
    server = await startTestServer();
    org = await createOrg(server.em());
    client = gqlClient(server.url, org.key);
    run = { server, client, key: org.key };
  });
  afterAll(() => server?.stop());

  it('opts customers in and out per channel, priority and account, and rejects each bad row with its code', async () => {
    const em = server.em();
    const first = await createCustomer(em, org, { mobile: '6591000001' });
    for (let i = 2; i <= 4; i += 1) await createCustomer(em, org, { mobile: `659100000${i}` });
    await em.execute(`insert into channel_subscription (org_id, customer_id, channel, priority, account, status, updated_at) values (?, ?, 'EMAIL', 'BULK', '', 'OPTIN', now())`, [org.orgId, first]);
    await em.execute(`insert into org_unit (org_id, code, name, sender_ids) values (?, 'NORTH', 'North', '{}')`, [org.orgId]);

    const job = await importRows(run, { profile: 'USER_SUBSCRIPTIONS', mapping: MAPPING }, [
      /* 1 */ ['6591000001', 'SMS', 'TRANS', 'OPTIN', '', ''],
      /* 2 */ ['6591000001', 'email', 'BULK', 'OPTOUT', '', ''],
      /* 3 */ ['6591000001', 'whatsapp', 'bulk', 'optin', 'brand-2', ''],
      /* 4 */ ['6591000002', 'mobilePush', 'TRANS', 'OPTIN', '', ''],
      /* 5 */ ['6591000003', 'fax', 'BULK', 'OPTIN', '', ''],
      /* 6 */ ['6591000003', 'EMAIL', 'URGENT', 'OPTIN', '', ''],
      /* 7 */ ['6591000003', 'EMAIL', 'BULK', 'MAYBE', '', ''],
      /* 8 */ ['6591000004', 'EMAIL', 'BULK', 'OPTIN', '', ''],
      /* 9 */ ['6591000004', 'EMAIL', 'BULK', 'OPTOUT', '', ''],
      /* 10 */ ['6591999999', 'EMAIL', 'BULK', 'OPTIN', '', ''],
      /* 11 */ ['6591000003', 'LINE', 'BULK', 'OPTIN', '', 'NOPE'],
      /* 12 */ ['6591000003', 'EMAIL', 'TRANS', 'OPTIN', '', 'NORTH'],
      /* 13 */ ['6591000003', '', 'TRANS', 'OPTIN', '', ''],
      /* 14 */ ['6591000001', 'email', 'BULK', 'OPTIN', '', 'NORTH'],
      /* 15 */ ['6591000004', 'SMS', 'BULK', 'OPTIN', '', 'NORTH'],
      /* 16 */ ['6591000004', 'SMS', 'BULK', 'OPTOUT', '', 'NORTH'],
    ]);
    expect(job.state).toBe('COMPLETED_WITH_ERRORS');
    expect(errorsByRow(job)).toEqual({
      5: ['SUBSCRIPTION_INVALID'],
      6: ['SUBSCRIPTION_INVALID'],
      7: ['SUBSCRIPTION_INVALID'],
      8: ['DUPLICATE_SUBSCRIPTION_IN_FILE'],
      9: ['DUPLICATE_SUBSCRIPTION_IN_FILE'],
      10: ['CUSTOMER_NOT_FOUND'],
      11: ['ORG_UNIT_UNKNOWN'],
      13: ['VALUE_MISSING'],
      15: ['DUPLICATE_SUBSCRIPTION_IN_FILE'],
      16: ['DUPLICATE_SUBSCRIPTION_IN_FILE'],
    });
    expect(job.errors.nodes.find((error) => error.row === 8)?.message).toBe('The subscription 6591000004 EMAIL BULK appears on 2 rows of the file (rows 8, 9).');
    expect(job.errors.nodes.find((error) => error.row === 15)?.message).toBe('The subscription 6591000004 MOBILE BULK NORTH appears on 2 rows of the file (rows 15, 16).');
    expect(job.progress).toMatchObject({ rowsRead: 16, rowsAccepted: 6, rowsRejected: 10 });

    // Row 14's consent for the NORTH unit sits beside the org-wide one row 2 opted out of.
    expect(await subscriptionsOf('6591000001')).toEqual([
      { channel: 'EMAIL', priority: 'BULK', account: null, orgUnitCode: null, status: 'OPTOUT' },
      { channel: 'EMAIL', priority: 'BULK', account: null, orgUnitCode: 'NORTH', status: 'OPTIN' },
      { channel: 'MOBILE', priority: 'TRANS', account: null, orgUnitCode: null, status: 'OPTIN' },
      { channel: 'WHATSAPP', priority: 'BULK', account: 'brand-2', orgUnitCode: null, status: 'OPTIN' },
    ]);
    expect(await subscriptionsOf('6591000002')).toEqual([{ channel: 'MOBILE_PUSH', priority: 'TRANS', account: null, orgUnitCode: null, status: 'OPTIN' }]);
    expect(await subscriptionsOf('6591000003')).toEqual([{ channel: 'EMAIL', priority: 'TRANS', account: null, orgUnitCode: 'NORTH', status: 'OPTIN' }]);
    expect(await subscriptionsOf('6591000004')).toEqual([]);
  });

  it('identifies customers by email when the template says so, and writes nothing in a dry run', async () => {
    await createCustomer(server.em(), org, { mobile: '6592000001', email: 'subs@example.com' });
    const mapping: ImportFieldMappingInput[] = [
      { header: 'Email', field: 'email' },
      { header: 'Channel', field: 'channel' },
      { header: 'Priority', field: 'priority' },
      { header: 'Status', field: 'status' },
    ];
    const template = { profile: 'USER_SUBSCRIPTIONS' as const, mapping, options: { customerIdentifierType: 'EMAIL' as const } };
    const dry = await importRows(run, template, [['Subs@Example.com', 'EMAIL', 'BULK', 'OPTIN']], true);
    expect(dry).toMatchObject({ dryRun: true, state: 'COMPLETED' });
    expect(dry.progress.rowsAccepted).toBe(1);
    expect(await subscriptionsOf('6592000001')).toEqual([]);

    const real = await importRows(run, template, [['Subs@Example.com', 'EMAIL', 'BULK', 'OPTIN']]);
    expect(real.state).toBe('COMPLETED');
    expect(await subscriptionsOf('6592000001')).toEqual([{ channel: 'EMAIL', priority: 'BULK', account: null, orgUnitCode: null, status: 'OPTIN' }]);
  });
});
