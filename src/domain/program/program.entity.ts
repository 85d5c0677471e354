import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Org } from '../org/org.entity.js';

/** A loyalty program; each org has exactly one default program (a partial unique index). */
export const LoyaltyProgram = defineEntity({
  name: 'LoyaltyProgram',
  uniques: [{ properties: ['org', 'name'] }],
  indexes: [
    {
      name: 'loyalty_program_one_default_per_org',
      expression: 'create unique index "loyalty_program_one_default_per_org" on "loyalty_program" ("org_id") where "is_default"',
    },
  ],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    name: p.string().length(200),
    isDefault: p.boolean().default(false),
    /** Points earned per unit of currency spent, before the tier multiplier. */
    pointsPerCurrencyUnit: p.decimal('number').precision(10).scale(4).default(1),
    /** Days until earned points expire. */
    pointsExpiryDays: p.integer().default(365),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
export type ILoyaltyProgram = InferEntity<typeof LoyaltyProgram>;

/** A tier (slab) of a program, reached when lifetime purchases cross its threshold. */
export const Tier = defineEntity({
  name: 'Tier',
  uniques: [{ properties: ['org', 'program', 'name'] }, { properties: ['org', 'program', 'rank'] }],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    program: () => p.manyToOne(LoyaltyProgram),
    name: p.string().length(100),
    /** 0 is the base tier. */
    rank: p.integer(),
    purchaseThreshold: p.decimal('number').precision(14).scale(2).default(0),
    pointsMultiplier: p.decimal('number').precision(6).scale(3).default(1),
  },
});
export type ITier = InferEntity<typeof Tier>;
