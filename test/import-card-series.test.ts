import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportedCardSeriesDocument } from './generated/graphql.js';
import type { ImportFieldMappingInput } from './generated/schema-types.js';
import { gqlClient, typedRequest, type GqlClient } from './support/client.js';
import { errorsByRow, importRows, type ImportRun } from './support/imports.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCardInSeries, createOrg, type TestOrg } from './support/world.js';

/*
 * Card Series imports, end to end: series created (the reference's sample row among them) and
 * read back with `cardSeriesByCode`, existing ones updated in the fields the template allows,
 * the numbering rules of the card series service applied, every bad row with its code.
 */

const MAPPING: ImportFieldMappingInput[] = [
  { header: 'Card Series Code', field: 'seriesCode' },
  { header: 'Card Series Description', field: 'description' },
  { header: 'Card Type', field: 'cardType' },
  { header: 'Card Generation Enabled', field: 'autoGenerate' },
  { header: 'Card Suffix', field: 'suffix' },
  { header: 'Card Prefix', field: 'prefix' },
  { header: 'Card Length', field: 'numberLength' },
  { header: 'Expiry Days', field: 'expiryDays' },
  { header: 'Till IUN', field: 'storeCode' },
];

describe('Card Series imports', () => {
  let server: TestServer;
  let org: TestOrg;
  let client: GqlClient;
  let run: ImportRun;
  let store: string;
  let otherStore: string;

  async function series(code: string) {
    const response = await typedRequest(client, ImportedCardSeriesDocument, { code });
    return response.data!.cardSeriesByCode;
  }

  beforeAll(async () => {
    server = await startTestServer();
    org = await createOrg(server.em());
    client = gqlClient(server.url, org.key);
    run = { server, client, key: org.key };
    const stores = await server.em().execute<{ code: string }[]>('select code from store where org_id = ? order by id', [org.orgId]);
    store = stores[0].code;
    otherStore = stores[1].code;
  });
  afterAll(() => server?.stop());

  it('creates series and rejects each bad row with its code', async () => {
    const job = await importRows(run, { profile: 'CARD_SERIES', mapping: MAPPING }, [
      /* 1 */ ['GOLDPHY2', 'Gold Card', 'PHYSICAL', 'true', '2021', 'GOLD2', '16', '1000', store],
      /* 2 */ ['DIGI1', 'Digital', 'digital', 'false', '', 'D', '', '', store],
      /* 3 */ ['BAD-CODE!', '', 'PHYSICAL', '', '', '', '', '', store],
      /* 4 */ ['X'.repeat(51), '', 'PHYSICAL', '', '', '', '', '', store],
      /* 5 */ ['S5', '', 'PLASTIC', '', '', '', '', '', store],
      /* 6 */ ['S6', '', 'PHYSICAL', 'maybe', '', '', '', '', store],
      /* 7 */ ['S7', '', 'PHYSICAL', 'true', '', 'AB', '', '', store],
      /* 8 */ ['S8', '', 'PHYSICAL', 'false', 'EF', 'ABCD', '6', '', store],
      /* 9 */ ['DUPC', '', 'PHYSICAL', '', '', '', '', '', store],
      /* 10 */ ['DUPC', '', 'DIGITAL', '', '', '', '', '', store],
      /* 11 */ ['S11', '', 'PHYSICAL', '', '', '', '', '', 'nowhere'],
      /* 12 */ ['S12', '', '', '', '', '', '', '', store],
      /* 13 */ ['S13', '', 'PHYSICAL', '', '', '', '', 'ten', store],
      /* 14 */ ['S14', '', 'PHYSICAL', '', '', 'A-B', '', '', store],
      /* 15 */ ['S15', 'D'.repeat(501), 'PHYSICAL', '', '', '', '', '', store],
    ]);
    expect(job.state).toBe('COMPLETED_WITH_ERRORS');
    expect(errorsByRow(job)).toEqual({
      3: ['CARD_SERIES_CODE_INVALID'],
      4: ['CARD_SERIES_CODE_INVALID'],
      5: ['VALUE_INVALID'],
      6: ['VALUE_INVALID'],
      7: ['VALUE_INVALID'],
      8: ['VALUE_INVALID'],
      9: ['DUPLICATE_SERIES_CODE_IN_FILE'],
      10: ['DUPLICATE_SERIES_CODE_IN_FILE'],
      11: ['STORE_UNKNOWN'],
      12: ['VALUE_MISSING'],
      13: ['VALUE_INVALID'],
      14: ['VALUE_INVALID'],
      15: ['VALUE_TOO_LONG'],
    });
    expect(job.errors.nodes.find((error) => error.row === 7)).toMatchObject({ field: 'numberLength', message: 'A series that generates card numbers needs a numberLength.' });
    expect(job.errors.nodes.find((error) => error.row === 14)).toMatchObject({ field: 'prefix', value: 'A-B' });
    expect(job.progress).toMatchObject({ rowsRead: 15, rowsAccepted: 2, rowsRejected: 13 });

    expect(await series('GOLDPHY2')).toEqual({
      code: 'GOLDPHY2',
      description: 'Gold Card',
      type: 'PHYSICAL',
      prefix: 'GOLD2',
      suffix: '2021',
      numberLength: 16,
      autoGenerate: true,
      expiryDays: 1000,
      store: { code: store },
    });
    expect(await series('DIGI1')).toMatchObject({ type: 'DIGITAL', prefix: 'D', numberLength: null, autoGenerate: false, expiryDays: null });
    for (const code of ['S5', 'S7', 'S8', 'DUPC', 'S11', 'S14']) expect(await series(code)).toBeNull();
  });

  it('updates existing series in the fields the template allows, keeps the numbering of a series with cards, and updates nothing when disabled', async () => {
    const em = server.em();
    const [created] = await em.execute<{ id: string }[]>(
      `insert into card_series (org_id, code, description, type, prefix, suffix, number_length, auto_generate, expiry_days, program_id, created_at)
        values (?, 'UPD', 'Before', 'PHYSICAL', 'UP', '', 10, false, 100, ?, now()) returning id`,
      [org.orgId, org.programId],
    );
    const row = (description: string, prefix: string, expiry: string, storeCode: string) => ['UPD', description, 'PHYSICAL', '', '', prefix, '', expiry, storeCode];

    const restricted = await importRows(run, { profile: 'CARD_SERIES', mapping: MAPPING, options: { updatableFields: ['description', 'storeCode'] } }, [row('After', 'NEW', '365', otherStore)]);
    expect(restricted.state).toBe('COMPLETED');
    expect(await series('UPD')).toMatchObject({ description: 'After', prefix: 'UP', expiryDays: 100, store: { code: otherStore } });

    const everything = await importRows(run, { profile: 'CARD_SERIES', mapping: MAPPING }, [row('', 'NEW', '365', otherStore)]);
    expect(everything.state).toBe('COMPLETED');
    // An empty cell leaves its field as it is.
    expect(await series('UPD')).toMatchObject({ description: 'After', prefix: 'NEW', expiryDays: 365 });

    await createCardInSeries(em, org, Number(created.id), null, 'NEW0000001');
    const renumber = await importRows(run, { profile: 'CARD_SERIES', mapping: MAPPING }, [row('', 'OLD', '', otherStore)]);
    expect(errorsByRow(renumber)).toEqual({ 1: ['CARD_SERIES_NUMBERING_IN_USE'] });
    expect(await series('UPD')).toMatchObject({ prefix: 'NEW' });

    const disabled = await importRows(run, { profile: 'CARD_SERIES', mapping: MAPPING, options: { disableUpdate: true } }, [row('Disabled', '', '', store)]);
    expect(errorsByRow(disabled)).toEqual({ 1: ['RECORD_UPDATE_DISABLED'] });
    expect(await series('UPD')).toMatchObject({ description: 'After', store: { code: otherStore } });
  });

  it('creates nothing in a dry run, yet reports the numbering rules', async () => {
    const job = await importRows(
      run,
      { profile: 'CARD_SERIES', mapping: MAPPING },
      [
        ['DRY1', '', 'PHYSICAL', '', '', '', '', '', store],
        ['DRY2', '', 'PHYSICAL', 'true', '', '', '', '', store],
      ],
      true,
    );
    expect(job).toMatchObject({ dryRun: true, state: 'COMPLETED_WITH_ERRORS' });
    expect(errorsByRow(job)).toEqual({ 2: ['VALUE_INVALID'] });
    expect(await series('DRY1')).toBeNull();
  });
});
