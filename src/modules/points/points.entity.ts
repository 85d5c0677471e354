import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
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
  uniques: [{ properties: ['org', 'program', 'customer'] }, { properties: ['org', 'program', 'group'] }],
  indexes: [{ properties: ['customer'] }, { properties: ['group'] }],
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

export const LEDGER_ENTRY_KINDS = ['EARN', 'GOODWILL', 'REDEMPTION', 'EXPIRY', 'REVERSAL', 'IMPORT'] as const;
export type LedgerEntryKind = (typeof LEDGER_ENTRY_KINDS)[number];

/** One change of points. Append-only: a database trigger rejects UPDATE and DELETE. */
export const PointsLedgerEntry = defineEntity({
  name: 'PointsLedgerEntry',
  checks: [
    { name: 'points_ledger_entry_one_owner', expression: '(customer_id is null) <> (group_id is null)' },
    { name: 'points_ledger_entry_nonzero', expression: 'points <> 0' },
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
    createdBy: p.string().length(100).nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
export type IPointsLedgerEntry = InferEntity<typeof PointsLedgerEntry>;
