import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Customer } from '../customer/customer.entity.js';
import { Org } from '../org/org.entity.js';

/** A badge a customer can earn. `metaId` is the id imports refer to (badgeMetaId). */
export const BadgeDefinition = defineEntity({
  name: 'BadgeDefinition',
  uniques: [{ properties: ['org', 'metaId'] }],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    metaId: p.string().length(64),
    name: p.string().length(200),
    description: p.string().length(500).nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
export type IBadgeDefinition = InferEntity<typeof BadgeDefinition>;

/** A badge earned by a customer; the earn date may lie in the past (retro issue). */
export const EarnedBadge = defineEntity({
  name: 'EarnedBadge',
  checks: [{ name: 'earned_badge_expires_after_earned', expression: 'expires_at > earned_at' }],
  // The same badge earned at the same instant is one badge: an import replayed adds nothing.
  uniques: [{ properties: ['org', 'customer', 'badge', 'earnedAt'] }],
  indexes: [{ properties: ['customer'] }],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    badge: () => p.manyToOne(BadgeDefinition),
    customer: () => p.manyToOne(Customer),
    earnedAt: p.datetime(3),
    expiresAt: p.datetime(3),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
export type IEarnedBadge = InferEntity<typeof EarnedBadge>;
