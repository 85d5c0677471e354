import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Customer } from '../customer/customer.entity.js';
import { Org } from '../org/org.entity.js';

/** A group of customers (a B2B account, a family) with a primary member. */
export const UserGroup = defineEntity({
  name: 'UserGroup',
  uniques: [{ properties: ['org', 'externalId'] }],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    name: p.string().length(200),
    externalId: p.string().length(100).nullable(),
    primaryMember: () => p.manyToOne(Customer),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
export type IUserGroup = InferEntity<typeof UserGroup>;

export const UserGroupMember = defineEntity({
  name: 'UserGroupMember',
  uniques: [{ properties: ['org', 'group', 'customer'] }],
  indexes: [{ properties: ['customer'] }],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    group: () => p.manyToOne(UserGroup),
    customer: () => p.manyToOne(Customer),
    joinedAt: p.datetime(3).onCreate(() => new Date()),
  },
});
export type IUserGroupMember = InferEntity<typeof UserGroupMember>;
