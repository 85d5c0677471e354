import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Customer } from '../customer/customer.entity.js';
import { Org } from '../org/org.entity.js';

/** A campaign customers take part in, with a goal to reach. */
export const Campaign = defineEntity({
  name: 'Campaign',
  uniques: [{ properties: ['org', 'code'] }],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    code: p.string().length(64),
    name: p.string().length(200),
    description: p.string().length(1000).nullable(),
    startsAt: p.datetime(3),
    endsAt: p.datetime(3).nullable(),
    goal: p.integer(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
export type ICampaign = InferEntity<typeof Campaign>;

/** A customer's progress towards a campaign's goal. */
export const CampaignProgress = defineEntity({
  name: 'CampaignProgress',
  uniques: [{ properties: ['org', 'campaign', 'customer'] }],
  indexes: [{ properties: ['customer'] }],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    campaign: () => p.manyToOne(Campaign),
    customer: () => p.manyToOne(Customer),
    progress: p.integer().default(0),
    completedAt: p.datetime(3).nullable(),
    updatedAt: p.datetime(3).onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type ICampaignProgress = InferEntity<typeof CampaignProgress>;
