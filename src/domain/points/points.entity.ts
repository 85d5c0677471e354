import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Campaign } from '../campaign/campaign.entity.js';
import { Customer } from '../customer/customer.entity.js';
import { Org } from '../org/org.entity.js';
import { LoyaltyProgram, Tier } from '../program/program.entity.js';
import { Transaction } from '../transaction/transaction.entity.js';
import { UserGroup } from '../user-group/user-group.entity.js';

/**
 * A customer's or a group's membership of a loyalty program: current tier and lifetime purchases.
 * Points are not stored here: balances are always the sum of the ledger.
 */
export const LoyaltyEnrollment = defineEntity({
  name: 'LoyaltyEnrollment',
  checks: [{ name: 'loyalty_enrollment_one_owner', expression: '(customer_id is null) <> (group_id is null)' }],
  // Led by the owner, so they also serve lookups by customer or group (no index of their own); the
  // group's key holds group rows only: a customer's enrolment writes two index entries, not five.
  uniques: [{ properties: ['customer', 'program', 'org'] }, { properties: ['group', 'program', 'org'], where: 'group_id is not null' }],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    program: () => p.manyToOne(LoyaltyProgram),
    customer: () => p.manyToOne(Customer).nullable(),
    group: () => p.manyToOne(UserGroup).nullable(),
    tier: () => p.manyToOne(Tier),
    lifetimePurchases: p.decimal('number').precision(16).scale(2).default(0),
    enrolledAt: p.datetime(3).onCreate(() => new Date()),
  },
});
export type ILoyaltyEnrollment = InferEntity<typeof LoyaltyEnrollment>;

export const LEDGER_ENTRY_KINDS = ['EARN', 'GOODWILL', 'REDEMPTION', 'EXPIRY', 'REVERSAL', 'IMPORT', 'TRANSFER_OUT', 'TRANSFER_IN', 'CAMPAIGN'] as const;
export type LedgerEntryKind = (typeof LEDGER_ENTRY_KINDS)[number];

/**
 * One change of points. Append-only: a database trigger rejects UPDATE and DELETE.
 *
 * A positive entry is a lot: points with one expiry. Every debit names the lots it consumed in
 * `points_allocation`, so what is left of a lot is its points minus its allocations, and expiry
 * takes only that rest (one EXPIRY entry per lot, `expired_lot_id` being unique).
 *
 * A transfer between customers is a TRANSFER_OUT debit of the sender and, for each lot it drew on,
 * a TRANSFER_IN lot of the recipient with that lot's expiry, naming the debit (`transfer_out_id`).
 */
export const PointsLedgerEntry = defineEntity({
  name: 'PointsLedgerEntry',
  checks: [
    { name: 'points_ledger_entry_one_owner', expression: '(customer_id is null) <> (group_id is null)' },
    { name: 'points_ledger_entry_nonzero', expression: 'points <> 0' },
    {
      name: 'points_ledger_entry_sign_of_kind',
      expression: "(kind not in ('EARN', 'GOODWILL', 'TRANSFER_IN', 'CAMPAIGN') or points > 0) and (kind not in ('REDEMPTION', 'EXPIRY', 'TRANSFER_OUT') or points < 0)",
    },
    { name: 'points_ledger_entry_campaign_names_its_campaign', expression: "(kind = 'CAMPAIGN') = (campaign_id is not null and customer_id is not null)" },
    { name: 'points_ledger_entry_expiry_names_its_lot', expression: "(kind = 'EXPIRY') = (expired_lot_id is not null)" },
    { name: 'points_ledger_entry_transfer_in_names_its_debit', expression: "(kind = 'TRANSFER_IN') = (transfer_out_id is not null)" },
  ],
  // Corrections are new entries (REVERSAL), never edits: PostgreSQL refuses them for every writer.
  triggers: [
    {
      name: 'append_only',
      timing: 'before',
      events: ['update', 'delete'],
      forEach: 'row',
      body: "raise exception 'points_ledger_entry is append-only: % is not allowed', tg_op;",
    },
  ],
  indexes: [
    { properties: ['org', 'customer', 'program'] },
    { properties: ['org', 'group', 'program'] },
    { properties: ['transaction'] },
    // A transfer's credits by its debit (a replay reloads them); null for every other entry.
    { name: 'points_ledger_entry_transfer_out_id_index', expression: 'create index "points_ledger_entry_transfer_out_id_index" on "points_ledger_entry" ("transfer_out_id") where "transfer_out_id" is not null' },
    // A campaign rewards a customer once: the second grant of a completion breaks this.
    {
      name: 'points_ledger_entry_campaign_reward_once',
      expression: 'create unique index "points_ledger_entry_campaign_reward_once" on "points_ledger_entry" ("campaign_id", "customer_id") where "campaign_id" is not null',
    },
    {
      // The expiry job's scan: lots by expiry. Debits have no expiry and stay out of the index.
      name: 'points_ledger_entry_lots_by_expiry',
      expression: 'create index "points_ledger_entry_lots_by_expiry" on "points_ledger_entry" ("expires_at") where "points" > 0 and "expires_at" is not null',
    },
  ],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    program: () => p.manyToOne(LoyaltyProgram),
    customer: () => p.manyToOne(Customer).nullable(),
    group: () => p.manyToOne(UserGroup).nullable(),
    transaction: () => p.manyToOne(Transaction).nullable(),
    kind: p.enum(() => LEDGER_ENTRY_KINDS),
    /** Positive to credit, negative to debit. */
    points: p.integer(),
    reason: p.string().length(500).nullable(),
    /** Where the change came from: a mutation, an import job, the expiry job. */
    source: p.string().length(100),
    expiresAt: p.datetime(3).nullable(),
    /** EXPIRY entries: the lot whose rest they expire. Unique, so a lot expires at most once. */
    expiredLot: () => p.manyToOne(PointsLedgerEntry).nullable().unique(),
    /** TRANSFER_IN lots: the sender's TRANSFER_OUT entry they came from. */
    transferOut: () => p.manyToOne(PointsLedgerEntry).nullable(),
    /** CAMPAIGN lots: the campaign whose completion they reward. */
    campaign: () => p.manyToOne(Campaign).nullable(),
    createdBy: p.string().length(100).nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
export type IPointsLedgerEntry = InferEntity<typeof PointsLedgerEntry>;

/**
 * Which lots a debit consumed, and how much of each. Append-only like the ledger it explains:
 * a lot's rest is its points minus the sum of its allocations.
 */
export const PointsAllocation = defineEntity({
  name: 'PointsAllocation',
  checks: [{ name: 'points_allocation_positive', expression: 'points > 0' }],
  uniques: [{ properties: ['debitEntry', 'creditEntry'] }],
  indexes: [{ properties: ['creditEntry'] }],
  triggers: [
    {
      name: 'append_only',
      timing: 'before',
      events: ['update', 'delete'],
      forEach: 'row',
      body: "raise exception 'points_allocation is append-only: % is not allowed', tg_op;",
    },
  ],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    /** The REDEMPTION, EXPIRY or TRANSFER_OUT (or negative IMPORT / REVERSAL) entry. */
    debitEntry: () => p.manyToOne(PointsLedgerEntry),
    /** The lot it took points from. */
    creditEntry: () => p.manyToOne(PointsLedgerEntry),
    points: p.integer(),
    createdAt: p.datetime(3),
  },
});
export type IPointsAllocation = InferEntity<typeof PointsAllocation>;
