import { writeRows } from '../../core/sql/rows.js';
import { inTransaction } from '../../core/sql/transaction.js';
import { CommonErrorCode, DomainError } from '../../core/errors.js';
import { optionalText } from '../../core/input-rules.js';
import type { ServiceContext } from '../context.js';
import { recordAudit } from '../audit/audit.service.js';
import type { MessagePriority } from '../customer/customer.entity.js';
import { resolveCustomerId, type CustomerRef } from '../customer/customer.service.js';
import { runOnce } from '../idempotency/idempotency.service.js';
import { MessageErrorCode } from './message.errors.js';
import type { InteractionNotifier } from './message-events.js';
import type { MessageQueue } from './message-queue.js';
import { queueMessages } from './send-rate.js';
import { measureSms } from './sms-encoding.js';
import { chooseSender } from './sms-rules.js';
import { messagePriority, messageRecipient, requireConsent } from './message-rules.js';

/** Longest text accepted, whatever the org's segment cap: what is read before it is measured. */
export const SMS_MAX_CONTENT_CHARS = 2_000;
/** Longest sender id asked for (the column's width). */
const SENDER_MAX_CHARS = 100;

export interface SmsSend {
  readonly customer: CustomerRef;
  readonly content: string;
  /** The sender id asked for; the org's default when none or an unconfigured one. */
  readonly sender?: string | null;
  readonly priority: MessagePriority;
  readonly idempotencyKey?: string | null;
}

export interface SmsSent {
  readonly interactionId: number;
  /** True when an idempotency key repeated an earlier request: nothing was written or queued this time. */
  readonly replayed: boolean;
}

function smsContent(value: string): string {
  const field = ['input', 'content'];
  // Kept as written (no trimming): spaces and line breaks are part of the message and of its length.
  if (value.trim() === '') throw new DomainError(CommonErrorCode.INVALID_INPUT, 'content is required.', field);
  if (value.length > SMS_MAX_CONTENT_CHARS) throw new DomainError(CommonErrorCode.INVALID_INPUT, `content must be at most ${SMS_MAX_CONTENT_CHARS} characters.`, field);
  return value;
}

/**
 * Accepts an SMS for a customer: records it as a QUEUED interaction and queues its delivery in the
 * same transaction, so a message is delivered exactly when it was recorded. The gateway is called
 * by a worker after commit, never inside the request; watchers of the customer hear of it after commit too.
 */
export async function sendSms(ctx: ServiceContext, queue: MessageQueue, send: SmsSend, notify: InteractionNotifier): Promise<SmsSent> {
  const sent = await inTransaction(ctx, async (tx) => {
    const content = smsContent(send.content);
    const priority = messagePriority(send.priority);
    const requested = optionalText(send.sender, ['input', 'sender'], SENDER_MAX_CHARS);
    const customerId = await resolveCustomerId(tx, send.customer);
    const once = await runOnce(tx, { scope: 'smsSend', key: send.idempotencyKey, input: { customerId, content, requested, priority } }, async () => {
      const sender = await chooseSender(tx, requested);
      const measure = measureSms(content);
      if (measure.segments > sender.maxSegments) {
        throw new DomainError(
          MessageErrorCode.SMS_TOO_LONG,
          `The text needs ${measure.segments} SMS parts (${measure.encoding === 'GSM_7' ? 'GSM-7' : 'UCS-2'}, ${measure.length} units); the org allows at most ${sender.maxSegments}.`,
          ['input', 'content'],
        );
      }
      const mobile = await messageRecipient(tx, 'SMS', customerId);
      await requireConsent(tx, 'SMS', customerId, priority, sender.orgUnitId);
      const now = tx.clock.now();
      const [row] = await writeRows<{ id: string }>(
        tx.em,
        `insert into interaction (org_id, customer_id, channel, sender_id, requested_sender_id, sender_fallback, priority, recipient,
            content, encoding, content_length, segments, status, sent_at, queued_at, created_at)
          values (?, ?, 'SMS', ?, ?, ?, ?, ?, ?, ?, ?, ?, 'QUEUED', ?, ?, ?) returning id`,
        [tx.org.id, customerId, sender.senderId, requested, sender.fallback, priority, mobile, content, measure.encoding, measure.length, measure.segments, now, now, now],
      );
      if (!row) throw new Error('The interaction insert returned no id');
      const interactionId = Number(row.id);
      await queueMessages(tx, queue, 'SMS', [interactionId]);
      await recordAudit(tx, { action: 'smsSend', subjectType: 'Customer', subjectId: customerId, details: { interactionId, senderId: sender.senderId, priority } });
      return interactionId;
    });
    return { interactionId: once.resultId, replayed: once.replayed, customerId };
  });
  // A replay recorded nothing new, so there is nothing to announce. Not awaited: the caller's
  // answer is the message as accepted, and waiting on the bus would let the worker change it first.
  if (!sent.replayed) void notify({ customerId: sent.customerId, interactionId: sent.interactionId });
  return { interactionId: sent.interactionId, replayed: sent.replayed };
}
