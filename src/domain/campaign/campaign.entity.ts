import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Customer, type StandardStatus } from '../customer/customer.entity.js';
import { Org } from '../org/org.entity.js';
import { LoyaltyProgram } from '../program/program.entity.js';

/** What a campaign counts toward its goal, within its window: money spent, purchases made, or points purchases earned. */
export const CAMPAIGN_GOAL_KINDS = ['SPEND', 'VISITS', 'POINTS'] as const;
export type CampaignGoalKind = (typeof CAMPAIGN_GOAL_KINDS)[number];

/**
 * A campaign customers take part in: a goal to reach within a window, and points as the reward.
 * Who may take part: customers with one of `eligibleStatuses`, in one of `eligibleTierIds` (any
 * tier when null), who joined within `joinedAfter`/`joinedBefore`; with `requiresOptIn`, only
 * those who joined the campaign (`campaign_progress.joined_at`).
 */
export const Campaign = defineEntity({
  name: 'Campaign',
  uniques: [{ properties: ['org', 'code'] }],
  checks: [
    { name: 'campaign_window', expression: 'ends_at is null or ends_at >= starts_at' },
    { name: 'campaign_goal_target_positive', expression: 'goal_target > 0' },
    { name: 'campaign_reward_points_positive', expression: 'reward_points > 0' },
  ],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    code: p.string().length(64),
    name: p.string().length(200),
    description: p.string().length(1000).nullable(),
    startsAt: p.datetime(3),
    /** Open-ended when null; `campaignEnd` sets it to the moment it ends. */
    endsAt: p.datetime(3).nullable(),
    requiresOptIn: p.boolean().default(false),
    /** Tier ids (any program of the org) a customer must hold one of; null for any tier, or none. */
    eligibleTierIds: p.json<number[]>().nullable(),
    /** Standard statuses a customer must have one of (never empty). */
    eligibleStatuses: p.json<StandardStatus[]>(),
    /** Customers who joined the program at or after this instant. */
    joinedAfter: p.datetime(3).nullable(),
    /** Customers who joined the program before this instant. */
    joinedBefore: p.datetime(3).nullable(),
    goalKind: p.enum(() => CAMPAIGN_GOAL_KINDS),
    goalTarget: p.decimal('number').precision(16).scale(2),
    rewardProgram: () => p.manyToOne(LoyaltyProgram),
    rewardPoints: p.integer(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
    updatedAt: p.datetime(3).onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type ICampaign = InferEntity<typeof Campaign>;

/**
 * A customer's progress towards a campaign's goal. Created by their first purchase that counts
 * (or by `campaignJoin`); `completedAt` is set once, by the purchase that reaches the goal.
 */
export const CampaignProgress = defineEntity({
  name: 'CampaignProgress',
  uniques: [{ properties: ['org', 'campaign', 'customer'] }],
  indexes: [{ properties: ['customer'] }],
  checks: [{ name: 'campaign_progress_value_not_negative', expression: 'value >= 0' }],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    campaign: () => p.manyToOne(Campaign),
    customer: () => p.manyToOne(Customer),
    /** Spend, visits or points counted so far. */
    value: p.decimal('number').precision(16).scale(2).default(0),
    /** When the customer joined an opt-in campaign; null until then (and for campaigns open to all, unless they joined). */
    joinedAt: p.datetime(3).nullable(),
    completedAt: p.datetime(3).nullable(),
    updatedAt: p.datetime(3).onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type ICampaignProgress = InferEntity<typeof CampaignProgress>;
