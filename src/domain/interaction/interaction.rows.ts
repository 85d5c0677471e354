import { toDate, toId, toNullableDate, toNullableString, type Row } from '../../core/sql/rows.js';
import type { MessagePriority } from '../customer/customer.entity.js';
import type { InteractionAttachmentSummary, InteractionChannel, InteractionStatus, SenderFallback, SmsEncoding } from './interaction.entity.js';

export interface InteractionRow {
  readonly __typename: 'Interaction';
  readonly id: number;
  readonly customerId: number;
  readonly channel: InteractionChannel;
  readonly senderId: string;
  readonly requestedSenderId: string | null;
  readonly senderFallback: SenderFallback | null;
  readonly priority: MessagePriority | null;
  readonly encoding: SmsEncoding | null;
  readonly contentLength: number | null;
  readonly segments: number | null;
  readonly subject: string | null;
  readonly content: string;
  /** An email's attachments; null for other channels and for messages recorded before attachments were. */
  readonly attachments: readonly InteractionAttachmentSummary[] | null;
  readonly status: InteractionStatus;
  readonly sentAt: Date;
  readonly queuedAt: Date | null;
  readonly deliveredAt: Date | null;
  readonly failedAt: Date | null;
  readonly failureReason: string | null;
  readonly createdAt: Date;
}

/** The columns `toInteractionRow` reads (not an email's HTML nor a sign-in code's real text), for a `returning` clause. */
export const INTERACTION_ROW_COLUMNS =
  'id, customer_id, channel, sender_id, requested_sender_id, sender_fallback, priority, encoding, content_length, segments, subject, content, attachments, status, sent_at, queued_at, delivered_at, failed_at, failure_reason, created_at';

export function toInteractionRow(row: Row): InteractionRow {
  return {
    __typename: 'Interaction',
    id: toId(row.id),
    customerId: toId(row.customerId),
    channel: row.channel as InteractionChannel,
    senderId: String(row.senderId),
    requestedSenderId: toNullableString(row.requestedSenderId),
    senderFallback: (row.senderFallback ?? null) as SenderFallback | null,
    priority: (row.priority ?? null) as MessagePriority | null,
    encoding: (row.encoding ?? null) as SmsEncoding | null,
    contentLength: row.contentLength === null || row.contentLength === undefined ? null : Number(row.contentLength),
    segments: row.segments === null || row.segments === undefined ? null : Number(row.segments),
    subject: toNullableString(row.subject),
    content: String(row.content),
    attachments: Array.isArray(row.attachments) ? (row.attachments as InteractionAttachmentSummary[]) : null,
    status: row.status as InteractionStatus,
    sentAt: toDate(row.sentAt),
    queuedAt: toNullableDate(row.queuedAt),
    deliveredAt: toNullableDate(row.deliveredAt),
    failedAt: toNullableDate(row.failedAt),
    failureReason: toNullableString(row.failureReason),
    createdAt: toDate(row.createdAt),
  };
}

/** The cursor sort value of an interaction: what `interactionsOfCustomer` sorts by. */
export function interactionSortValue(row: InteractionRow): string {
  return row.sentAt.toISOString();
}
