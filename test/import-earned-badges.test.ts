import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportedCustomerDocument } from './generated/graphql.js';
import type { ImportFieldMappingInput } from './generated/schema-types.js';
import { gqlClient, typedRequest, type GqlClient } from './support/client.js';
import { errorsByRow, importRows, type ImportRun } from './support/imports.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCustomer, createOrg, type TestOrg } from './support/world.js';

/*
 * Earned Badges imports, end to end: badges issued (retro dates too) show in `customer.badges`
 * in the org's time zone; every bad row has its code, including those only the badge rules find
 * while merging, which a dry run reports too without issuing anything.
 */

const MAPPING: ImportFieldMappingInput[] = [
  { header: 'badgeMetaId', field: 'badgeMetaId' },
  { header: 'customerId', field: 'customerId' },
  { header: 'earnEventDate', field: 'earnEventDate' },
  { header: 'earnExpiresOn', field: 'earnExpiresOn' },
];

describe('Earned Badges imports', () => {
  let server: TestServer;
  let org: TestOrg;
  let client: GqlClient;
  let run: ImportRun;

  async function badgesOf(userId: number) {
    const response = await typedRequest(client, ImportedCustomerDocument, { type: 'USER_ID', value: String(userId) });
    return response.data!.customerByIdentifier!.badges.nodes;
  }

  beforeAll(async () => {
    server = await startTestServer();
    org = await createOrg(server.em());
    client = gqlClient(server.url, org.key);
    run = { server, client, key: org.key };
    for (const [metaId, name] of [
      ['WELCOME', 'Welcome'],
      ['VIP-EVENT', 'VIP event'],
    ]) {
      await server.em().execute('insert into badge_definition (org_id, meta_id, name, created_at) values (?, ?, ?, now())', [org.orgId, metaId, name]);
    }
  });
  afterAll(() => server?.stop());

  it('issues badges by user id, retro dates included, and rejects each bad row with its code', async () => {
    const em = server.em();
    const ada = await createCustomer(em, org, { mobile: '6591000001' });
    const bob = await createCustomer(em, org, { mobile: '6591000002' });
    const job = await importRows(run, { profile: 'EARNED_BADGES', mapping: MAPPING }, [
      /* 1 */ ['WELCOME', ada, '2021-01-01 10:00:00', '2030-01-01 00:00:00'],
      /* 2 */ ['VIP-EVENT', ada, '2022-05-05 18:30:00', '2023-05-05 18:30:00'],
      /* 3 */ ['NOPE', ada, '2022-05-05 18:30:00', '2023-05-05 18:30:00'],
      /* 4 */ ['WELCOME', 999999999, '2022-05-05 18:30:00', '2023-05-05 18:30:00'],
      /* 5 */ ['WELCOME', bob, '2022-05-05 18:30:00', '2022-05-05 18:30:00'],
      /* 6 */ ['WELCOME', bob, '2099-05-05 18:30:00', '2100-05-05 18:30:00'],
      /* 7 */ ['WELCOME', bob, '2022-02-30 18:30:00', '2023-05-05 18:30:00'],
      /* 8 */ ['', bob, '2022-05-05 18:30:00', '2023-05-05 18:30:00'],
      /* 9 */ ['WELCOME', 'abc', '2022-05-05 18:30:00', '2023-05-05 18:30:00'],
      /* 10 */ ['VIP-EVENT', bob, '2022-06-01 09:00:00', '2023-06-01 09:00:00'],
      /* 11 */ ['VIP-EVENT', bob, '2022-06-01 09:00:00', '2024-06-01 09:00:00'],
    ]);
    expect(job.state).toBe('COMPLETED_WITH_ERRORS');
    expect(errorsByRow(job)).toEqual({
      3: ['BADGE_UNKNOWN'],
      4: ['CUSTOMER_NOT_FOUND'],
      5: ['BADGE_EXPIRY_NOT_AFTER_EARN_DATE'],
      6: ['DATE_IN_FUTURE'],
      7: ['DATE_INVALID'],
      8: ['VALUE_MISSING'],
      9: ['VALUE_INVALID'],
      11: ['BADGE_ALREADY_EARNED'],
    });
    expect(job.errors.nodes.find((error) => error.row === 11)).toMatchObject({ field: 'earnEventDate', value: '2022-06-01T09:00:00+08:00' });
    expect(job.progress).toMatchObject({ rowsRead: 11, rowsAccepted: 3, rowsRejected: 8 });

    expect(await badgesOf(ada)).toEqual([
      { earnedAt: '2022-05-05T18:30:00+08:00', expiresAt: '2023-05-05T18:30:00+08:00', badge: { metaId: 'VIP-EVENT' } },
      { earnedAt: '2021-01-01T10:00:00+08:00', expiresAt: '2030-01-01T00:00:00+08:00', badge: { metaId: 'WELCOME' } },
    ]);
    expect(await badgesOf(bob)).toEqual([{ earnedAt: '2022-06-01T09:00:00+08:00', expiresAt: '2023-06-01T09:00:00+08:00', badge: { metaId: 'VIP-EVENT' } }]);
  });

  it('reads dates in the template format and customers by mobile', async () => {
    const carol = await createCustomer(server.em(), org, { mobile: '6592000001' });
    const job = await importRows(run, { profile: 'EARNED_BADGES', mapping: MAPPING, options: { customerIdentifierType: 'MOBILE', dateFormat: 'DMY_SLASH' } }, [
      ['WELCOME', '+65 9200 0001', '03/02/2022 19:00:00', '03/02/2023 19:00:00'],
    ]);
    expect(job.state).toBe('COMPLETED');
    expect(await badgesOf(carol)).toEqual([{ earnedAt: '2022-02-03T19:00:00+08:00', expiresAt: '2023-02-03T19:00:00+08:00', badge: { metaId: 'WELCOME' } }]);
  });

  it('reports in a dry run what only issuing finds (the same badge twice), and issues nothing', async () => {
    const dan = await createCustomer(server.em(), org, { mobile: '6593000001' });
    const rows = [
      ['WELCOME', dan, '2022-01-01 00:00:00', '2023-01-01 00:00:00'],
      ['WELCOME', dan, '2022-01-01 00:00:00', '2023-01-01 00:00:00'],
    ];
    const dry = await importRows(run, { profile: 'EARNED_BADGES', mapping: MAPPING }, rows, true);
    expect(dry).toMatchObject({ dryRun: true, state: 'COMPLETED_WITH_ERRORS' });
    expect(errorsByRow(dry)).toEqual({ 2: ['BADGE_ALREADY_EARNED'] });
    expect(dry.progress).toMatchObject({ rowsAccepted: 1, rowsRejected: 1 });
    expect(await badgesOf(dan)).toEqual([]);
  });
});
