import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Customer } from '../customer/customer.entity.js';
import { Org } from '../org/org.entity.js';

/**
 * A customer's registration through one of the org's sources (WeChat Follow, WeChat Register, …),
 * as the Entity Life Cycle import brings it. A source's reference id names one event: unique per
 * org and source, so importing it again updates it instead of adding another.
 */
export const CustomerLifecycleEvent = defineEntity({
  name: 'CustomerLifecycleEvent',
  uniques: [{ properties: ['org', 'sourceId', 'referenceId'] }],
  indexes: [{ properties: ['customer', 'updatedOn'] }],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    /** The entity the event is about; entities of type CUSTOMER are customers (entity id = user id). */
    customer: () => p.manyToOne(Customer),
    /** The org's source the customer registered through. */
    sourceId: p.string().length(100),
    /** What the customer registered for, e.g. FOLLOW or REGISTER. */
    activity: p.string().length(100),
    /** The state of that activity, e.g. ACTIVE or UNFOLLOWED. */
    state: p.string().length(50),
    /** Who recorded it at the source. */
    addedBy: p.string().length(100),
    referenceId: p.string().length(100),
    /** When the source last changed it. */
    updatedOn: p.datetime(3),
    createdAt: p.datetime(3),
  },
});
export type ICustomerLifecycleEvent = InferEntity<typeof CustomerLifecycleEvent>;
