import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Customer } from '../customer/customer.entity.js';
import { Org } from '../org/org.entity.js';

export const TIMELINE_EVENT_TYPES = [
  'JOINED',
  'PURCHASED',
  'POINTS_ISSUED',
  'POINTS_REDEEMED',
  'POINTS_EXPIRED',
  'POINTS_TRANSFERRED_OUT',
  'POINTS_TRANSFERRED_IN',
  'TIER_UPGRADED',
  'COUPON_REDEEMED',
  'BADGE_EARNED',
  'OPENED_EMAIL',
  'STATUS_CHANGED',
  'CAMPAIGN_COMPLETED',
] as const;
export type TimelineEventType = (typeof TIMELINE_EVENT_TYPES)[number];

/** An event in a customer's history; timeline views are filtered subsets of these. */
export const TimelineEvent = defineEntity({
  name: 'TimelineEvent',
  indexes: [{ properties: ['org', 'customer', 'occurredAt'] }],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    customer: () => p.manyToOne(Customer),
    type: p.enum(() => TIMELINE_EVENT_TYPES),
    summary: p.string().length(500),
    data: p.json<Record<string, unknown>>().defaultRaw(`'{}'`).onCreate(() => ({})),
    occurredAt: p.datetime(3),
  },
});
export type ITimelineEvent = InferEntity<typeof TimelineEvent>;

/**
 * A timeline view an org names and configures: some event types within the last `windowDays`
 * days, read as `Customer.timelineView(name)`. The name is the view's key within its org.
 */
export const TimelineView = defineEntity({
  name: 'TimelineView',
  uniques: [{ properties: ['org', 'name'] }],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    name: p.string().length(100),
    /** The event types shown, distinct and sorted. */
    eventTypes: p.json<TimelineEventType[]>(),
    /** How many days back from now the view reaches. */
    windowDays: p.integer(),
    createdAt: p.datetime(3),
  },
});
export type ITimelineView = InferEntity<typeof TimelineView>;
