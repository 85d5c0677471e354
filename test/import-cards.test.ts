import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerByIdentifierDocument, ImportedCustomerDocument } from './generated/graphql.js';
import type { ImportFieldMappingInput } from './generated/schema-types.js';
import { gqlClient, typedRequest, type GqlClient } from './support/client.js';
import { errorsByRow, importRows, type ImportRun } from './support/imports.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCard, createCardInSeries, createCustomer, createOrg, type TestOrg } from './support/world.js';

/*
 * Card imports, end to end: cards created in their series (number following its numbering) and
 * issued to their customers, then found by `customerByIdentifier(CARD_NUMBER)`; existing cards
 * updated under the card rules; every refused row with its code and its card left as it was.
 * Every org has the series GOLDPHY: prefix GOLD, 16 characters, cards valid 1000 days.
 */

const MAPPING: ImportFieldMappingInput[] = [
  { header: 'Card Number', field: 'cardNumber' },
  { header: 'Card Series Code', field: 'seriesCode' },
  { header: 'Card Status Label', field: 'statusLabel' },
  { header: 'Till IUN', field: 'storeCode' },
  { header: 'Mobile', field: 'mobile' },
  { header: 'Card External ID', field: 'cardExternalId' },
];

describe('Card imports', () => {
  let server: TestServer;
  let org: TestOrg;
  let client: GqlClient;
  let run: ImportRun;
  let store: string;

  async function cardRow(number: string): Promise<Record<string, unknown>> {
    const rows = await server.em().execute<Record<string, unknown>[]>(
      `select c.number, c.customer_id, c.external_id, l.label, l.system_status, s.code as series, c.issued_at, c.expires_at, c.store_id
        from card c join card_status_label l on l.id = c.status_label_id join card_series s on s.id = c.series_id where c.org_id = ? and c.number = ?`,
      [org.orgId, number],
    );
    return rows[0];
  }

  beforeAll(async () => {
    server = await startTestServer();
    const em = server.em();
    org = await createOrg(em);
    client = gqlClient(server.url, org.key);
    run = { server, client, key: org.key };
    const [row] = await em.execute<{ code: string }[]>('select code from store where id = ?', [org.storeIds[0]]);
    store = row.code;
    await em.execute(`insert into card_status_label (org_id, label, system_status) values (?, 'Blocked', 'INACTIVE')`, [org.orgId]);
  });
  afterAll(() => server?.stop());

  it('creates and issues cards found by card number, and rejects each bad row with its code', async () => {
    const em = server.em();
    const ada = await createCustomer(em, org, { mobile: '6591000001' });
    const bob = await createCustomer(em, org, { mobile: '6591000002' });
    await createCard(em, org, bob, 'GOLD000000000099');
    await createCard(em, org, null, 'GOLD000000000098', { expired: true });
    await createCard(em, org, bob, 'GOLD000000000097', { externalId: 'CX-TAKEN' });
    const [digital] = await em.execute<{ id: string }[]>(
      `insert into card_series (org_id, code, type, prefix, suffix, number_length, auto_generate, program_id, created_at) values (?, 'GOLDDIG', 'DIGITAL', 'GOLD', '', 16, false, ?, now()) returning id`,
      [org.orgId, org.programId],
    );
    await createCardInSeries(em, org, Number(digital.id), null, 'GOLD000000000077');

    const job = await importRows(run, { profile: 'CARDS', mapping: MAPPING }, [
      /* 1 */ ['GOLD000000000001', 'GOLDPHY', 'active', store, '6591000001', 'CX-1'],
      /* 2 */ ['GOLD000000000002', 'GOLDPHY', 'Not issued', store, '', ''],
      /* 3 */ ['GOLD0001', 'GOLDPHY', 'Active', store, '6591000001', ''],
      /* 4 */ ['XXXX000000000004', 'GOLDPHY', 'Active', store, '6591000001', ''],
      /* 5 */ ['GOLD000000000005', 'NOPE', 'Active', store, '6591000001', ''],
      /* 6 */ ['GOLD000000000006', 'GOLDPHY', 'Lost', store, '6591000001', ''],
      /* 7 */ ['GOLD000000000099', 'GOLDPHY', 'Active', store, '6591000001', ''],
      /* 8 */ ['GOLD000000000098', 'GOLDPHY', 'Active', store, '6591000001', ''],
      /* 9 */ ['GOLD000000000010', 'GOLDPHY', 'Active', store, '6591000001', ''],
      /* 10 */ ['GOLD000000000010', 'GOLDPHY', 'Active', store, '6591000002', ''],
      /* 11 */ ['GOLD000000000011', 'GOLDPHY', 'Active', store, '6591000001', 'CX-DUP'],
      /* 12 */ ['GOLD000000000012', 'GOLDPHY', 'Active', store, '6591000002', 'CX-DUP'],
      /* 13 */ ['GOLD000000000013', 'GOLDPHY', 'Active', store, '6591999999', ''],
      /* 14 */ ['GOLD000000000014', 'GOLDPHY', 'Active', store, '', ''],
      /* 15 */ ['GOLD000000000077', 'GOLDPHY', 'Active', store, '6591000001', ''],
      /* 16 */ ['GOLD000000000016', 'GOLDPHY', 'Active', store, '6591000001', 'CX-TAKEN'],
      /* 17 */ ['GOLD000000000017', 'GOLDPHY', 'Active', 'nowhere', '6591000001', ''],
      /* 18 */ ['', 'GOLDPHY', 'Active', store, '6591000001', ''],
      /* 19 */ ['GOLD000000000019', 'GOLDPHY', 'Active', store, '12', ''],
      /* 20 */ ['GOLD000000000020', 'GOLDPHY', 'Active', store, '6591000001', 'X'.repeat(65)],
    ]);
    expect(job.state).toBe('COMPLETED_WITH_ERRORS');
    expect(errorsByRow(job)).toEqual({
      3: ['CARD_NUMBER_INVALID'],
      4: ['CARD_NUMBER_INVALID'],
      5: ['CARD_SERIES_UNKNOWN'],
      6: ['CARD_STATUS_LABEL_UNKNOWN'],
      7: ['CARD_BELONGS_TO_OTHER_CUSTOMER'],
      8: ['CARD_NOT_ISSUABLE'],
      9: ['DUPLICATE_CARD_NUMBER_IN_FILE'],
      10: ['DUPLICATE_CARD_NUMBER_IN_FILE'],
      11: ['DUPLICATE_CARD_EXTERNAL_ID_IN_FILE'],
      12: ['DUPLICATE_CARD_EXTERNAL_ID_IN_FILE'],
      13: ['CUSTOMER_NOT_FOUND'],
      14: ['CARD_STATUS_TRANSITION_INVALID'],
      15: ['CARD_IN_OTHER_SERIES'],
      16: ['CARD_EXTERNAL_ID_TAKEN'],
      17: ['STORE_UNKNOWN'],
      18: ['VALUE_MISSING'],
      19: ['INVALID_MOBILE'],
      20: ['VALUE_TOO_LONG'],
    });
    expect(job.errors.nodes.find((error) => error.row === 3)?.message).toBe('"GOLD0001" does not follow the series GOLDPHY: starting with "GOLD", ending with "", 16 characters long.');
    expect(job.errors.nodes.find((error) => error.row === 7)).toMatchObject({ field: 'cardNumber', value: 'GOLD000000000099' });
    expect(job.progress).toMatchObject({ rowsRead: 20, rowsAccepted: 2, rowsRejected: 18 });

    const found = await typedRequest(client, CustomerByIdentifierDocument, { type: 'CARD_NUMBER', value: 'GOLD000000000001' });
    expect(found.data?.customerByIdentifier?.userId).toBe(String(ada));
    const view = await typedRequest(client, ImportedCustomerDocument, { type: 'CARD_EXTERNAL_ID', value: 'CX-1' });
    const [card] = view.data!.customerByIdentifier!.cards.nodes;
    // The card keeps the store (till) its row named.
    expect(card).toMatchObject({ number: 'GOLD000000000001', externalId: 'CX-1', status: { label: 'Active', systemStatus: 'ACTIVE' }, series: { code: 'GOLDPHY' }, store: { code: store } });
    expect(new Date(card.expiresAt!).getTime() - new Date(card.issuedAt!).getTime()).toBe(1000 * 86_400_000);
    expect(await cardRow('GOLD000000000002')).toMatchObject({ customer_id: null, label: 'Not issued', system_status: 'NOT_ISSUED', issued_at: null, store_id: String(org.storeIds[0]) });
    // Refused rows left their cards as they were, and created none.
    expect(await cardRow('GOLD000000000099')).toMatchObject({ customer_id: String(bob), label: 'Active' });
    expect(await cardRow('GOLD000000000098')).toMatchObject({ customer_id: null, label: 'Expired' });
    expect(await cardRow('GOLD000000000077')).toMatchObject({ customer_id: null, series: 'GOLDDIG' });
    for (const number of ['GOLD000000000005', 'GOLD000000000010', 'GOLD000000000011', 'GOLD000000000014', 'GOLD000000000016']) expect(await cardRow(number)).toBeUndefined();
  });

  it('updates existing cards under the card rules, and not at all when updates are disabled', async () => {
    const em = server.em();
    const cyd = await createCustomer(em, org, { mobile: '6592000001' });
    await createCard(em, org, cyd, 'GOLD000000000201');
    const blocked = await importRows(run, { profile: 'CARDS', mapping: MAPPING }, [
      ['GOLD000000000201', 'GOLDPHY', 'Blocked', store, '6592000001', 'CX-201'],
      ['GOLD000000000201', 'GOLDPHY', 'Not issued', store, '6592000001', ''],
    ]);
    // The same card twice in one file is refused: which row should win?
    expect(errorsByRow(blocked)).toEqual({ 1: ['DUPLICATE_CARD_NUMBER_IN_FILE'], 2: ['DUPLICATE_CARD_NUMBER_IN_FILE'] });

    const update = await importRows(run, { profile: 'CARDS', mapping: MAPPING }, [['GOLD000000000201', 'GOLDPHY', 'Blocked', store, '6592000001', 'CX-201']]);
    expect(update.state).toBe('COMPLETED');
    expect(await cardRow('GOLD000000000201')).toMatchObject({ customer_id: String(cyd), external_id: 'CX-201', label: 'Blocked', system_status: 'INACTIVE' });

    const backwards = await importRows(run, { profile: 'CARDS', mapping: MAPPING }, [['GOLD000000000201', 'GOLDPHY', 'Not issued', store, '6592000001', '']]);
    expect(errorsByRow(backwards)).toEqual({ 1: ['CARD_STATUS_TRANSITION_INVALID'] });

    const disabled = await importRows(run, { profile: 'CARDS', mapping: MAPPING, options: { disableUpdate: true } }, [
      ['GOLD000000000201', 'GOLDPHY', 'Active', store, '6592000001', ''],
      ['GOLD000000000202', 'GOLDPHY', 'Active', store, '6592000001', ''],
    ]);
    expect(errorsByRow(disabled)).toEqual({ 1: ['RECORD_UPDATE_DISABLED'] });
    expect(await cardRow('GOLD000000000201')).toMatchObject({ label: 'Blocked' });
    expect(await cardRow('GOLD000000000202')).toMatchObject({ customer_id: String(cyd), label: 'Active' });
  });

  it('leaves cards unlinked when the template does not link customers', async () => {
    await createCustomer(server.em(), org, { mobile: '6593000001' });
    const job = await importRows(run, { profile: 'CARDS', mapping: MAPPING, options: { linkCustomer: false } }, [['GOLD000000000301', 'GOLDPHY', 'Not issued', store, '6593000001', '']]);
    expect(job.state).toBe('COMPLETED');
    expect(await cardRow('GOLD000000000301')).toMatchObject({ customer_id: null, system_status: 'NOT_ISSUED' });
  });

  it('creates nothing in a dry run, yet reports what only the card rules find', async () => {
    const em = server.em();
    const dee = await createCustomer(em, org, { mobile: '6594000001' });
    await createCustomer(em, org, { mobile: '6594000002' });
    await createCard(em, org, dee, 'GOLD000000000401');
    const job = await importRows(
      run,
      { profile: 'CARDS', mapping: MAPPING },
      [
        ['GOLD000000000402', 'GOLDPHY', 'Active', store, '6594000002', ''],
        ['GOLD000000000401', 'GOLDPHY', 'Active', store, '6594000002', ''],
      ],
      true,
    );
    expect(job).toMatchObject({ dryRun: true, state: 'COMPLETED_WITH_ERRORS' });
    expect(errorsByRow(job)).toEqual({ 2: ['CARD_BELONGS_TO_OTHER_CUSTOMER'] });
    expect(await cardRow('GOLD000000000402')).toBeUndefined();
  });
  it('reports each merge-time issue of a dry run once, when the write of its end failed and the run went again', async () => {
    const em = server.em();
    const eve = await createCustomer(em, org, { mobile: '6595000001' });
    await createCustomer(em, org, { mobile: '6595000002' });
    await createCard(em, org, eve, 'GOLD000000000501');
    // The first write of the job's end fails (a sequence counts the attempts: it is not rolled back).
    await em.execute('create sequence dry_run_end_faults');
    await em.execute(`create function dry_run_end_fault() returns trigger language plpgsql as $$
      begin
        if new.org_id = ${org.orgId} and new.state like 'COMPLETED%' and new.state is distinct from old.state and nextval('dry_run_end_faults') = 1 then
          raise exception 'simulated outage while recording the end of the job';
        end if;
        return new;
      end $$`);
    await em.execute('create trigger dry_run_end_fault before update on import_job for each row execute function dry_run_end_fault()');
    try {
      const job = await importRows(run, { profile: 'CARDS', mapping: MAPPING }, [['GOLD000000000501', 'GOLDPHY', 'Active', store, '6595000002', '']], true);
      expect(job).toMatchObject({ dryRun: true, state: 'COMPLETED_WITH_ERRORS', progress: { rowsRejected: 1 } });
      expect(job.errors.nodes.map((error) => [error.row, error.code])).toEqual([[1, 'CARD_BELONGS_TO_OTHER_CUSTOMER']]);
      const [faults] = await em.execute<{ n: string }[]>('select last_value as n from dry_run_end_faults');
      expect(Number(faults.n)).toBeGreaterThanOrEqual(2);
    } finally {
      await em.execute('drop trigger if exists dry_run_end_fault on import_job');
    }
  });
});
