import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Org, OrgUnit, Store } from '../org/org.entity.js';

export const STANDARD_STATUSES = ['ACTIVE', 'SUSPENDED', 'DELETED', 'FRAUD_SUSPECTED', 'FRAUD_CONFIRMED', 'INTERNAL'] as const;
export type StandardStatus = (typeof STANDARD_STATUSES)[number];

export const FRAUD_STATUSES = ['INTERNAL', 'MARKED', 'CONFIRMED', 'RECONFIRMED', 'NOT_FRAUD'] as const;
export type FraudStatus = (typeof FRAUD_STATUSES)[number];

export const CHANNELS = ['LINE', 'MOBILE', 'EMAIL', 'WHATSAPP', 'IOS', 'ANDROID', 'POSTMAIL', 'MOBILE_PUSH'] as const;
export type Channel = (typeof CHANNELS)[number];

export const MESSAGE_PRIORITIES = ['TRANS', 'BULK'] as const;
export type MessagePriority = (typeof MESSAGE_PRIORITIES)[number];

export const SUBSCRIPTION_STATUSES = ['OPTIN', 'OPTOUT'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** A brand-defined customer status label, mapped to one standard status. */
export const StatusLabel = defineEntity({
  name: 'StatusLabel',
  uniques: [{ properties: ['org', 'label'] }],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    label: p.string().length(100),
    standardStatus: p.enum(() => STANDARD_STATUSES),
  },
});
export type IStatusLabel = InferEntity<typeof StatusLabel>;

/** A loyalty member. Mobile and email are unique per org; external ids live in their own table. */
export const Customer = defineEntity({
  name: 'Customer',
  uniques: [{ properties: ['org', 'mobile'] }, { properties: ['org', 'email'] }],
  // Few customers have a fleet parent: the others stay out of that index.
  // No index on the names: the only query on them is the case-insensitive prefix search (ILIKE),
  // which a b-tree cannot serve, while every insert and rename would pay for one.
  indexes: [{ properties: ['org', 'parent'], where: 'parent_id is not null' }],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    firstName: p.string().length(100).nullable(),
    lastName: p.string().length(100).nullable(),
    /** Digits with country code, no '+'. */
    mobile: p.string().length(20).nullable(),
    email: p.string().length(254).nullable(),
    joinedAt: p.datetime(3).nullable(),
    joinStore: () => p.manyToOne(Store).nullable(),
    statusLabel: () => p.manyToOne(StatusLabel).nullable(),
    statusReason: p.string().length(500).nullable(),
    fraudStatus: p.enum(() => FRAUD_STATUSES).nullable(),
    fraudReason: p.string().length(500).nullable(),
    customFields: p.json<Record<string, string>>().defaultRaw(`'{}'`).onCreate(() => ({})),
    extendedFields: p.json<Record<string, string>>().defaultRaw(`'{}'`).onCreate(() => ({})),
    /** Fleet accounts: the parent customer of a parent–child hierarchy. */
    parent: () => p.manyToOne(Customer).nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
    updatedAt: p.datetime(3).onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type ICustomer = InferEntity<typeof Customer>;

/**
 * One of a customer's external ids (a customer may have several). Keyed by what identifies it, an
 * external id of the org: no surrogate id and its index to write on every insert (imports add
 * hundreds of thousands at a time).
 */
export const CustomerExternalId = defineEntity({
  name: 'CustomerExternalId',
  indexes: [{ properties: ['customer'] }],
  properties: {
    org: () => p.manyToOne(Org).primary(),
    value: p.string().length(100).primary(),
    customer: () => p.manyToOne(Customer),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
export type ICustomerExternalId = InferEntity<typeof CustomerExternalId>;

/**
 * Consent per channel × priority × account, for the whole org or for one of its org units (a
 * consent for an org unit sits beside the org-wide one: the unit's own messages follow it).
 */
export const ChannelSubscription = defineEntity({
  name: 'ChannelSubscription',
  uniques: [
    {
      name: 'channel_subscription_scope_unique',
      // One consent per scope: the org-wide one (no org unit) counts as one scope, not as distinct nulls.
      expression:
        'create unique index "channel_subscription_scope_unique" on "channel_subscription" ("org_id", "customer_id", "channel", "priority", "account", "org_unit_id") nulls not distinct',
    },
  ],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    customer: () => p.manyToOne(Customer),
    /** The org unit the consent is for; none for the whole org. */
    orgUnit: () => p.manyToOne(OrgUnit).nullable().deleteRule('cascade'),
    channel: p.enum(() => CHANNELS),
    priority: p.enum(() => MESSAGE_PRIORITIES),
    /** Account name for channels with several accounts; '' when the channel has one. */
    account: p.string().length(100).default(''),
    status: p.enum(() => SUBSCRIPTION_STATUSES),
    updatedAt: p.datetime(3).onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type IChannelSubscription = InferEntity<typeof ChannelSubscription>;
