import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Customer } from '../customer/customer.entity.js';
import { Org } from '../org/org.entity.js';

export const INTERACTION_CHANNELS = ['SMS', 'EMAIL', 'PUSH', 'WHATSAPP', 'LINE'] as const;
export type InteractionChannel = (typeof INTERACTION_CHANNELS)[number];

export const INTERACTION_STATUSES = ['QUEUED', 'SENT', 'DELIVERED', 'OPENED', 'FAILED'] as const;
export type InteractionStatus = (typeof INTERACTION_STATUSES)[number];

/** A message sent to a customer. Its times are shown in the org's time zone. */
export const Interaction = defineEntity({
  name: 'Interaction',
  indexes: [{ properties: ['org', 'customer', 'sentAt'] }],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    customer: () => p.manyToOne(Customer),
    channel: p.enum(() => INTERACTION_CHANNELS),
    senderId: p.string().length(100),
    subject: p.string().length(500).nullable(),
    content: p.text(),
    status: p.enum(() => INTERACTION_STATUSES),
    sentAt: p.datetime(3),
    deliveredAt: p.datetime(3).nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
export type IInteraction = InferEntity<typeof Interaction>;
