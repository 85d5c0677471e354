import { toDate, toId, toNullableDate, toNullableString, type Row } from '../../core/sql/rows.js';
import type { InteractionChannel, InteractionStatus } from './interaction.entity.js';

export interface InteractionRow {
  readonly __typename: 'Interaction';
  readonly id: number;
  readonly customerId: number;
  readonly channel: InteractionChannel;
  readonly senderId: string;
  readonly subject: string | null;
  readonly content: string;
  readonly status: InteractionStatus;
  readonly sentAt: Date;
  readonly deliveredAt: Date | null;
  readonly createdAt: Date;
}

export function toInteractionRow(row: Row): InteractionRow {
  return {
    __typename: 'Interaction',
    id: toId(row.id),
    customerId: toId(row.customerId),
    channel: row.channel as InteractionChannel,
    senderId: String(row.senderId),
    subject: toNullableString(row.subject),
    content: String(row.content),
    status: row.status as InteractionStatus,
    sentAt: toDate(row.sentAt),
    deliveredAt: toNullableDate(row.deliveredAt),
    createdAt: toDate(row.createdAt),
  };
}

/** The cursor sort value of an interaction: what `interactionsOfCustomer` sorts by. */
export function interactionSortValue(row: InteractionRow): string {
  return row.sentAt.toISOString();
}
