import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerSingleViewDocument, ImportedCustomerDocument } from './generated/graphql.js';
import type { ImportFieldMappingInput, ImportOptionsInput } from './generated/schema-types.js';
import { gqlClient, typedRequest, type GqlClient } from './support/client.js';
import { createTemplate, csv, finishedJob, jobDetails, startInlineImport, type JobDetails } from './support/imports.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCustomer, createOrg, type TestOrg } from './support/world.js';

/*
 * Loyalty Customers, end to end: a CSV through the API (inline text), a worker running the job,
 * then the graph and the job's errors and corrections. Every error code of the reference's
 * customer error table has a row here that triggers it.
 */

const MAPPING: ImportFieldMappingInput[] = [
  { header: 'Mobile', field: 'mobile' },
  { header: 'Email', field: 'email' },
  { header: 'External Id', field: 'externalId' },
  { header: 'First Name', field: 'firstName' },
  { header: 'Last Name', field: 'lastName' },
  { header: 'Registration date', field: 'joinedAt' },
  { header: 'Store', field: 'storeCode' },
  { header: 'Slab Name', field: 'tierName' },
  { header: 'Status', field: 'statusLabel' },
  { header: 'Status Reason', field: 'statusReason' },
  { header: 'Shoe size', field: 'custom.shoe_size' },
  { header: 'Email bulk', field: 'subscription.EMAIL.BULK' },
];
const HEADER = MAPPING.map((entry) => entry.header);

describe('Loyalty Customers imports', () => {
  let server: TestServer;
  let org: TestOrg;
  let client: GqlClient;
  let store: { first: string; second: string; externalId: string };

  /** A CSV row in HEADER order from the fields given (others empty). */
  function row(cells: Partial<Record<(typeof HEADER)[number], string>>): string[] {
    return HEADER.map((header) => cells[header] ?? '');
  }

  async function runImport(options: ImportOptionsInput, rows: string[][], mapping = MAPPING, dryRun = false): Promise<JobDetails> {
    const templateId = await createTemplate(client, { name: `T${Math.random()}`, profile: 'LOYALTY_CUSTOMERS', mapping, options });
    const jobId = await startInlineImport(client, templateId, csv([mapping.map((entry) => entry.header), ...rows]), dryRun);
    return finishedJob(server, client, org.key, jobId);
  }

  function errorsByRow(job: JobDetails): Record<number, string[]> {
    const byRow: Record<number, string[]> = {};
    for (const error of job.errors.nodes) (byRow[error.row] ??= []).push(error.code);
    for (const codes of Object.values(byRow)) codes.sort();
    return byRow;
  }

  async function customerRow(where: string, params: unknown[]): Promise<Record<string, unknown> | undefined> {
    const rows = await server.em().execute<Record<string, unknown>[]>(`select * from customer where org_id = ? and ${where}`, [org.orgId, ...params]);
    return rows[0];
  }

  beforeAll(async () => {
    server = await startTestServer();
    org = await createOrg(server.em());
    client = gqlClient(server.url, org.key);
    const stores = await server.em().execute<{ code: string; external_id: string }[]>('select code, external_id from store where org_id = ? order by id', [org.orgId]);
    store = { first: stores[0].code, second: stores[1].code, externalId: stores[1].external_id };
  });
  afterAll(() => server?.stop());

  it('adds customers with everything the profile carries, correcting what it may, and they show in the graph', async () => {
    const job = await runImport({ appendCountryCode: true, replacementStoreCode: store.second }, [
      row({
        Mobile: ' 9111 0001 ',
        Email: 'Tom@Example.com',
        'External Id': 'lb67p',
        'First Name': 'Tom',
        'Last Name': "O'Sawyer",
        'Registration date': '2021-06-01 09:30:00',
        Store: store.first,
        'Slab Name': 'gold',
        Status: 'active-customer',
        'Status Reason': 'Migrated',
        'Shoe size': '42',
        'Email bulk': 'optin',
      }),
      row({ Mobile: '+65 9111-0002', Email: 'ada@example.com', 'First Name': 'Ada', 'Registration date': '2021-06-02 10:00:00', Store: 'no-such-store' }),
    ]);
    expect(job.state).toBe('COMPLETED');
    expect(job.progress).toMatchObject({ rowsRead: 2, rowsAccepted: 2, rowsRejected: 0, rowsCorrected: 2, rowsValid: 2 });
    expect(job.corrections.nodes.map((c) => [c.row, c.code, c.field, c.value, c.correctedValue])).toEqual([
      [1, 'WHITESPACE_TRIMMED', 'mobile', ' 9111 0001 ', '9111 0001'],
      [1, 'MOBILE_NORMALISED', 'mobile', '9111 0001', '91110001'],
      [1, 'COUNTRY_CODE_APPENDED', 'mobile', '91110001', '6591110001'],
      [1, 'EMAIL_LOWERCASED', 'email', 'Tom@Example.com', 'tom@example.com'],
      [2, 'MOBILE_NORMALISED', 'mobile', '+65 9111-0002', '6591110002'],
      [2, 'STORE_REPLACED', 'storeCode', 'no-such-store', store.second],
    ]);
    expect(job.correctionCounts).toEqual([
      { code: 'MOBILE_NORMALISED', rows: 2 },
      { code: 'COUNTRY_CODE_APPENDED', rows: 1 },
      { code: 'EMAIL_LOWERCASED', rows: 1 },
      { code: 'STORE_REPLACED', rows: 1 },
      { code: 'WHITESPACE_TRIMMED', rows: 1 },
    ]);
    expect(job.errorCounts).toEqual([]);

    const response = await typedRequest(client, CustomerSingleViewDocument, { id: await customerGlobalId('6591110001') });
    const tom = response.data?.customer;
    expect(tom).toMatchObject({
      firstName: 'Tom',
      lastName: "O'Sawyer",
      mobile: '6591110001',
      email: 'tom@example.com',
      externalIds: ['lb67p'],
      joinedAt: '2021-06-01T09:30:00+08:00',
      joinStore: { code: store.first },
      status: { label: 'active-customer', standardStatus: 'ACTIVE', reason: 'Migrated' },
      customFields: { shoe_size: '42' },
      channelSubscriptions: [{ channel: 'EMAIL', priority: 'BULK', status: 'OPTIN' }],
    });
    expect(tom?.loyalty).toMatchObject([{ tier: { name: 'Gold' }, pointsBalance: 0 }]);
    const ada = await customerRow('mobile = ?', ['6591110002']);
    expect(ada).toMatchObject({ first_name: 'Ada', join_store_id: String(org.storeIds[1]) });
  });

  async function customerGlobalId(mobile: string): Promise<string> {
    const found = await customerRow('mobile = ?', [mobile]);
    return Buffer.from(`Customer:${found!.id as string}`).toString('base64url');
  }

  it('rejects each bad row with the stable code of the reference error table, and writes none of them', async () => {
    const existing = await createCustomer(server.em(), org, { mobile: '6592000001', email: 'taken@example.com', externalIds: ['EXT-TAKEN'] });
    const before = await server.em().execute('select count(*)::int as n from customer where org_id = ?', [org.orgId]);
    const job = await runImport({}, [
      /* 1 */ row({ Mobile: '6592100001', Email: 'dup@example.com', Store: store.first, 'Registration date': '2021-01-01 00:00:00' }),
      /* 2 */ row({ Mobile: '6592100002', Email: 'dup@example.com', Store: store.first, 'Registration date': '2021-01-01 00:00:00' }),
      /* 3 */ row({ Mobile: '6592100003', 'External Id': 'DUPX', Store: store.first, 'Registration date': '2021-01-01 00:00:00' }),
      /* 4 */ row({ Mobile: '6592100004', 'External Id': 'DUPX', Store: store.first, 'Registration date': '2021-01-01 00:00:00' }),
      /* 5 */ row({ Mobile: '6592100005', Store: store.first, 'Registration date': '2021-01-01 00:00:00' }),
      /* 6 */ row({ Mobile: '6592100005', Store: store.first, 'Registration date': '2021-01-01 00:00:00' }),
      /* 7 */ row({ Mobile: '12345', Store: store.first, 'Registration date': '2021-01-01 00:00:00' }),
      /* 8 */ row({ Mobile: '6592100008', Email: 'not-an-email', Store: store.first, 'Registration date': '2021-01-01 00:00:00' }),
      /* 9 */ row({ Mobile: '6592100009', 'First Name': 'T0m$', Store: store.first, 'Registration date': '2021-01-01 00:00:00' }),
      /* 10 */ row({ Mobile: '6592100010', Store: store.first, 'Registration date': '2021-13-01 00:00:00' }),
      /* 11 */ row({ Mobile: '6592100011', Store: store.first, 'Registration date': '2099-01-01 00:00:00' }),
      /* 12 */ row({ Mobile: '6592100012', Store: store.first }),
      /* 13 */ row({ Mobile: '6592100013', Store: 'nowhere', 'Registration date': '2021-01-01 00:00:00' }),
      /* 14 */ row({ Mobile: '6592100014', Email: 'taken@example.com', Store: store.first, 'Registration date': '2021-01-01 00:00:00' }),
      /* 15 */ row({ Mobile: '6592100015', 'External Id': 'EXT-TAKEN', Store: store.first, 'Registration date': '2021-01-01 00:00:00' }),
      /* 16 */ row({ Mobile: '6592100016', Store: store.first, 'Registration date': '2021-01-01 00:00:00', Status: 'vip', 'Slab Name': 'Diamond' }),
      /* 17 */ row({ Mobile: '6592100017', Store: store.first, 'Registration date': '2021-01-01 00:00:00', 'Email bulk': 'maybe' }),
      /* 18 */ row({ Store: store.first, 'Registration date': '2021-01-01 00:00:00' }),
      /* 19 */ row({ Mobile: '6592100019', Store: store.first, 'Registration date': '2021-01-01 00:00:00' }),
    ]);
    expect(job.state).toBe('COMPLETED_WITH_ERRORS');
    expect(errorsByRow(job)).toEqual({
      1: ['DUPLICATE_EMAIL_IN_FILE'],
      2: ['DUPLICATE_EMAIL_IN_FILE'],
      3: ['DUPLICATE_EXTERNAL_ID_IN_FILE'],
      4: ['DUPLICATE_EXTERNAL_ID_IN_FILE'],
      5: ['DUPLICATE_MOBILE_IN_FILE'],
      6: ['DUPLICATE_MOBILE_IN_FILE'],
      7: ['INVALID_MOBILE'],
      8: ['INVALID_EMAIL'],
      9: ['NAME_HAS_SPECIAL_CHARACTERS'],
      10: ['JOIN_DATE_INVALID'],
      11: ['JOIN_DATE_IN_FUTURE'],
      12: ['JOIN_DATE_MISSING'],
      13: ['STORE_UNKNOWN'],
      14: ['EMAIL_BELONGS_TO_OTHER_CUSTOMER'],
      15: ['EXTERNAL_ID_BELONGS_TO_OTHER_CUSTOMER'],
      16: ['STATUS_LABEL_UNKNOWN', 'TIER_UNKNOWN'],
      17: ['SUBSCRIPTION_INVALID'],
      18: ['VALUE_MISSING'],
    });
    expect(job.progress).toMatchObject({ rowsRead: 19, rowsRejected: 18, rowsAccepted: 1 });
    const dup = job.errors.nodes.find((error) => error.row === 1)!;
    expect(dup).toMatchObject({ field: 'email', value: 'dup@example.com', message: 'The email dup@example.com appears on 2 rows of the file (rows 1, 2).' });
    const after = await server.em().execute('select count(*)::int as n from customer where org_id = ?', [org.orgId]);
    expect(after[0].n).toBe(before[0].n + 1);
    expect(await customerRow('id = ?', [existing])).toMatchObject({ mobile: '6592000001', email: 'taken@example.com' });
  });

  it("refuses to change an existing customer's mobile, a customer of another's mobile, inactive and fraud customers", async () => {
    const em = server.em();
    const byExternal = await createCustomer(em, org, { mobile: '6593000001', externalIds: ['EXT-1'] });
    await createCustomer(em, org, { mobile: '6593000002', externalIds: ['EXT-2'] });
    const suspended = await createCustomer(em, org, { mobile: '6593000003', externalIds: ['EXT-3'] });
    await em.execute('update customer set status_label_id = ? where id = ?', [org.statusLabelIds['on-hold'], suspended]);
    const fraud = await createCustomer(em, org, { mobile: '6593000004', externalIds: ['EXT-4'] });
    await em.execute(`update customer set fraud_status = 'MARKED' where id = ?`, [fraud]);
    const job = await runImport({ customerIdentifierType: 'EXTERNAL_ID' }, [
      row({ 'External Id': 'EXT-1', Mobile: '6593999999', Store: store.first }),
      row({ 'External Id': 'EXT-NEW', Mobile: '6593000002', Store: store.first, 'Registration date': '2021-01-01 00:00:00' }),
      row({ 'External Id': 'EXT-3', 'First Name': 'Changed', Store: store.first }),
      row({ 'External Id': 'EXT-4', 'First Name': 'Changed', Store: store.first }),
      row({ 'External Id': 'EXT-1', 'First Name': 'Renamed', Store: store.first, Email: 'ext1@example.com' }),
    ]);
    // Row 5 shares EXT-1 with row 1: the external id is duplicated in the file, so both are rejected too.
    expect(errorsByRow(job)).toEqual({
      1: ['DUPLICATE_EXTERNAL_ID_IN_FILE', 'MOBILE_CHANGE_NOT_ALLOWED'],
      2: ['MOBILE_BELONGS_TO_OTHER_CUSTOMER'],
      3: ['CUSTOMER_INACTIVE'],
      4: ['CUSTOMER_FRAUD'],
      5: ['DUPLICATE_EXTERNAL_ID_IN_FILE'],
    });
    expect(await customerRow('id = ?', [byExternal])).toMatchObject({ mobile: '6593000001', first_name: 'Tom', email: null });
    expect(await customerRow('id = ?', [suspended])).toMatchObject({ first_name: 'Tom' });
  });

  it('updates existing customers only in the fields the template allows, and not at all when updates are disabled', async () => {
    const em = server.em();
    const id = await createCustomer(em, org, { firstName: 'Old', lastName: 'Name', mobile: '6594000001', email: 'old@example.com' });
    await em.execute(`update customer set custom_fields = '{"shoe_size":"40","pet":"cat"}' where id = ?`, [id]);
    const mapping: ImportFieldMappingInput[] = [...MAPPING, { header: 'Pet', field: 'custom.pet' }];
    const cells = (first: string, email: string, shoe: string, pet: string): string[] => [...row({ Mobile: '6594000001', 'First Name': first, 'Last Name': 'New', Email: email, Store: store.first, 'Shoe size': shoe }), pet];

    const restricted = await runImport({ updatableFields: ['firstName', 'custom.shoe_size', 'custom.pet'], keepCustomFieldsWhenEmpty: true }, [cells('Fresh', 'new@example.com', '44', '')], mapping);
    expect(restricted.state).toBe('COMPLETED');
    expect(await customerRow('id = ?', [id])).toMatchObject({ first_name: 'Fresh', last_name: 'Name', email: 'old@example.com', custom_fields: { shoe_size: '44', pet: 'cat' } });

    const erasing = await runImport({}, [cells('Fresh', 'new@example.com', '45', '')], mapping);
    expect(erasing.state).toBe('COMPLETED');
    expect(await customerRow('id = ?', [id])).toMatchObject({ last_name: 'New', email: 'new@example.com', custom_fields: { shoe_size: '45' } });

    const disabled = await runImport({ disableUpdate: true }, [cells('Again', 'again@example.com', '46', 'dog')], mapping);
    expect(errorsByRow(disabled)).toEqual({ 1: ['CUSTOMER_UPDATE_DISABLED'] });
    expect(await customerRow('id = ?', [id])).toMatchObject({ first_name: 'Fresh', custom_fields: { shoe_size: '45' } });
  });

  it('links fleet children to parents that exist or come later in the same file', async () => {
    const mapping: ImportFieldMappingInput[] = [
      { header: 'Mobile', field: 'mobile' },
      { header: 'Store', field: 'storeCode' },
      { header: 'Parent', field: 'parent' },
    ];
    const parent = await createCustomer(server.em(), org, { mobile: '6595000001' });
    const job = await runImport({}, [
      [`6595000002`, store.first, '6595000001'],
      [`6595000003`, store.first, '6595000004'],
      [`6595000004`, store.first, ''],
      [`6595000005`, store.first, '6595999999'],
      [`6595000006`, store.first, '6595000006'],
    ], mapping);
    expect(errorsByRow(job)).toEqual({ 4: ['PARENT_NOT_FOUND'], 5: ['PARENT_IS_SELF'] });
    const child = await customerRow('mobile = ?', ['6595000002']);
    expect(child?.parent_id).toBe(String(parent));
    const later = await customerRow('mobile = ?', ['6595000004']);
    expect((await customerRow('mobile = ?', ['6595000003']))?.parent_id).toBe(later?.id);
  });

  it('identifies rows by user id to update existing customers only', async () => {
    const id = await createCustomer(server.em(), org, { firstName: 'Before', mobile: '6596000001' });
    const mapping: ImportFieldMappingInput[] = [
      { header: 'User Id', field: 'userId' },
      { header: 'First Name', field: 'firstName' },
      { header: 'Store', field: 'storeCode' },
    ];
    const job = await runImport({ customerIdentifierType: 'USER_ID' }, [
      [String(id), 'After', store.first],
      ['999999999', 'Nobody', store.first],
    ], mapping);
    expect(errorsByRow(job)).toEqual({ 2: ['CUSTOMER_NOT_FOUND'] });
    expect(await customerRow('id = ?', [id])).toMatchObject({ first_name: 'After' });
  });

  it('carries points over into the ledger for new customers, once, and refuses other points for existing ones', async () => {
    const em = server.em();
    const mapping: ImportFieldMappingInput[] = [
      { header: 'Mobile', field: 'mobile' },
      { header: 'Store', field: 'storeCode' },
      { header: 'Registration date', field: 'joinedAt' },
      { header: 'Loyalty Points', field: 'loyaltyPoints' },
      { header: 'Lifetime Points', field: 'lifetimePoints' },
    ];
    for (const mobile of ['6599100001', '6599100002']) {
      const id = await createCustomer(em, org, { mobile });
      await em.execute(
        `insert into points_ledger_entry (org_id, program_id, customer_id, kind, points, source, expires_at, created_at) values (?, ?, ?, 'EARN', 40, 'test', now() + interval '1 year', now())`,
        [org.orgId, org.programId, id],
      );
    }
    const joined = '2021-01-01 00:00:00';
    const rows = [
      /* 1 */ ['6599000001', store.first, joined, '300', '500'],
      /* 2 */ ['6599000002', store.first, joined, '120', ''],
      /* 3 */ ['6599000003', store.first, joined, '0', '0'],
      /* 4 */ ['6599000004', store.first, joined, '500', '100'],
      /* 5 */ ['6599000005', store.first, joined, 'x', ''],
      /* 6 */ ['6599100001', store.first, '', '40', '40'],
      /* 7 */ ['6599100002', store.first, '', '999', ''],
    ];
    const job = await runImport({}, rows, mapping);
    expect(errorsByRow(job)).toEqual({ 4: ['POINTS_INVALID'], 5: ['POINTS_INVALID'], 7: ['POINTS_CHANGE_NOT_ALLOWED'] });
    expect(job.errors.nodes.find((error) => error.row === 7)?.message).toMatch(/has 40 points \(40 lifetime\) in its ledger/);

    const loyalty = async (mobile: string) => (await typedRequest(client, ImportedCustomerDocument, { type: 'MOBILE', value: mobile })).data!.customerByIdentifier!.loyalty[0];
    expect(await loyalty('6599000001')).toMatchObject({ pointsBalance: 300, lifetimePoints: 500 });
    expect(await loyalty('6599000002')).toMatchObject({ pointsBalance: 120, lifetimePoints: 120 });
    expect(await loyalty('6599000003')).toMatchObject({ pointsBalance: 0, lifetimePoints: 0 });
    expect(await loyalty('6599100002')).toMatchObject({ pointsBalance: 40, lifetimePoints: 40 });
    const ledger = async () =>
      em.execute<{ mobile: string; kind: string; points: number; expiring: boolean; source: string }[]>(
        `select c.mobile, x.kind, x.points, x.expires_at is not null as expiring, x.source from points_ledger_entry x join customer c on c.id = x.customer_id
          where c.org_id = ? and c.mobile like '65990000%' order by c.mobile, x.id`,
        [org.orgId],
      );
    const entries = await ledger();
    expect(entries.map(({ mobile, kind, points, expiring }) => [mobile, kind, points, expiring])).toEqual([
      ['6599000001', 'IMPORT', 500, true],
      ['6599000001', 'IMPORT', -200, false],
      ['6599000002', 'IMPORT', 120, true],
    ]);
    expect(entries[0].source).toBe(`import-job:${Buffer.from(job.id, 'base64url').toString().split(':')[1]}`);
    // The spent points came out of the carried-over lot: what is left of it is the balance.
    const [lot] = await em.execute<{ rest: number }[]>(
      `select l.points - coalesce(sum(a.points), 0) as rest from points_ledger_entry l left join points_allocation a on a.credit_entry_id = l.id
        join customer c on c.id = l.customer_id where c.org_id = ? and c.mobile = '6599000001' and l.points > 0 group by l.id`,
      [org.orgId],
    );
    expect(Number(lot.rest)).toBe(300);

    // The same file again: the customers exist with those points, so nothing changes and nothing is refused for them.
    const again = await runImport({}, rows.slice(0, 3), mapping);
    expect(again.state).toBe('COMPLETED');
    expect(await ledger()).toHaveLength(3);
  });

  /** Whether each merged batch of a job was written the guarded way (row-by-row triggers, ON CONFLICT). */
  async function guardedBatches(jobId: string): Promise<boolean[]> {
    const id = Number(Buffer.from(jobId, 'base64url').toString().split(':')[1]);
    const rows = await server.em().execute<{ guarded: boolean }[]>('select guarded from import_merge_batch where job_id = ? order by batch', [id]);
    return rows.map((row) => row.guarded);
  }

  it('refuses a row whose mobile someone registered while the import ran, and merges the rest of its batch', async () => {
    const em = server.em();
    // Someone signs up with row 2's mobile just as the job starts merging: after the checks passed it.
    await em.execute(`create or replace function import_race() returns trigger language plpgsql as $$
      begin
        insert into customer (org_id, first_name, mobile, created_at, updated_at)
          select ${org.orgId}, 'Walk-in', '6591500002', now(), now()
          where not exists (select 1 from customer where org_id = ${org.orgId} and mobile = '6591500002');
        return new;
      end $$`);
    await em.execute(`create trigger import_race after update of state on import_job for each row when (new.state = 'MERGING') execute function import_race()`);
    try {
      const job = await runImport({}, [1, 2, 3].map((i) => row({ Mobile: `659150000${i}`, 'External Id': `RACE-${i}`, Store: store.first, 'Registration date': '2021-01-01 00:00:00' })));
      expect(job.state).toBe('COMPLETED_WITH_ERRORS');
      expect(job.progress).toMatchObject({ rowsRead: 3, rowsAccepted: 2, rowsRejected: 1 });
      expect(job.errors.nodes).toMatchObject([{ row: 2, code: 'MOBILE_BELONGS_TO_OTHER_CUSTOMER', message: 'The mobile 6591500002 was registered to another customer while the import ran.' }]);
      // The fast write met the conflict and gave way to the guarded one.
      expect(await guardedBatches(job.id)).toEqual([true]);
    } finally {
      await em.execute('drop trigger if exists import_race on import_job');
    }
    const rows = await em.execute<{ mobile: string; first_name: string | null; external_id: string | null; enrolled: boolean }[]>(
      `select c.mobile, c.first_name, x.value as external_id, exists (select 1 from loyalty_enrollment e where e.customer_id = c.id) as enrolled
         from customer c left join customer_external_id x on x.customer_id = c.id where c.org_id = ? and c.mobile like '65915%' order by c.mobile`,
      [org.orgId],
    );
    expect(rows).toEqual([
      { mobile: '6591500001', first_name: null, external_id: 'RACE-1', enrolled: true },
      { mobile: '6591500002', first_name: 'Walk-in', external_id: null, enrolled: false },
      { mobile: '6591500003', first_name: null, external_id: 'RACE-3', enrolled: true },
    ]);
  });

  it('writes the same rows whether the batch checks its keys once or the tables\' triggers check them row by row', async () => {
    const em = server.em();
    // A trigger of someone's own on customer makes the merge take the guarded way (triggers on, ON CONFLICT).
    async function importAs(prefix: string, guarded: boolean): Promise<Record<string, unknown>[]> {
      await createCustomer(em, org, { mobile: `${prefix}0`, email: `${prefix}0@example.com`, externalIds: [`${prefix}-0`] });
      const rows = [0, 1, 2, 3].map((i) =>
        row({
          Mobile: `${prefix}${i}`,
          Email: `${prefix}${i}@example.com`,
          'External Id': `${prefix}-${i}`,
          'First Name': i === 0 ? 'Renamed' : `Ann`,
          'Last Name': 'Lee',
          'Registration date': '2021-01-01 00:00:00',
          Store: i % 2 ? store.first : store.second,
          'Slab Name': i === 3 ? 'gold' : '',
          Status: 'active-customer',
          'Shoe size': String(40 + i),
          'Email bulk': 'OPTIN',
        }),
      );
      if (guarded) await em.execute(`create or replace function import_audit() returns trigger language plpgsql as $$ begin return new; end $$`);
      if (guarded) await em.execute('create trigger import_audit before insert or update on customer for each row execute function import_audit()');
      try {
        const job = await runImport({}, rows);
        expect(job.state).toBe('COMPLETED');
        expect(await guardedBatches(job.id)).toEqual([guarded]);
      } finally {
        await em.execute('drop trigger if exists import_audit on customer');
      }
      const written = await em.execute<Record<string, unknown>[]>(
        `select right(c.mobile, 1) as n, c.first_name, c.last_name, right(c.email, 13) as email, c.joined_at, c.join_store_id, c.status_label_id, c.custom_fields,
                (select right(value, 2) from customer_external_id x where x.customer_id = c.id) as external_id,
                (select t.name from loyalty_enrollment e join tier t on t.id = e.tier_id where e.customer_id = c.id) as tier,
                (select count(*)::int from loyalty_enrollment e where e.customer_id = c.id) as enrolments,
                (select string_agg(channel || '.' || priority || '=' || status, ',') from channel_subscription s where s.customer_id = c.id) as subscriptions
           from customer c where c.org_id = ? and c.mobile like ? order by c.mobile`,
        [org.orgId, `${prefix}%`],
      );
      expect(written).toHaveLength(4);
      return written;
    }
    expect(await importAs('659160000', false)).toEqual(await importAs('659170000', true));
  });

  it('leaves an existing customer whose row brings nothing new as it is, on either write path', async () => {
    const em = server.em();
    for (const [prefix, guarded] of [['659180000', false], ['659190000', true]] as const) {
      const rows = (lastName: string) =>
        [1, 2].map((i) => row({ Mobile: `${prefix}${i}`, 'First Name': 'Ann', 'Last Name': i === 2 ? lastName : 'Lee', Store: store.first, 'Registration date': '2021-01-01 00:00:00' }));
      const versions = async () =>
        em.execute<{ mobile: string; version: string; last_name: string }[]>(`select mobile, xmin::text as version, last_name from customer where org_id = ? and mobile like ? order by mobile`, [
          org.orgId,
          `${prefix}%`,
        ]);
      expect((await runImport({}, rows('Lee'))).state).toBe('COMPLETED');
      const before = await versions();
      if (guarded) await em.execute(`create or replace function import_audit() returns trigger language plpgsql as $$ begin return new; end $$`);
      if (guarded) await em.execute('create trigger import_audit before insert or update on customer for each row execute function import_audit()');
      try {
        // The same file, but customer 2's last name changed.
        const again = await runImport({}, rows('Tan'));
        expect(again.state).toBe('COMPLETED');
        expect(again.progress).toMatchObject({ rowsRead: 2, rowsAccepted: 2, rowsRejected: 0 });
        expect(await guardedBatches(again.id)).toEqual([guarded]);
      } finally {
        await em.execute('drop trigger if exists import_audit on customer');
      }
      const after = await versions();
      // Customer 1: the very same row version (nothing written). Customer 2: a new version with the new name.
      expect(after[0]).toEqual(before[0]);
      expect(after[1].version).not.toBe(before[1].version);
      expect(after.map((customer) => customer.last_name)).toEqual(['Lee', 'Tan']);
    }
  });

  it("numbers new customers and their enrolments from the tables' sequences, drawn as the batch merges", async () => {
    const em = server.em();
    // Row 2 is refused (no join date): it draws no ids, so rows 1 and 3 hold consecutive ones.
    const job = await runImport({}, [
      row({ Mobile: '6591750001', Store: store.first, 'Registration date': '2021-01-01 00:00:00' }),
      row({ Mobile: '6591750002', Store: store.first, 'Registration date': '' }),
      row({ Mobile: '6591750003', Store: store.first, 'Registration date': '2021-01-01 00:00:00' }),
    ]);
    expect(job.progress).toMatchObject({ rowsAccepted: 2, rowsRejected: 1 });
    const imported = await em.execute<{ customer_id: string; enrollment_id: string }[]>(
      `select c.id as customer_id, e.id as enrollment_id from customer c join loyalty_enrollment e on e.customer_id = c.id
        where c.org_id = ? and c.mobile like '659175000%' order by c.mobile`,
      [org.orgId],
    );
    expect(imported).toHaveLength(2);
    expect(Math.abs(Number(imported[1].customer_id) - Number(imported[0].customer_id))).toBe(1);
    expect(Math.abs(Number(imported[1].enrollment_id) - Number(imported[0].enrollment_id))).toBe(1);
    // Ids drawn after the import come after those (the helper enrols the customer it adds).
    const later = await createCustomer(em, org, { mobile: '6591750009' });
    expect(later).toBeGreaterThan(Math.max(Number(imported[0].customer_id), Number(imported[1].customer_id)));
    const [enrolled] = await em.execute<{ id: string }[]>('select id from loyalty_enrollment where customer_id = ?', [later]);
    expect(Number(enrolled.id)).toBeGreaterThan(Math.max(Number(imported[0].enrollment_id), Number(imported[1].enrollment_id)));
  });

  it('writes nothing in a dry run, yet reports every error and what would be accepted', async () => {
    const before = await server.em().execute('select count(*)::int as n from customer where org_id = ?', [org.orgId]);
    const job = await runImport({}, [
      row({ Mobile: '6597000001', Store: store.first, 'Registration date': '2021-01-01 00:00:00' }),
      row({ Mobile: '6597000002', Store: 'nowhere', 'Registration date': '2021-01-01 00:00:00' }),
    ], MAPPING, true);
    expect(job).toMatchObject({ dryRun: true, state: 'COMPLETED_WITH_ERRORS' });
    expect(job.progress).toMatchObject({ rowsRead: 2, rowsAccepted: 1, rowsRejected: 1, batchesMerged: 0 });
    expect(errorsByRow(job)).toEqual({ 2: ['STORE_UNKNOWN'] });
    const after = await server.em().execute('select count(*)::int as n from customer where org_id = ?', [org.orgId]);
    expect(after[0].n).toBe(before[0].n);
  });

  it('pages through errors and filters them by code', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => row({ Mobile: `65980000${String(i).padStart(2, '0')}`, Store: i % 3 === 0 ? 'nowhere' : store.first, 'First Name': i % 3 === 0 ? 'Ok' : 'B@d', 'Registration date': '2021-01-01 00:00:00' }));
    const job = await runImport({}, rows);
    const all = await jobDetails(client, job.id, { first: 10 });
    expect(all.errors.nodes).toHaveLength(10);
    expect(all.errors.pageInfo.hasNextPage).toBe(true);
    const next = await jobDetails(client, job.id, { first: 100, after: all.errors.pageInfo.endCursor! });
    expect(next.errors.nodes.length).toBe(30 - 10);
    const stores = await jobDetails(client, job.id, { errorCode: 'STORE_UNKNOWN', first: 100 });
    expect(stores.errors.nodes.map((error) => error.row)).toEqual([1, 4, 7, 10, 13, 16, 19, 22, 25, 28]);
    // Counts per code cover the whole job, not a page of it.
    expect(all.errorCounts).toEqual([
      { code: 'NAME_HAS_SPECIAL_CHARACTERS', rows: 20 },
      { code: 'STORE_UNKNOWN', rows: 10 },
    ]);
  });
});
