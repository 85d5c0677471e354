import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Customer } from '../customer/customer.entity.js';
import { Org, Store } from '../org/org.entity.js';

export const INCENTIVE_KINDS = ['COUPON', 'PROMO_CODE', 'GIFT_VOUCHER'] as const;
export type IncentiveKind = (typeof INCENTIVE_KINDS)[number];

export const INCENTIVE_STATUSES = ['ACTIVE', 'REDEEMED', 'EXPIRED', 'REVOKED'] as const;
export type IncentiveStatus = (typeof INCENTIVE_STATUSES)[number];

/** A series of coupons, promo codes or gift vouchers and the rules their codes share. */
export const IncentiveSeries = defineEntity({
  name: 'IncentiveSeries',
  tableName: 'incentive_series',
  uniques: [{ properties: ['org', 'code'] }],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    kind: p.enum(() => INCENTIVE_KINDS),
    code: p.string().length(64),
    description: p.string().length(500).nullable(),
    validFrom: p.datetime(3).nullable(),
    validUntil: p.datetime(3).nullable(),
    redemptionFrom: p.datetime(3).nullable(),
    redemptionUntil: p.datetime(3).nullable(),
    /** Times one code may be redeemed in all. */
    maxRedemptionsPerCode: p.integer().default(1),
    /** Times one customer may redeem codes of this series. */
    maxRedemptionsPerCustomer: p.integer().nullable(),
    /** Whether a code may only be redeemed by the customer holding it. */
    holderOnly: p.boolean().default(true),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
export type IIncentiveSeries = InferEntity<typeof IncentiveSeries>;

/** One code: a coupon, promo code or gift voucher. */
export const Incentive = defineEntity({
  name: 'Incentive',
  checks: [{ name: 'incentive_redemption_count_nonnegative', expression: 'redemption_count >= 0' }],
  uniques: [{ properties: ['org', 'kind', 'code'] }],
  indexes: [{ properties: ['holder'] }, { properties: ['series'] }],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    series: () => p.manyToOne(IncentiveSeries),
    kind: p.enum(() => INCENTIVE_KINDS),
    code: p.string().length(64),
    status: p.enum(() => INCENTIVE_STATUSES).default('ACTIVE'),
    holder: () => p.manyToOne(Customer).nullable(),
    validFrom: p.datetime(3).nullable(),
    validUntil: p.datetime(3).nullable(),
    redemptionCount: p.integer().default(0),
    issuedAt: p.datetime(3).onCreate(() => new Date()),
  },
});
export type IIncentive = InferEntity<typeof Incentive>;

/**
 * One redemption of a code. `sequence` is the code's redemption count after it (1 for the first):
 * unique per code, so however many requests race, a code's n-th redemption is written once.
 */
export const IncentiveRedemption = defineEntity({
  name: 'IncentiveRedemption',
  checks: [{ name: 'incentive_redemption_sequence_positive', expression: 'sequence >= 1' }],
  uniques: [{ properties: ['incentive', 'sequence'] }],
  indexes: [{ properties: ['customer'] }],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    incentive: () => p.manyToOne(Incentive),
    sequence: p.integer(),
    customer: () => p.manyToOne(Customer),
    transactionNumber: p.string().length(100),
    billAmount: p.decimal('number').precision(14).scale(2),
    store: () => p.manyToOne(Store).nullable(),
    redeemedAt: p.datetime(3),
    createdBy: p.string().length(100).nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
export type IIncentiveRedemption = InferEntity<typeof IncentiveRedemption>;
