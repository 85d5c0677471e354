import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Customer } from '../customer/customer.entity.js';
import { Org } from '../org/org.entity.js';

export const PARTNER_PROGRAM_TYPES = ['EXTERNAL', 'SUPPLEMENTARY'] as const;
export type PartnerProgramType = (typeof PARTNER_PROGRAM_TYPES)[number];

export const MEMBERSHIP_STATUSES = ['ACTIVE', 'ENDED'] as const;
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number];

export const MEMBERSHIP_ACTIVITIES = ['JOINED', 'UPGRADED', 'DOWNGRADED', 'RENEWED', 'ENDED'] as const;
export type MembershipActivityKind = (typeof MEMBERSHIP_ACTIVITIES)[number];

/** An external or supplementary partner program. */
export const SupplementaryProgram = defineEntity({
  name: 'SupplementaryProgram',
  uniques: [{ properties: ['org', 'code'] }],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    code: p.string().length(64),
    name: p.string().length(200),
    type: p.enum(() => PARTNER_PROGRAM_TYPES),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
export type ISupplementaryProgram = InferEntity<typeof SupplementaryProgram>;

/** A customer's membership of a partner program. Current when it has no end or ends in the future. */
export const ProgramMembership = defineEntity({
  name: 'ProgramMembership',
  uniques: [{ properties: ['org', 'program', 'membershipId'] }],
  indexes: [{ properties: ['customer'] }],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    program: () => p.manyToOne(SupplementaryProgram),
    customer: () => p.manyToOne(Customer),
    membershipId: p.string().length(100),
    tierName: p.string().length(100).nullable(),
    tierExpiresAt: p.datetime(3).nullable(),
    status: p.enum(() => MEMBERSHIP_STATUSES).default('ACTIVE'),
    startedAt: p.datetime(3),
    endedAt: p.datetime(3).nullable(),
    lastUpdatedAt: p.datetime(3),
    lastActivity: p.enum(() => MEMBERSHIP_ACTIVITIES),
    lastActivityAt: p.datetime(3),
  },
});
export type IProgramMembership = InferEntity<typeof ProgramMembership>;

/** One step in a membership's activity history. */
export const MembershipActivity = defineEntity({
  name: 'MembershipActivity',
  indexes: [{ properties: ['membership', 'occurredAt'] }],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    membership: () => p.manyToOne(ProgramMembership),
    kind: p.enum(() => MEMBERSHIP_ACTIVITIES),
    description: p.string().length(500).nullable(),
    tierName: p.string().length(100).nullable(),
    occurredAt: p.datetime(3),
  },
});
export type IMembershipActivity = InferEntity<typeof MembershipActivity>;
