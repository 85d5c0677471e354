import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Customer } from '../customer/customer.entity.js';
import { Org, Store } from '../org/org.entity.js';
import { LoyaltyProgram } from '../program/program.entity.js';

export const CARD_TYPES = ['PHYSICAL', 'DIGITAL'] as const;
export type CardType = (typeof CARD_TYPES)[number];

export const CARD_SYSTEM_STATUSES = ['NOT_ISSUED', 'ACTIVE', 'INACTIVE', 'DELETED', 'EXPIRED'] as const;
export type CardSystemStatus = (typeof CARD_SYSTEM_STATUSES)[number];

/** A series of cards: numbering rules, expiry and the program its cards earn in. */
export const CardSeries = defineEntity({
  name: 'CardSeries',
  tableName: 'card_series',
  uniques: [{ properties: ['org', 'code'] }],
  checks: [
    { name: 'card_series_number_length_range', expression: 'number_length is null or (number_length >= 1 and number_length <= 64)' },
    { name: 'card_series_next_number_positive', expression: 'next_number >= 1' },
  ],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    code: p.string().length(50),
    description: p.string().length(500).nullable(),
    type: p.enum(() => CARD_TYPES),
    prefix: p.string().length(20).default(''),
    suffix: p.string().length(20).default(''),
    numberLength: p.integer().nullable(),
    autoGenerate: p.boolean().default(false),
    expiryDays: p.integer().nullable(),
    /** The sequence number the next generated card takes (cardsGenerate reserves ranges of it). */
    nextNumber: p.bigint('number').default(1),
    store: () => p.manyToOne(Store).nullable(),
    program: () => p.manyToOne(LoyaltyProgram),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
export type ICardSeries = InferEntity<typeof CardSeries>;

/** A brand's label over one of the card system statuses. */
export const CardStatusLabel = defineEntity({
  name: 'CardStatusLabel',
  uniques: [{ properties: ['org', 'label'] }],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    label: p.string().length(100),
    systemStatus: p.enum(() => CARD_SYSTEM_STATUSES),
  },
});
export type ICardStatusLabel = InferEntity<typeof CardStatusLabel>;

/** A loyalty card; it identifies its customer whatever its status. */
export const Card = defineEntity({
  name: 'Card',
  uniques: [{ properties: ['org', 'number'] }, { properties: ['org', 'externalId'] }],
  indexes: [{ properties: ['customer'] }, { properties: ['series'] }],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    series: () => p.manyToOne(CardSeries),
    number: p.string().length(64),
    externalId: p.string().length(64).nullable(),
    statusLabel: () => p.manyToOne(CardStatusLabel),
    customer: () => p.manyToOne(Customer).nullable(),
    /** The store (till) the card is tagged to, as the Card import names it. */
    store: () => p.manyToOne(Store).nullable().deleteRule('set null'),
    issuedAt: p.datetime(3).nullable(),
    expiresAt: p.datetime(3).nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
export type ICard = InferEntity<typeof Card>;
