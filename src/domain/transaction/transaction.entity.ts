import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Customer } from '../customer/customer.entity.js';
import { Org, Store } from '../org/org.entity.js';
import { UserGroup } from '../user-group/user-group.entity.js';

/** A purchase. A bill number is unique per store and business day (in the org's time zone). */
export const Transaction = defineEntity({
  name: 'Transaction',
  tableName: 'transaction',
  uniques: [{ properties: ['org', 'store', 'billNumber', 'billDate'] }],
  indexes: [
    { properties: ['org', 'customer', 'occurredAt'] },
    { properties: ['org', 'group', 'occurredAt'] },
  ],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    customer: () => p.manyToOne(Customer),
    /** Set when a member made the purchase on behalf of a group: it then earns for the group. */
    group: () => p.manyToOne(UserGroup).nullable(),
    store: () => p.manyToOne(Store).nullable(),
    billNumber: p.string().length(100),
    /** The business day of the bill in the org's time zone. */
    billDate: p.date(),
    amount: p.decimal('number').precision(14).scale(2),
    occurredAt: p.datetime(3),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
export type ITransaction = InferEntity<typeof Transaction>;

export const TransactionLineItem = defineEntity({
  name: 'TransactionLineItem',
  indexes: [{ properties: ['transaction'] }],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    transaction: () => p.manyToOne(Transaction),
    sku: p.string().length(100),
    description: p.string().length(500).nullable(),
    quantity: p.decimal('number').precision(12).scale(3),
    amount: p.decimal('number').precision(14).scale(2),
  },
});
export type ITransactionLineItem = InferEntity<typeof TransactionLineItem>;
