import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportedCustomerDocument } from './generated/graphql.js';
import type { ImportFieldMappingInput } from './generated/schema-types.js';
import { gqlClient, typedRequest, type GqlClient } from './support/client.js';
import { errorsByRow, importRows, type ImportRun } from './support/imports.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCustomer, createOrg, type TestOrg } from './support/world.js';

/*
 * Entity Life Cycle imports, end to end: registration events land on the customers
 * (`Customer.registrationEvents`, in the org's time zone), a source's reference is one event that
 * later rows update, and every bad row has its code.
 */

const MAPPING: ImportFieldMappingInput[] = [
  { header: 'Entity Type', field: 'entityType' },
  { header: 'Entity ID', field: 'entityId' },
  { header: 'Org Source ID', field: 'sourceId' },
  { header: 'Activity', field: 'activity' },
  { header: 'State', field: 'state' },
  { header: 'Added by', field: 'addedBy' },
  { header: 'Reference ID', field: 'referenceId' },
  { header: 'Updated on', field: 'updatedOn' },
];

describe('Entity Life Cycle imports', () => {
  let server: TestServer;
  let org: TestOrg;
  let client: GqlClient;
  let run: ImportRun;

  async function eventsOf(userId: number) {
    const response = await typedRequest(client, ImportedCustomerDocument, { type: 'USER_ID', value: String(userId) });
    return response.data!.customerByIdentifier!.registrationEvents.nodes;
  }

  async function eventCount(): Promise<number> {
    const [counted] = await server.em().execute<{ n: number }[]>('select count(*)::int as n from customer_lifecycle_event where org_id = ?', [org.orgId]);
    return counted.n;
  }

  beforeAll(async () => {
    server = await startTestServer();
    org = await createOrg(server.em());
    client = gqlClient(server.url, org.key);
    run = { server, client, key: org.key };
  });
  afterAll(() => server?.stop());

  it('records registration events on customers, and rejects each bad row with its code', async () => {
    const em = server.em();
    const ada = await createCustomer(em, org, { mobile: '6591000001' });
    const bob = await createCustomer(em, org, { mobile: '6591000002' });
    await em.execute(
      `insert into customer_lifecycle_event (org_id, customer_id, source_id, activity, state, added_by, reference_id, updated_on, created_at) values (?, ?, 'WECHAT', 'FOLLOW', 'ACTIVE', 'bot', 'REF-ADA', now(), now())`,
      [org.orgId, ada],
    );
    const job = await importRows(run, { profile: 'ENTITY_LIFE_CYCLE', mapping: MAPPING }, [
      /* 1 */ ['CUSTOMER', ada, 'WECHAT', 'FOLLOW', 'ACTIVE', 'wechat-bot', 'REF-1', '2022-02-03 19:00:00'],
      /* 2 */ ['customer', ada, 'WECHAT', 'REGISTER', 'ACTIVE', 'wechat-bot', 'REF-2', '2022-02-04 10:00:00'],
      /* 3 */ ['STORE', ada, 'WECHAT', 'FOLLOW', 'ACTIVE', 'wechat-bot', 'REF-3', '2022-02-04 10:00:00'],
      /* 4 */ ['CUSTOMER', 999999999, 'WECHAT', 'FOLLOW', 'ACTIVE', 'wechat-bot', 'REF-4', '2022-02-04 10:00:00'],
      /* 5 */ ['CUSTOMER', 'abc', 'WECHAT', 'FOLLOW', 'ACTIVE', 'wechat-bot', 'REF-5', '2022-02-04 10:00:00'],
      /* 6 */ ['CUSTOMER', bob, 'WECHAT', 'FOLLOW', 'ACTIVE', 'wechat-bot', 'REF-DUP', '2022-02-04 10:00:00'],
      /* 7 */ ['CUSTOMER', bob, 'WECHAT', 'REGISTER', 'ACTIVE', 'wechat-bot', 'REF-DUP', '2022-02-05 10:00:00'],
      /* 8 */ ['CUSTOMER', bob, 'LINE', 'FOLLOW', 'ACTIVE', 'line-bot', 'REF-DUP', '2022-02-05 10:00:00'],
      /* 9 */ ['CUSTOMER', bob, 'WECHAT', 'FOLLOW', 'ACTIVE', 'wechat-bot', 'REF-ADA', '2022-02-05 10:00:00'],
      /* 10 */ ['CUSTOMER', bob, 'WECHAT', 'FOLLOW', 'ACTIVE', 'wechat-bot', 'REF-10', 'last week'],
      /* 11 */ ['CUSTOMER', bob, 'WECHAT', 'FOLLOW', 'ACTIVE', 'wechat-bot', 'REF-11', '2099-01-01 00:00:00'],
      /* 12 */ ['CUSTOMER', bob, 'WECHAT', '', 'ACTIVE', 'wechat-bot', 'REF-12', '2022-02-05 10:00:00'],
    ]);
    expect(job.state).toBe('COMPLETED_WITH_ERRORS');
    expect(errorsByRow(job)).toEqual({
      3: ['ENTITY_TYPE_UNSUPPORTED'],
      4: ['CUSTOMER_NOT_FOUND'],
      5: ['VALUE_INVALID'],
      6: ['DUPLICATE_REFERENCE_IN_FILE'],
      7: ['DUPLICATE_REFERENCE_IN_FILE'],
      9: ['REFERENCE_BELONGS_TO_OTHER_CUSTOMER'],
      10: ['DATE_INVALID'],
      11: ['DATE_IN_FUTURE'],
      12: ['VALUE_MISSING'],
    });
    expect(job.errors.nodes.find((error) => error.row === 6)?.message).toBe('The reference REF-DUP of source WECHAT appears on 2 rows of the file (rows 6, 7).');
    expect(job.progress).toMatchObject({ rowsRead: 12, rowsAccepted: 3, rowsRejected: 9 });

    expect((await eventsOf(ada)).filter((event) => event.referenceId !== 'REF-ADA')).toEqual([
      { sourceId: 'WECHAT', activity: 'REGISTER', state: 'ACTIVE', addedBy: 'wechat-bot', referenceId: 'REF-2', updatedOn: '2022-02-04T10:00:00+08:00' },
      { sourceId: 'WECHAT', activity: 'FOLLOW', state: 'ACTIVE', addedBy: 'wechat-bot', referenceId: 'REF-1', updatedOn: '2022-02-03T19:00:00+08:00' },
    ]);
    expect(await eventsOf(bob)).toEqual([{ sourceId: 'LINE', activity: 'FOLLOW', state: 'ACTIVE', addedBy: 'line-bot', referenceId: 'REF-DUP', updatedOn: '2022-02-05T10:00:00+08:00' }]);
  });

  it('updates an event from a newer row, never from an older one, and not at all when updates are disabled', async () => {
    const cyd = await createCustomer(server.em(), org, { mobile: '6592000001' });
    const event = (state: string, updatedOn: string) => ['CUSTOMER', cyd, 'WECHAT', 'FOLLOW', state, 'wechat-bot', 'REF-CYD', updatedOn];
    await importRows(run, { profile: 'ENTITY_LIFE_CYCLE', mapping: MAPPING }, [event('ACTIVE', '2022-03-01 10:00:00')]);

    const newer = await importRows(run, { profile: 'ENTITY_LIFE_CYCLE', mapping: MAPPING }, [event('UNFOLLOWED', '2022-04-01 10:00:00')]);
    expect(newer.state).toBe('COMPLETED');
    expect(await eventsOf(cyd)).toMatchObject([{ state: 'UNFOLLOWED', updatedOn: '2022-04-01T10:00:00+08:00' }]);

    const older = await importRows(run, { profile: 'ENTITY_LIFE_CYCLE', mapping: MAPPING }, [event('ACTIVE', '2022-03-15 10:00:00')]);
    expect(older.state).toBe('COMPLETED');
    expect(await eventsOf(cyd)).toMatchObject([{ state: 'UNFOLLOWED', updatedOn: '2022-04-01T10:00:00+08:00' }]);

    const disabled = await importRows(run, { profile: 'ENTITY_LIFE_CYCLE', mapping: MAPPING, options: { disableUpdate: true } }, [event('BLOCKED', '2022-05-01 10:00:00')]);
    expect(errorsByRow(disabled)).toEqual({ 1: ['RECORD_UPDATE_DISABLED'] });
    expect(await eventsOf(cyd)).toMatchObject([{ state: 'UNFOLLOWED' }]);
  });

  it('records nothing in a dry run, yet reports what it would reject', async () => {
    const dee = await createCustomer(server.em(), org, { mobile: '6593000001' });
    const before = await eventCount();
    const job = await importRows(
      run,
      { profile: 'ENTITY_LIFE_CYCLE', mapping: MAPPING, options: { dateFormat: 'DMY_SLASH' } },
      [
        ['CUSTOMER', dee, 'WECHAT', 'FOLLOW', 'ACTIVE', 'wechat-bot', 'REF-DRY', '03/02/2022 19:00:00'],
        ['CUSTOMER', dee, 'WECHAT', 'FOLLOW', 'ACTIVE', 'wechat-bot', 'REF-DRY2', '2022-02-03 19:00:00'],
      ],
      true,
    );
    expect(job).toMatchObject({ dryRun: true, state: 'COMPLETED_WITH_ERRORS' });
    expect(errorsByRow(job)).toEqual({ 2: ['DATE_INVALID'] });
    expect(job.progress.rowsAccepted).toBe(1);
    expect(await eventCount()).toBe(before);
  });
});
