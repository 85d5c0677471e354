import { writeRows } from '../../core/sql/rows.js';
import { inTransaction } from '../../core/sql/transaction.js';
import { CommonErrorCode, DomainError } from '../../core/errors.js';
import { optionalText } from '../../core/input-rules.js';
import type { ServiceContext } from '../context.js';
import { INTERACTION_ROW_COLUMNS, toInteractionRow, type InteractionRow } from '../interaction/interaction.rows.js';
import { recordAudit, type AuditRecord } from '../audit/audit.service.js';
import type { MessagePriority } from '../customer/customer.entity.js';
import { resolveCustomerId, type CustomerRef } from '../customer/customer.service.js';
import { runOnce } from '../idempotency/idempotency.service.js';
import type { InteractionNotifier } from './message-events.js';
import type { MessageQueue } from './message-queue.js';
import { queueMessages } from './send-rate.js';
import { chooseSender, measureWithinCap, type ChosenSender } from './sms-rules.js';
import { messagePriority, messageRecipient, requireConsent } from './message-rules.js';

/** Longest text accepted, whatever the org's segment cap: what is read before it is measured. */
export const SMS_MAX_CONTENT_CHARS = 2_000;
/** Longest sender id asked for (the column's width). */
const SENDER_MAX_CHARS = 100;
/** Where SMS idempotency keys are claimed, by `smsSend` and `smsSendBatch` alike: one key, one message. */
export const SMS_SEND_SCOPE = 'smsSend';

export interface SmsSend {
  readonly customer: CustomerRef;
  readonly content: string;
  /** The sender id asked for; the org's default when none or an unconfigured one. */
  readonly sender?: string | null;
  readonly priority: MessagePriority;
  readonly idempotencyKey?: string | null;
  /**
   * What the record shows instead of `content` (member care, GraphQL, audit): a sign-in code's text
   * with the code masked. The real text goes only to the gateway, and is cleared once handed over.
   */
  readonly maskedContent?: string;
}

export interface SmsSent {
  readonly interactionId: number;
  /** True when an idempotency key repeated an earlier request: nothing was written or queued this time. */
  readonly replayed: boolean;
  /** The message as accepted (QUEUED), from the insert itself; null for a repeat, whose message is read by id. */
  readonly interaction: InteractionRow | null;
}

function smsContent(value: string): string {
  const field = ['input', 'content'];
  // Kept as written (no trimming): spaces and line breaks are part of the message and of its length.
  if (value.trim() === '') throw new DomainError(CommonErrorCode.INVALID_INPUT, 'content is required.', field);
  if (value.length > SMS_MAX_CONTENT_CHARS) throw new DomainError(CommonErrorCode.INVALID_INPUT, `content must be at most ${SMS_MAX_CONTENT_CHARS} characters.`, field);
  return value;
}

/** An SMS's own fields, checked before anything is read: its text, priority and the sender id asked for. */
export interface CheckedSms {
  readonly content: string;
  readonly priority: MessagePriority;
  readonly requested: string | null;
}

/** Checks what can be checked of an SMS without the database, in the order `sendSms` reports it. */
export function checkSms(send: SmsSend): CheckedSms {
  return { content: smsContent(send.content), priority: messagePriority(send.priority), requested: optionalText(send.sender, ['input', 'sender'], SENDER_MAX_CHARS) };
}

/** What an idempotency key of `smsSend` (or `smsSendBatch`) stands for. */
export function smsRequest(customerId: number, sms: CheckedSms): unknown {
  return { customerId, content: sms.content, requested: sms.requested, priority: sms.priority };
}

/** The audit entry of an accepted SMS. */
export function smsAudit(customerId: number, interactionId: number, sender: ChosenSender, priority: MessagePriority): AuditRecord {
  return { action: 'smsSend', subjectType: 'Customer', subjectId: customerId, details: { interactionId, senderId: sender.senderId, priority } };
}

/**
 * Accepts an SMS for a customer: records it as a QUEUED interaction and queues its delivery in the
 * same transaction, so a message is delivered exactly when it was recorded. The gateway is called
 * by a worker after commit, never inside the request; watchers of the customer hear of it after commit too.
 */
export async function sendSms(ctx: ServiceContext, queue: MessageQueue, send: SmsSend, notify: InteractionNotifier): Promise<SmsSent> {
  const sent = await inTransaction(ctx, async (tx) => {
    const sms = checkSms(send);
    const { content, priority, requested } = sms;
    const customerId = await resolveCustomerId(tx, send.customer);
    let accepted: InteractionRow | null = null;
    const once = await runOnce(tx, { scope: SMS_SEND_SCOPE, key: send.idempotencyKey, input: smsRequest(customerId, sms) }, async () => {
      const sender = await chooseSender(tx, requested);
      const measure = measureWithinCap(content, sender.maxSegments);
      const mobile = await messageRecipient(tx, 'SMS', customerId);
      await requireConsent(tx, 'SMS', customerId, priority, sender.orgUnitId);
      const now = tx.clock.now();
      const [row] = await writeRows(
        tx.em,
        `insert into interaction (org_id, customer_id, channel, sender_id, requested_sender_id, sender_fallback, priority, recipient,
            content, secret_content, encoding, content_length, segments, status, sent_at, queued_at, created_at)
          values (?, ?, 'SMS', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'QUEUED', ?, ?, ?) returning ${INTERACTION_ROW_COLUMNS}`,
        [tx.org.id, customerId, sender.senderId, requested, sender.fallback, priority, mobile, send.maskedContent ?? content, send.maskedContent === undefined ? null : content,
          measure.encoding, measure.length, measure.segments, now, now, now],
      );
      if (!row) throw new Error('The interaction insert returned no row');
      accepted = toInteractionRow(row);
      const interactionId = accepted.id;
      await queueMessages(tx, queue, 'SMS', [interactionId], sender.sendRate);
      await recordAudit(tx, smsAudit(customerId, interactionId, sender, priority));
      return interactionId;
    });
    return { interactionId: once.resultId, replayed: once.replayed, customerId, interaction: once.replayed ? null : accepted };
  });
  // A replay recorded nothing new, so there is nothing to announce. Not awaited: the caller's
  // answer is the message as accepted, and waiting on the bus would let the worker change it first.
  if (!sent.replayed) void notify({ customerId: sent.customerId, interactionId: sent.interactionId });
  return { interactionId: sent.interactionId, replayed: sent.replayed, interaction: sent.interaction };
}
