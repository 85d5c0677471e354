import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { BackdatingWindowUpdateDocument, CouponRedeemDocument, TransactionAddDocument } from '../generated/graphql.js';
import { gqlClient, typedRequest, type GqlClient } from '../support/client.js';
import { errorsByRow, importRows, storeCodeOf, type ImportRun } from '../support/imports.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCustomer, createIncentive, createIncentiveSeries, createOrg, type TestOrg } from '../support/world.js';

/*
 * A key holder dates a purchase or a redemption. Left unbounded, a date of last year rewrites
 * history: points that expired long ago, tiers, series windows and limits judged at a time of the
 * caller's choosing. The API takes times within the org's backdating window (7 days unless the org
 * sets another) and at most a few minutes ahead; imports of history keep any past date.
 */

const NOW = new Date('2024-03-01T04:00:00Z');
const DAY = 86_400_000;
const MINUTE = 60_000;

function ago(ms: number): string {
  return new Date(NOW.getTime() - ms).toISOString();
}

describe('backdating', () => {
  const clock = new ManualClock(NOW);
  let server: TestServer;
  let org: TestOrg;
  let client: GqlClient;
  let store: string;
  let customer: number;
  let series: number;
  let coupons = 0;

  beforeAll(async () => {
    server = await startTestServer({ clock });
    org = await createOrg(server.em());
    client = gqlClient(server.url, org.key);
    store = await storeCodeOf(server, org);
    customer = await createCustomer(server.em(), org, { mobile: '6594000001' });
    series = await createIncentiveSeries(server.em(), org, { code: 'BACK' });
  });
  afterAll(() => server?.stop());

  function purchase(occurredAt: string) {
    return typedRequest(client, TransactionAddDocument, {
      input: { customer: { type: 'USER_ID', value: String(customer) }, storeCode: store, billNumber: `B-${crypto.randomUUID().slice(0, 8)}`, amount: 10, occurredAt },
    });
  }

  async function redemption(redemptionTime: string) {
    coupons += 1;
    const code = `BACK-${coupons}`;
    await createIncentive(server.em(), org, series, code, customer);
    return typedRequest(client, CouponRedeemDocument, {
      input: { code, customer: { type: 'USER_ID', value: String(customer) }, transactionNumber: `BILL-${code}`, billAmount: 5, redemptionTime, idempotencyKey: crypto.randomUUID() },
    });
  }

  async function setWindow(days: number) {
    const response = await typedRequest(client, BackdatingWindowUpdateDocument, { days });
    expect(response.errors).toBeUndefined();
    return response.data!.orgSettingsUpdate;
  }

  async function recorded(): Promise<{ transactions: number; redemptions: number }> {
    const [row] = await server.em().execute<{ transactions: string; redemptions: string }[]>(
      `select (select count(*) from "transaction" where org_id = ?) as transactions, (select count(*) from incentive_redemption where org_id = ?) as redemptions`,
      [org.orgId, org.orgId],
    );
    return { transactions: Number(row.transactions), redemptions: Number(row.redemptions) };
  }

  it('transactionAdd and couponRedeem refuse a time before the 7-day window or more than a few minutes ahead, and record nothing', async () => {
    const before = await recorded();
    const old = await purchase(ago(8 * DAY));
    expect(old.data?.transactionAdd).toMatchObject({
      transaction: null,
      userErrors: [{ code: 'BEFORE_BACKDATING_WINDOW', message: "occurredAt may be at most 7 days in the past (the org's backdating window); import older history instead.", field: ['input', 'occurredAt'] }],
    });
    const oldRedemption = await redemption(ago(8 * DAY));
    expect(oldRedemption.data?.couponRedeem).toMatchObject({ redemption: null, userErrors: [{ code: 'BEFORE_BACKDATING_WINDOW', field: ['input', 'redemptionTime'] }] });

    const ahead = await purchase(ago(-10 * MINUTE));
    expect(ahead.data?.transactionAdd.userErrors).toEqual([{ code: 'INVALID_INPUT', message: 'occurredAt cannot be in the future.', field: ['input', 'occurredAt'] }]);
    const aheadRedemption = await redemption(ago(-10 * MINUTE));
    expect(aheadRedemption.data?.couponRedeem.userErrors).toEqual([{ code: 'INVALID_INPUT', message: 'redemptionTime cannot be in the future.', field: ['input', 'redemptionTime'] }]);
    expect(await recorded()).toEqual(before);

    // Inside the window, and a till's clock a little ahead of ours: accepted.
    for (const time of [ago(6 * DAY), ago(-2 * MINUTE)]) {
      expect((await purchase(time)).data?.transactionAdd.userErrors).toEqual([]);
      expect((await redemption(time)).data?.couponRedeem.userErrors).toEqual([]);
    }
    expect(await recorded()).toEqual({ transactions: before.transactions + 2, redemptions: before.redemptions + 2 });
  });

  it('the window is an org setting: wider, narrower, bounded, and in force on the next request', async () => {
    expect(await setWindow(30)).toEqual({ org: { backdatingWindowDays: 30 }, userErrors: [] });
    expect((await purchase(ago(20 * DAY))).data?.transactionAdd.userErrors).toEqual([]);
    expect((await redemption(ago(20 * DAY))).data?.couponRedeem.userErrors).toEqual([]);
    expect((await purchase(ago(31 * DAY))).data?.transactionAdd.userErrors[0]?.code).toBe('BEFORE_BACKDATING_WINDOW');

    // No backdating at all: only now, give or take the clock skew of a till.
    expect(await setWindow(0)).toEqual({ org: { backdatingWindowDays: 0 }, userErrors: [] });
    expect((await purchase(ago(1 * MINUTE))).data?.transactionAdd.userErrors).toEqual([]);
    expect((await purchase(ago(1 * 3600_000))).data?.transactionAdd.userErrors[0]).toMatchObject({
      code: 'BEFORE_BACKDATING_WINDOW',
      message: "occurredAt may be at most 0 days in the past (the org's backdating window); import older history instead.",
    });

    for (const days of [-1, 3651]) {
      expect(await setWindow(days)).toEqual({
        org: null,
        userErrors: [{ code: 'INVALID_INPUT', message: 'backdatingWindowDays must be a whole number from 0 to 3650.', field: ['input', 'backdatingWindowDays'] }],
      });
    }
    await setWindow(7);
  });

  it('imports of history keep any past date, whatever the window', async () => {
    await setWindow(0);
    const run: ImportRun = { server, client, key: org.key };
    const transactions = await importRows(
      run,
      {
        profile: 'TRANSACTIONS',
        mapping: [
          { header: 'Mobile', field: 'mobile' },
          { header: 'Bill Number', field: 'billNumber' },
          { header: 'Bill Amount', field: 'billAmount' },
          { header: 'Transaction Date', field: 'billDate' },
          { header: 'Store', field: 'storeCode' },
        ],
      },
      [['6594000001', 'HISTORY-1', '25', '2022-06-15 12:00:00', store]],
    );
    expect(errorsByRow(transactions)).toEqual({});
    expect(transactions.state).toBe('COMPLETED');

    await createIncentive(server.em(), org, series, 'HISTORY-C', customer);
    const redemptions = await importRows(
      run,
      {
        profile: 'COUPON_REDEMPTIONS',
        mapping: [
          { header: 'Voucher Series Id', field: 'seriesCode' },
          { header: 'Voucher Code', field: 'couponCode' },
          { header: 'Till IUN', field: 'storeCode' },
          { header: 'Mobile', field: 'mobile' },
          { header: 'Redeemed Date', field: 'redeemedAt' },
          { header: 'Transaction Number', field: 'transactionNumber' },
          { header: 'Transaction Amount', field: 'billAmount' },
        ],
      },
      [['BACK', 'HISTORY-C', store, '6594000001', '2022-06-15 12:30:00', 'HISTORY-1', '25']],
    );
    expect(errorsByRow(redemptions)).toEqual({});
    expect(redemptions.state).toBe('COMPLETED');
    await setWindow(7);
  });
});
