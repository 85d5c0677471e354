import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/core/clock.js';
import { readConfig } from '../src/app/env.js';
import { connectEventBus } from '../src/core/event-bus.js';
import { runImportJob, type ImportRuntime } from '../src/import/pipeline/runner.js';
import { ImportedCouponDocument } from './generated/graphql.js';
import type { ImportFieldMappingInput } from './generated/schema-types.js';
import { gqlClient, typedRequest, type GqlClient } from './support/client.js';
import { createTemplate, csv, errorsByRow, importRows, jobDetails, startInlineImport, type ImportRun } from './support/imports.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCustomer, createIncentive, createIncentiveSeries, createOrg, type TestOrg } from './support/world.js';

/*
 * Coupon Redemption imports, end to end: each row redeemed by the same service as `couponRedeem`
 * (holder, validity, window, limits), every refusal a row error with its code, a dry run that
 * reports what only redeeming finds while redeeming nothing, and a batch merged twice that
 * redeems nothing twice.
 */

const MAPPING: ImportFieldMappingInput[] = [
  { header: 'Voucher Series Id', field: 'seriesCode' },
  { header: 'Voucher Code', field: 'couponCode' },
  { header: 'Till IUN', field: 'storeCode' },
  { header: 'Mobile', field: 'mobile' },
  { header: 'Redeemed Date', field: 'redeemedAt' },
  { header: 'Transaction Number', field: 'transactionNumber' },
  { header: 'Transaction Amount', field: 'billAmount' },
];

async function storeCodeOf(server: TestServer, storeId: number): Promise<string> {
  const [store] = await server.em().execute<{ code: string }[]>('select code from store where id = ?', [storeId]);
  return store.code;
}

describe('Coupon Redemption imports', () => {
  let server: TestServer;
  let org: TestOrg;
  let client: GqlClient;
  let run: ImportRun;
  let store: string;
  let ada: number;
  let bob: number;

  async function coupon(code: string) {
    const response = await typedRequest(client, ImportedCouponDocument, { code });
    return response.data!.incentiveByCode!;
  }

  beforeAll(async () => {
    server = await startTestServer();
    const em = server.em();
    org = await createOrg(em);
    client = gqlClient(server.url, org.key);
    run = { server, client, key: org.key };
    store = await storeCodeOf(server, org.storeIds[0]);
    ada = await createCustomer(em, org, { mobile: '6591000001' });
    bob = await createCustomer(em, org, { mobile: '6591000002' });
  });
  afterAll(() => server?.stop());

  it('redeems coupons through the redemption rules, and rejects each refused row with its code', async () => {
    const em = server.em();
    const welcome = await createIncentiveSeries(em, org, { code: 'WELCOME10' });
    for (const [code, holder] of [
      ['W-1', ada],
      ['W-2', ada],
      ['W-BOB', bob],
    ] as const) {
      await createIncentive(em, org, welcome, code, holder);
    }
    await createIncentive(em, org, welcome, 'W-REVOKED', ada, { status: 'REVOKED' });
    const window = await createIncentiveSeries(em, org, { code: 'SPRING', redemptionFrom: new Date('2021-03-01T00:00:00Z'), redemptionUntil: new Date('2021-06-01T00:00:00Z') });
    await createIncentive(em, org, window, 'S-1', ada);
    const limited = await createIncentiveSeries(em, org, { code: 'ONCE-EACH', holderOnly: false, maxRedemptionsPerCustomer: 1 });
    await createIncentive(em, org, limited, 'L-1', null);
    await createIncentive(em, org, limited, 'L-2', null);

    const job = await importRows(run, { profile: 'COUPON_REDEMPTIONS', mapping: MAPPING }, [
      /* 1 */ ['WELCOME10', 'W-1', store, '6591000001', '2022-03-04 12:30:00', 'BILL-1', '120.50'],
      /* 2 */ ['WELCOME10', 'W-1', store, '6591000001', '2022-03-04 12:31:00', 'BILL-2', '80'],
      /* 3 */ ['WELCOME10', 'W-BOB', store, '6591000001', '2022-03-04 12:30:00', 'BILL-3', '80'],
      /* 4 */ ['WELCOME10', 'W-NOPE', store, '6591000001', '2022-03-04 12:30:00', 'BILL-4', '80'],
      /* 5 */ ['WELCOME10', 'W-REVOKED', store, '6591000001', '2022-03-04 12:30:00', 'BILL-5', '80'],
      /* 6 */ ['SPRING', 'S-1', store, '6591000001', '2022-03-04 12:30:00', 'BILL-6', '80'],
      /* 7 */ ['ONCE-EACH', 'L-1', store, '6591000001', '2022-03-04 12:30:00', 'BILL-7', '80'],
      /* 8 */ ['ONCE-EACH', 'L-2', store, '6591000001', '2022-03-04 12:30:00', 'BILL-8', '80'],
      /* 9 */ ['NO-SUCH-SERIES', 'W-2', store, '6591000001', '2022-03-04 12:30:00', 'BILL-9', '80'],
      /* 10 */ ['WELCOME10', 'W-2', store, '6591999999', '2022-03-04 12:30:00', 'BILL-10', '80'],
      /* 11 */ ['WELCOME10', 'W-2', store, '6591000001', 'yesterday', 'BILL-11', '80'],
      /* 12 */ ['WELCOME10', 'W-2', store, '6591000001', '2099-01-01 00:00:00', 'BILL-12', '80'],
      /* 13 */ ['WELCOME10', 'W-2', store, '6591000001', '2022-03-04 12:30:00', 'BILL-13', '-5'],
      /* 14 */ ['WELCOME10', 'W-2', store, '6591000001', '2022-03-04 12:30:00', '', '80'],
      /* 15 */ ['WELCOME10', 'W-2', 'nowhere', '6591000001', '2022-03-04 12:30:00', 'BILL-15', '80'],
      /* 16 */ ['ONCE-EACH', 'W-2', store, '6591000001', '2022-03-04 12:30:00', 'BILL-16', '80'],
    ]);
    expect(job.state).toBe('COMPLETED_WITH_ERRORS');
    expect(errorsByRow(job)).toEqual({
      2: ['COUPON_ALREADY_REDEEMED'],
      3: ['COUPON_NOT_HELD_BY_CUSTOMER'],
      4: ['COUPON_NOT_FOUND'],
      5: ['COUPON_NOT_ACTIVE'],
      6: ['COUPON_OUTSIDE_REDEMPTION_RANGE'],
      8: ['COUPON_CUSTOMER_LIMIT_REACHED'],
      9: ['COUPON_SERIES_UNKNOWN'],
      10: ['CUSTOMER_NOT_FOUND'],
      11: ['DATE_INVALID'],
      12: ['DATE_IN_FUTURE'],
      13: ['VALUE_INVALID'],
      14: ['VALUE_MISSING'],
      15: ['STORE_UNKNOWN'],
      16: ['COUPON_NOT_FOUND'],
    });
    expect(job.errors.nodes.find((error) => error.row === 2)).toMatchObject({ field: 'couponCode', value: 'W-1' });
    expect(job.errors.nodes.find((error) => error.row === 6)).toMatchObject({ field: 'redeemedAt', value: '2022-03-04T12:30:00+08:00' });
    expect(job.progress).toMatchObject({ rowsRead: 16, rowsAccepted: 2, rowsRejected: 14 });

    expect(await coupon('W-1')).toEqual({
      code: 'W-1',
      status: 'REDEEMED',
      redemptionCount: 1,
      redemptions: [{ sequence: 1, transactionNumber: 'BILL-1', billAmount: 120.5, redeemedAt: '2022-03-04T12:30:00+08:00', store: { code: store }, customer: { id: expect.any(String) } }],
    });
    expect((await coupon('L-1')).redemptionCount).toBe(1);
    for (const code of ['W-2', 'W-BOB', 'S-1', 'L-2']) expect(await coupon(code)).toMatchObject({ status: 'ACTIVE', redemptionCount: 0, redemptions: [] });
  });

  it('skips the redemption range and replaces unknown series when the template says so', async () => {
    const em = server.em();
    const window = await createIncentiveSeries(em, org, { code: 'SUMMER', redemptionUntil: new Date('2021-06-01T00:00:00Z') });
    await createIncentive(em, org, window, 'SU-1', ada);
    await createIncentive(em, org, window, 'SU-2', ada);
    const job = await importRows(run, { profile: 'COUPON_REDEMPTIONS', mapping: MAPPING, options: { skipRedemptionRangeCheck: true, replacementCouponSeriesCode: 'SUMMER' } }, [
      ['SUMMER', 'SU-1', store, '6591000001', '2022-03-04 12:30:00', 'BILL-21', '10'],
      ['OLD-SERIES', 'SU-2', store, '6591000001', '2022-03-04 12:30:00', 'BILL-22', '10'],
    ]);
    expect(job.state).toBe('COMPLETED');
    expect(job.corrections.nodes.map((c) => [c.row, c.code, c.value, c.correctedValue])).toEqual([[2, 'COUPON_SERIES_REPLACED', 'OLD-SERIES', 'SUMMER']]);
    expect((await coupon('SU-1')).status).toBe('REDEEMED');
    expect((await coupon('SU-2')).status).toBe('REDEEMED');
  });

  it("checks transaction numbers against the customer's bills when the template says so", async () => {
    const em = server.em();
    const series = await createIncentiveSeries(em, org, { code: 'BILLED' });
    await createIncentive(em, org, series, 'B-1', ada);
    await createIncentive(em, org, series, 'B-2', ada);
    await createIncentive(em, org, series, 'B-3', ada);
    await em.execute(
      `insert into "transaction" (org_id, customer_id, store_id, bill_number, bill_date, amount, occurred_at, created_at) values (?, ?, ?, 'T-ADA', '2022-03-04', 50, '2022-03-04T04:00:00Z', now()), (?, ?, ?, 'T-BOB', '2022-03-04', 50, '2022-03-04T04:00:00Z', now())`,
      [org.orgId, ada, org.storeIds[0], org.orgId, bob, org.storeIds[0]],
    );
    const job = await importRows(run, { profile: 'COUPON_REDEMPTIONS', mapping: MAPPING, options: { validateTransactionNumbers: true } }, [
      ['BILLED', 'B-1', store, '6591000001', '2022-03-04 12:30:00', 'T-ADA', '50'],
      ['BILLED', 'B-2', store, '6591000001', '2022-03-04 12:30:00', 'T-NONE', '50'],
      ['BILLED', 'B-3', store, '6591000001', '2022-03-04 12:30:00', 'T-BOB', '50'],
    ]);
    expect(errorsByRow(job)).toEqual({ 2: ['TRANSACTION_NOT_FOUND'], 3: ['TRANSACTION_NOT_FOUND'] });
    expect((await coupon('B-1')).status).toBe('REDEEMED');
    expect((await coupon('B-2')).status).toBe('ACTIVE');
  });

  it('reports in a dry run the second redemption of a single-use coupon, and redeems nothing', async () => {
    const series = await createIncentiveSeries(server.em(), org, { code: 'DRY', holderOnly: false });
    await createIncentive(server.em(), org, series, 'DRY-1', null);
    const keys = async () =>
      (await server.em().execute<{ n: number }[]>(`select count(*)::int as n from idempotency_key where org_id = ? and scope = 'couponRedeem'`, [org.orgId]))[0].n;
    const keysBefore = await keys();
    const job = await importRows(
      run,
      { profile: 'COUPON_REDEMPTIONS', mapping: MAPPING },
      [
        ['DRY', 'DRY-1', store, '6591000001', '2022-03-04 12:30:00', 'BILL-31', '10'],
        ['DRY', 'DRY-1', store, '6591000002', '2022-03-04 12:31:00', 'BILL-32', '10'],
      ],
      true,
    );
    expect(job).toMatchObject({ dryRun: true, state: 'COMPLETED_WITH_ERRORS' });
    expect(errorsByRow(job)).toEqual({ 2: ['COUPON_ALREADY_REDEEMED'] });
    expect(job.progress).toMatchObject({ rowsAccepted: 1, rowsRejected: 1, batchesMerged: 0 });
    expect(await coupon('DRY-1')).toMatchObject({ status: 'ACTIVE', redemptionCount: 0, redemptions: [] });
    expect(await keys()).toBe(keysBefore);
  });
});

describe('Coupon Redemption imports merged twice', () => {
  let server: TestServer;
  let org: TestOrg;
  let client: GqlClient;
  let runtime: ImportRuntime;

  beforeAll(async () => {
    // No import workers: the test runs the job itself, as a worker would, to stop it where it wants.
    server = await startTestServer({ importWorkers: 0 });
    org = await createOrg(server.em());
    client = gqlClient(server.url, org.key);
    const events = await connectEventBus({ databaseUrl: server.databaseUrl, log: () => undefined });
    runtime = { orm: server.orm, events, clock: systemClock, log: () => undefined, maxRecordChars: readConfig({}).importMaxRecordChars };
  });
  afterAll(async () => {
    await runtime?.events.close();
    await server?.stop();
  });

  it('redeems nothing twice when a batch that was merged runs again (idempotency keys)', async () => {
    const em = server.em();
    await createCustomer(em, org, { mobile: '6591000001' });
    const series = await createIncentiveSeries(em, org, { code: 'MULTI', holderOnly: false, maxRedemptionsPerCode: 1000 });
    await createIncentive(em, org, series, 'MULTI-1', null);
    const store = await storeCodeOf(server, org.storeIds[0]);
    // 260 rows: batch 0 holds rows 1–250, batch 1 rows 251–260.
    const rows = Array.from({ length: 260 }, (_, i) => ['MULTI', 'MULTI-1', store, '6591000001', '2022-03-04 12:30:00', `BILL-${i + 1}`, '10']);
    const templateId = await createTemplate(client, { name: 'twice', profile: 'COUPON_REDEMPTIONS', mapping: MAPPING });
    const jobId = await startInlineImport(client, templateId, csv([MAPPING.map((entry) => entry.header), ...rows]));
    const id = Number(Buffer.from(jobId, 'base64url').toString().split(':')[1]);

    // The first attempt merges batch 0, then fails in batch 1.
    await em.execute(`create function fail_bill_255() returns trigger language plpgsql as $$
      begin if new.transaction_number = 'BILL-255' then raise exception 'simulated failure'; end if; return new; end $$`);
    await em.execute('create trigger fail_bill_255 before insert on incentive_redemption for each row execute function fail_bill_255()');
    await expect(runImportJob(runtime, id, new AbortController().signal)).rejects.toThrow(/simulated failure/);
    const redeemed = async () => (await em.execute<{ n: number }[]>(`select count(*)::int as n from incentive_redemption where org_id = ?`, [org.orgId]))[0].n;
    expect(await redeemed()).toBe(250);

    // As if batch 0's record had been lost: the retry merges it again, and only the keys stand between it and 250 more redemptions.
    await em.execute('drop trigger fail_bill_255 on incentive_redemption');
    await em.execute('delete from import_merge_batch where job_id = ? and batch = 0', [id]);
    await runImportJob(runtime, id, new AbortController().signal);

    const job = await jobDetails(client, jobId);
    expect(job.state).toBe('COMPLETED');
    expect(job.errors.nodes).toEqual([]);
    expect(await redeemed()).toBe(260);
    const [counted] = await em.execute<{ redemption_count: number }[]>(`select redemption_count from incentive where org_id = ? and code = 'MULTI-1'`, [org.orgId]);
    expect(counted.redemption_count).toBe(260);
  });
});
