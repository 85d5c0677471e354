import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.js';
import { redeemCoupon } from '../src/domain/incentive/redemption.service.js';
import type { ServiceContext } from '../src/domain/context.js';
import { CouponRedeemDocument, type CouponRedeemMutationVariables } from './generated/graphql.js';
import { gqlClient, globalId, typedRequest, type GqlClient } from './support/client.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCustomer, createIncentive, createIncentiveSeries, createOrg, serviceContext, type TestOrg } from './support/world.js';

const DAY = 86_400_000;
const NOW = new Date('2024-03-01T04:00:00Z');

describe('couponRedeem', () => {
  const clock = new ManualClock(NOW);
  let server: TestServer;
  let org: TestOrg;
  let client: GqlClient;
  let importCtx: ServiceContext;
  let tomId: number;
  let adaId: number;
  let singleUse: number;
  let codes = 0;

  beforeAll(async () => {
    server = await startTestServer({ clock });
    const em = server.em();
    org = await createOrg(em, { role: 'INTEGRATION' });
    client = gqlClient(server.url, org.key);
    importCtx = await serviceContext(server, org, 'import-job:9', clock);
    tomId = await createCustomer(em, org, { mobile: '6591234567' });
    adaId = await createCustomer(em, org, { mobile: '6591234568' });
    singleUse = await createIncentiveSeries(em, org, { code: 'FREECOFFEE', validFrom: new Date(NOW.getTime() - 30 * DAY), validUntil: new Date(NOW.getTime() + 30 * DAY) });
  });
  afterAll(() => server?.stop());

  /** A fresh single-use coupon of Tom's. */
  async function tomsCoupon(seriesId = singleUse, options: Parameters<typeof createIncentive>[5] = {}): Promise<string> {
    codes += 1;
    const code = `C-${codes}`;
    await createIncentive(server.em(), org, seriesId, code, tomId, options);
    return code;
  }

  function redeem(input: Partial<CouponRedeemMutationVariables['input']> & { code: string }, as: GqlClient = client) {
    return typedRequest(as, CouponRedeemDocument, {
      input: { customer: { type: 'USER_ID', value: String(tomId) }, transactionNumber: 'BILL-1', billAmount: 12.5, idempotencyKey: crypto.randomUUID(), ...input },
    });
  }

  async function redemptionsOf(code: string): Promise<number> {
    const rows = await server.em().execute<{ n: string }[]>(
      'select count(*) as n from incentive_redemption r join incentive i on i.id = r.incentive_id where i.org_id = ? and i.code = ?',
      [org.orgId, code],
    );
    return Number(rows[0].n);
  }

  it('redeems the holder’s coupon in a bill at a store, and the coupon is used up', async () => {
    const code = await tomsCoupon();
    const response = await redeem({ code, transactionNumber: 'B-1001', billAmount: 45.9 });
    expect(response.errors).toBeUndefined();
    expect(response.data!.couponRedeem).toMatchObject({
      redemption: { sequence: 1, transactionNumber: 'B-1001', billAmount: 45.9, redeemedAt: '2024-03-01T12:00:00+08:00', store: null, customer: { id: globalId('Customer', tomId) } },
      incentive: { code, status: 'REDEEMED', redemptionCount: 1, usableNow: false, unusableReasons: ['FULLY_REDEEMED'] },
      replayed: false,
      userErrors: [],
    });
    const timeline = await server.em().execute(`select summary from timeline_event where customer_id = ? and type = 'COUPON_REDEEMED'`, [tomId]);
    expect(timeline).toContainEqual({ summary: `Redeemed coupon ${code}` });
    const audit = await server.em().execute(`select actor from audit_entry where org_id = ? and action = 'couponRedeem'`, [org.orgId]);
    expect(audit.length).toBeGreaterThan(0);
  });

  it('attributes the redemption to a store named by code or external id, at the time given', async () => {
    const [storeCode] = (await server.em().execute<{ code: string }[]>('select code from store where id = ?', [org.storeIds[1]])).map((row) => row.code);
    const byCode = await redeem({ code: await tomsCoupon(), storeCode, redemptionTime: '2024-02-29T09:30:00+01:00' });
    expect(byCode.data!.couponRedeem.redemption).toMatchObject({ store: { code: storeCode }, redeemedAt: '2024-02-29T16:30:00+08:00' });
    const [externalId] = (await server.em().execute<{ external_id: string }[]>('select external_id from store where id = ?', [org.storeIds[2]])).map((row) => row.external_id);
    const byExternalId = await redeem({ code: await tomsCoupon(), storeCode: externalId });
    expect(byExternalId.data!.couponRedeem.userErrors).toEqual([]);
    expect(byExternalId.data!.couponRedeem.redemption?.store).not.toBeNull();
  });

  it('50 concurrent redemptions of a single-use coupon: one succeeds, 49 are told it is already redeemed, one row is written', async () => {
    const code = await tomsCoupon();
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => redeem({ code, transactionNumber: `B-${i}` }, gqlClient(server.url, org.key))));
    const results = responses.map((response) => response.data!.couponRedeem);
    expect(results.filter((result) => result.userErrors.length === 0)).toHaveLength(1);
    const failures = results.flatMap((result) => result.userErrors);
    expect(failures).toHaveLength(49);
    expect(new Set(failures.map((error) => error.code))).toEqual(new Set(['COUPON_ALREADY_REDEEMED']));
    expect(await redemptionsOf(code)).toBe(1);
  });

  it('a code its series allows 3 redemptions of is redeemed exactly 3 times by 10 concurrent customers', async () => {
    const series = await createIncentiveSeries(server.em(), org, { code: 'SHARED3', maxRedemptionsPerCode: 3, holderOnly: false });
    await createIncentive(server.em(), org, series, 'SHARE-3', null);
    const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => redeem({ code: 'SHARE-3', transactionNumber: `S-${i}` }, gqlClient(server.url, org.key))));
    const sequences = responses.flatMap((response) => (response.data!.couponRedeem.redemption ? [response.data!.couponRedeem.redemption.sequence] : []));
    expect(sequences.sort()).toEqual([1, 2, 3]);
    expect(await redemptionsOf('SHARE-3')).toBe(3);
  });

  it('a customer limit of the series holds across its codes, even at once', async () => {
    const series = await createIncentiveSeries(server.em(), org, { code: 'ONEEACH', maxRedemptionsPerCustomer: 1, holderOnly: false });
    await createIncentive(server.em(), org, series, 'ONE-A', null);
    await createIncentive(server.em(), org, series, 'ONE-B', null);
    const [a, b] = await Promise.all([redeem({ code: 'ONE-A' }, gqlClient(server.url, org.key)), redeem({ code: 'ONE-B' }, gqlClient(server.url, org.key))]);
    const errors = [...a.data!.couponRedeem.userErrors, ...b.data!.couponRedeem.userErrors];
    expect(errors).toEqual([{ code: 'COUPON_CUSTOMER_LIMIT_REACHED', message: 'A customer may redeem 1 code(s) of this series and has.', field: ['input', 'customer'] }]);
    // Another customer may still redeem the other code.
    const ada = await redeem({ code: a.data!.couponRedeem.userErrors.length ? 'ONE-A' : 'ONE-B', customer: { type: 'USER_ID', value: String(adaId) } });
    expect(ada.data!.couponRedeem.userErrors).toEqual([]);
  });

  it('returns the first result for a repeated key, and refuses the key with another input', async () => {
    const code = await tomsCoupon();
    const idempotencyKey = crypto.randomUUID();
    const first = await redeem({ code, idempotencyKey });
    const again = await redeem({ code, idempotencyKey });
    expect(again.data!.couponRedeem).toMatchObject({ replayed: true, redemption: { id: first.data!.couponRedeem.redemption!.id }, userErrors: [] });
    const other = await redeem({ code, idempotencyKey, billAmount: 99 });
    expect(other.data!.couponRedeem.userErrors[0].code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await redemptionsOf(code)).toBe(1);
  });

  describe('refuses, writing nothing', () => {
    const cases: {
      name: string;
      setup: () => Promise<Partial<CouponRedeemMutationVariables['input']> & { code: string }>;
      /** The user error, given the code sent. */
      error: (code: string) => { code: string; message: string; field: string[] };
    }[] = [
      {
        name: 'a code the org does not have',
        setup: async () => ({ code: 'NO-SUCH-CODE' }),
        error: (code) => ({ code: 'COUPON_NOT_FOUND', message: 'No coupon has the code "NO-SUCH-CODE".', field: ['input', 'code'] }),
      },
      {
        name: 'a revoked coupon',
        setup: async () => ({ code: await tomsCoupon(singleUse, { status: 'REVOKED' }) }),
        error: (code) => ({ code: 'COUPON_NOT_ACTIVE', message: `The coupon "${code}" is revoked.`, field: ['input', 'code'] }),
      },
      {
        name: 'a coupon whose validity ended',
        setup: async () => ({ code: await tomsCoupon(singleUse, { validUntil: new Date(NOW.getTime() - DAY) }) }),
        error: (code) => ({ code: 'COUPON_NOT_ACTIVE', message: `The coupon "${code}" was valid until 2024-02-29T12:00:00+08:00.`, field: ['input', 'code'] }),
      },
      {
        name: 'someone else’s coupon of a holder-only series',
        setup: async () => ({ code: await tomsCoupon(), customer: { type: 'USER_ID', value: String(adaId) } }),
        error: (code) => ({ code: 'COUPON_NOT_HELD_BY_CUSTOMER', message: `The coupon "${code}" can only be redeemed by the customer holding it.`, field: ['input', 'customer'] }),
      },
      {
        name: 'a time outside the series’ redemption window',
        setup: async () => {
          const series = await createIncentiveSeries(server.em(), org, { code: `WINDOW-${codes}`, redemptionFrom: new Date(NOW.getTime() + DAY) });
          return { code: await tomsCoupon(series) };
        },
        error: (code) => ({ code: 'COUPON_OUTSIDE_REDEMPTION_RANGE', message: 'Codes of this series can be redeemed from 2024-03-02T12:00:00+08:00.', field: ['input', 'redemptionTime'] }),
      },
      {
        name: 'a coupon already redeemed',
        setup: async () => {
          const code = await tomsCoupon();
          await redeem({ code });
          return { code };
        },
        error: (code) => ({ code: 'COUPON_ALREADY_REDEEMED', message: `The coupon "${code}" can be redeemed once and has been.`, field: ['input', 'code'] }),
      },
      {
        name: 'an unknown customer',
        setup: async () => ({ code: await tomsCoupon(), customer: { type: 'EMAIL', value: 'ghost@example.com' } }),
        error: (code) => ({ code: 'CUSTOMER_NOT_FOUND', message: 'No customer has EMAIL "ghost@example.com".', field: ['input', 'customer'] }),
      },
      {
        name: 'an unknown store',
        setup: async () => ({ code: await tomsCoupon(), storeCode: 'nowhere' }),
        error: (code) => ({ code: 'STORE_NOT_FOUND', message: 'The org has no store "nowhere".', field: ['input', 'storeCode'] }),
      },
      {
        name: 'a bill amount of zero',
        setup: async () => ({ code: await tomsCoupon(), billAmount: 0 }),
        error: (code) => ({ code: 'INVALID_INPUT', message: 'billAmount must be positive and at most 999999999999.99.', field: ['input', 'billAmount'] }),
      },
      {
        name: 'a bill amount with three decimals',
        setup: async () => ({ code: await tomsCoupon(), billAmount: 10.005 }),
        error: (code) => ({ code: 'INVALID_INPUT', message: 'billAmount may have at most two decimals.', field: ['input', 'billAmount'] }),
      },
      {
        name: 'a blank transaction number',
        setup: async () => ({ code: await tomsCoupon(), transactionNumber: '  ' }),
        error: (code) => ({ code: 'INVALID_INPUT', message: 'transactionNumber is required.', field: ['input', 'transactionNumber'] }),
      },
      {
        name: 'a redemption time in the future',
        setup: async () => ({ code: await tomsCoupon(), redemptionTime: '2024-03-02T12:00:00+08:00' }),
        error: (code) => ({ code: 'INVALID_INPUT', message: 'redemptionTime cannot be in the future.', field: ['input', 'redemptionTime'] }),
      },
    ];

    it.each(cases)('$name', async ({ setup, error }) => {
      const input = await setup();
      const before = await redemptionsOf(input.code);
      const response = await redeem(input);
      expect(response.errors).toBeUndefined();
      expect(response.data!.couponRedeem).toEqual({ redemption: null, incentive: null, replayed: null, userErrors: [error(input.code)] });
      expect(await redemptionsOf(input.code)).toBe(before);
    });
  });

  describe('import options (service)', () => {
    it('skips the redemption-range check when asked', async () => {
      const series = await createIncentiveSeries(server.em(), org, { code: 'CLOSED', redemptionUntil: new Date(NOW.getTime() - DAY) });
      const code = await tomsCoupon(series);
      const input = { code, customer: { id: tomId }, transactionNumber: 'IMP-1', billAmount: 10 };
      await expect(redeemCoupon(importCtx, input)).rejects.toMatchObject({ code: 'COUPON_OUTSIDE_REDEMPTION_RANGE' });
      const result = await redeemCoupon(importCtx, { ...input, options: { skipRedemptionRangeCheck: true } });
      expect(result).toMatchObject({ customerId: tomId, replayed: false, seriesReplaced: false });
    });

    it('looks the code up in the named series, replacing an unknown series with the chosen one', async () => {
      const code = await tomsCoupon();
      const input = { code, customer: { id: tomId }, transactionNumber: 'IMP-2', billAmount: 10, store: { id: org.storeIds[0] } };
      await expect(redeemCoupon(importCtx, { ...input, options: { seriesId: 999_999 } })).rejects.toMatchObject({ code: 'INCENTIVE_SERIES_NOT_FOUND', field: ['input', 'seriesId'] });
      const other = await createIncentiveSeries(server.em(), org, { code: 'OTHER' });
      await expect(redeemCoupon(importCtx, { ...input, options: { seriesId: other } })).rejects.toMatchObject({ code: 'COUPON_NOT_FOUND' });
      const result = await redeemCoupon(importCtx, { ...input, options: { seriesId: 999_999, replacementSeriesId: singleUse } });
      expect(result.seriesReplaced).toBe(true);
      const [row] = await server.em().execute(`select created_by, store_id from incentive_redemption where id = ?`, [result.redemptionId]);
      expect(row).toEqual({ created_by: 'import-job:9', store_id: String(org.storeIds[0]) });
    });
  });

  it('is refused to a VIEWER key with a top-level FORBIDDEN error', async () => {
    const viewer = gqlClient(server.url, (await createOrg(server.em(), { role: 'VIEWER' })).key);
    const response = await redeem({ code: 'ANY' }, viewer);
    expect(response.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
