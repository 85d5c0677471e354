import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.js';
import { CouponRedeemDocument, IncentiveSearchDocument } from './generated/graphql.js';
import type { IncentiveKind } from './generated/schema-types.js';
import { gqlClient, globalId, typedRequest, type GqlClient } from './support/client.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCustomer, createIncentive, createIncentiveSeries, createOrg, type TestOrg } from './support/world.js';

const DAY = 86_400_000;
const NOW = new Date('2024-03-01T04:00:00Z');

describe('incentiveSearch', () => {
  const clock = new ManualClock(NOW);
  let server: TestServer;
  let org: TestOrg;
  let member: GqlClient;
  let viewer: GqlClient;
  let tomId: number;
  let coupons: number;

  beforeAll(async () => {
    server = await startTestServer({ clock });
    const em = server.em();
    org = await createOrg(em, { role: 'MEMBER_CARE' });
    member = gqlClient(server.url, org.key);
    viewer = gqlClient(server.url, (await createOrg(em, { role: 'VIEWER' })).key);
    tomId = await createCustomer(em, org, { mobile: '6591234567' });
    coupons = await createIncentiveSeries(em, org, { code: 'WELCOME', validFrom: new Date(NOW.getTime() - DAY), validUntil: new Date(NOW.getTime() + 90 * DAY) });
    await createIncentive(em, org, coupons, 'WELCOME-1', tomId);
    await createIncentive(em, org, coupons, 'WELCOME-2', tomId);
    await createIncentive(em, org, coupons, 'WELCOME-REVOKED', tomId, { status: 'REVOKED' });
    await createIncentive(em, org, coupons, 'WELCOME-OLD', tomId, { validUntil: new Date(NOW.getTime() - DAY) });
    const later = await createIncentiveSeries(em, org, { code: 'SUMMER', validFrom: new Date(NOW.getTime() + 10 * DAY) });
    await createIncentive(em, org, later, 'SUMMER-1', tomId);
    const closed = await createIncentiveSeries(em, org, { code: 'CLOSED', redemptionUntil: new Date(NOW.getTime() - DAY) });
    await createIncentive(em, org, closed, 'CLOSED-1', tomId);
    const promos = await createIncentiveSeries(em, org, { code: 'PROMOS', kind: 'PROMO_CODE', maxRedemptionsPerCode: 1000, holderOnly: false });
    await createIncentive(em, org, promos, 'SPRING24', null, { kind: 'PROMO_CODE' });
    const vouchers = await createIncentiveSeries(em, org, { code: 'GV', kind: 'GIFT_VOUCHER' });
    await createIncentive(em, org, vouchers, 'GV-50', tomId, { kind: 'GIFT_VOUCHER' });
    // Another org's coupon with a code this org does not have.
    const other = await createOrg(em);
    await createIncentive(em, other, await createIncentiveSeries(em, other, { code: 'THEIRS' }), 'THEIR-CODE', null);
  });
  afterAll(() => server?.stop());

  function search(kind: IncentiveKind, code: string, as: GqlClient = member) {
    return typedRequest(as, IncentiveSearchDocument, { kind, code });
  }

  it('shows a usable coupon with its series, holder and validity', async () => {
    const response = await search('COUPON', ' WELCOME-1 ');
    expect(response.errors).toBeUndefined();
    expect(response.data!.incentiveSearch).toMatchObject({
      __typename: 'Incentive',
      kind: 'COUPON',
      code: 'WELCOME-1',
      status: 'ACTIVE',
      usableNow: true,
      unusableReasons: [],
      redemptionCount: 0,
      series: { code: 'WELCOME', maxRedemptionsPerCode: 1 },
      holder: { id: globalId('Customer', tomId) },
      redemptions: [],
    });
  });

  it('shows a redeemed coupon with its redemption and why it cannot be used now', async () => {
    const redeemed = await typedRequest(member, CouponRedeemDocument, {
      input: { code: 'WELCOME-2', customer: { type: 'USER_ID', value: String(tomId) }, transactionNumber: 'B-77', billAmount: 20, idempotencyKey: crypto.randomUUID() },
    });
    expect(redeemed.data!.couponRedeem.userErrors).toEqual([]);
    const response = await search('COUPON', 'WELCOME-2');
    expect(response.data!.incentiveSearch).toMatchObject({
      status: 'REDEEMED',
      usableNow: false,
      unusableReasons: ['FULLY_REDEEMED'],
      redemptions: [{ transactionNumber: 'B-77', sequence: 1 }],
    });
  });

  it.each([
    ['WELCOME-REVOKED', ['REVOKED']],
    ['WELCOME-OLD', ['VALIDITY_ENDED']],
    ['SUMMER-1', ['NOT_YET_VALID']],
    ['CLOSED-1', ['AFTER_REDEMPTION_WINDOW']],
  ] as const)('says why %s cannot be used now', async (code, reasons) => {
    const response = await search('COUPON', code);
    expect(response.data!.incentiveSearch).toMatchObject({ __typename: 'Incentive', code, usableNow: false, unusableReasons: reasons });
  });

  it('finds promo codes and gift vouchers under their own kind only', async () => {
    expect((await search('PROMO_CODE', 'SPRING24')).data!.incentiveSearch).toMatchObject({ __typename: 'Incentive', kind: 'PROMO_CODE', holder: null, usableNow: true });
    expect((await search('GIFT_VOUCHER', 'GV-50')).data!.incentiveSearch).toMatchObject({ __typename: 'Incentive', kind: 'GIFT_VOUCHER' });
    expect((await search('COUPON', 'SPRING24')).data!.incentiveSearch).toEqual({
      __typename: 'InvalidIncentiveCode',
      kind: 'COUPON',
      code: 'SPRING24',
      reason: 'NOT_FOUND',
      message: 'No coupon has the code "SPRING24".',
    });
  });

  it.each([
    ['an unknown code', 'GIFT_VOUCHER', 'NOPE', 'NOT_FOUND', 'No gift voucher has the code "NOPE".'],
    ['another org’s code', 'COUPON', 'THEIR-CODE', 'NOT_FOUND', 'No coupon has the code "THEIR-CODE".'],
    ['a blank code', 'PROMO_CODE', '   ', 'MALFORMED', 'Codes are 1 to 64 characters long.'],
    ['a code too long to exist', 'COUPON', 'X'.repeat(65), 'MALFORMED', 'Codes are 1 to 64 characters long.'],
  ] as const)('answers %s with InvalidIncentiveCode, not an error', async (_name, kind, code, reason, message) => {
    const response = await search(kind, code);
    expect(response.errors).toBeUndefined();
    expect(response.data!.incentiveSearch).toEqual({ __typename: 'InvalidIncentiveCode', kind, code, reason, message });
  });

  it('is a read: a VIEWER key may search', async () => {
    const response = await search('COUPON', 'WELCOME-1', viewer);
    expect(response.errors).toBeUndefined();
    // The viewer's org has no such code.
    expect(response.data!.incentiveSearch.__typename).toBe('InvalidIncentiveCode');
  });
});
