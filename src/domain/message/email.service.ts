import { selectRows, writeBytes, writeRows } from '../../core/sql/rows.js';
import { inTransaction } from '../../core/sql/transaction.js';
import type { ServiceContext } from '../context.js';
import { recordAudit } from '../audit/audit.service.js';
import type { MessagePriority } from '../customer/customer.entity.js';
import { resolveCustomerId, type CustomerRef } from '../customer/customer.service.js';
import { runOnce } from '../idempotency/idempotency.service.js';
import type { InteractionNotifier } from './message-events.js';
import type { MessageQueue } from './message-queue.js';
import { queueMessages } from './send-rate.js';
import { messagePriority, messageRecipient, requireConsent } from './message-rules.js';
import { attachmentFingerprint, emailAttachments, emailBodies, emailSubject, requireAttachmentsWithin, type AttachmentInput, type CheckedAttachment } from './email-rules.js';

export interface EmailSend {
  readonly customer: CustomerRef;
  readonly subject: string;
  readonly html?: string | null;
  readonly text?: string | null;
  readonly attachments?: readonly AttachmentInput[] | null;
  readonly priority: MessagePriority;
  readonly idempotencyKey?: string | null;
  /** What the record shows instead of the text part (a sign-in code masked); the real text goes only to the mail server. */
  readonly maskedText?: string;
}

export interface EmailSent {
  readonly interactionId: number;
  /** True when an idempotency key repeated an earlier request: nothing was written or queued this time. */
  readonly replayed: boolean;
}

/** The sender's address, as the deployment configures it (`MAIL_FROM`). */
export interface EmailSettings {
  readonly mailFrom: string;
}

/** The org's email limits, read from the org row, not `ctx.org`: the caller's copy may be cached from before a settings change. */
async function emailLimits(tx: ServiceContext): Promise<{ maxAttachmentBytes: number; sendRate: number | null }> {
  const [row] = await selectRows<{ emailMaxAttachmentBytes: number; emailSendRate: number | null }>(
    tx.em,
    'select email_max_attachment_bytes, email_send_rate from org where id = ?',
    [tx.org.id],
  );
  if (!row) throw new Error(`Org ${tx.org.id} cannot be read`);
  return { maxAttachmentBytes: Number(row.emailMaxAttachmentBytes), sendRate: row.emailSendRate === null ? null : Number(row.emailSendRate) };
}

async function storeAttachments(tx: ServiceContext, interactionId: number, attachments: readonly CheckedAttachment[]): Promise<void> {
  for (const [position, attachment] of attachments.entries()) {
    await writeBytes(
      tx.em,
      'insert into interaction_attachment (org_id, interaction_id, position, file_name, content_type, size_bytes, data) values (?, ?, ?, ?, ?, ?, ?)',
      [tx.org.id, interactionId, position, attachment.fileName, attachment.contentType, attachment.data.length, attachment.data],
    );
  }
}

/**
 * Accepts an email for a customer: records it as a QUEUED interaction, with its attachments' bytes,
 * and queues its delivery in the same transaction, so a message is delivered exactly when it was
 * recorded. The mail server is spoken to by a worker after commit, never inside the request;
 * watchers of the customer hear of it after commit too.
 */
export async function sendEmail(ctx: ServiceContext, queue: MessageQueue, settings: EmailSettings, send: EmailSend, notify: InteractionNotifier): Promise<EmailSent> {
  const sent = await inTransaction(ctx, async (tx) => {
    const subject = emailSubject(send.subject);
    const bodies = emailBodies(send.html, send.text);
    const priority = messagePriority(send.priority);
    const attachments = emailAttachments(send.attachments);
    const customerId = await resolveCustomerId(tx, send.customer);
    const input = { customerId, subject, ...bodies, priority, attachments: attachments.map(attachmentFingerprint) };
    const once = await runOnce(tx, { scope: 'emailSend', key: send.idempotencyKey, input }, async () => {
      const limits = await emailLimits(tx);
      requireAttachmentsWithin(attachments, limits.maxAttachmentBytes);
      const email = await messageRecipient(tx, 'EMAIL', customerId);
      await requireConsent(tx, 'EMAIL', customerId, priority, null);
      const now = tx.clock.now();
      const summary = attachments.map((attachment) => ({ name: attachment.fileName, contentType: attachment.contentType, size: attachment.data.length }));
      const [row] = await writeRows<{ id: string }>(
        tx.em,
        `insert into interaction (org_id, customer_id, channel, sender_id, priority, recipient, subject, content, secret_content, html, attachments, status, sent_at, queued_at, created_at)
          values (?, ?, 'EMAIL', ?, ?, ?, ?, ?, ?, ?, ?::jsonb, 'QUEUED', ?, ?, ?) returning id`,
        [tx.org.id, customerId, settings.mailFrom, priority, email, subject, send.maskedText ?? bodies.text ?? '', send.maskedText === undefined ? null : (bodies.text ?? ''),
          bodies.html, JSON.stringify(summary), now, now, now],
      );
      if (!row) throw new Error('The interaction insert returned no id');
      const interactionId = Number(row.id);
      await storeAttachments(tx, interactionId, attachments);
      await queueMessages(tx, queue, 'EMAIL', [interactionId], limits.sendRate);
      await recordAudit(tx, { action: 'emailSend', subjectType: 'Customer', subjectId: customerId, details: { interactionId, priority, attachments: summary.length } });
      return interactionId;
    });
    return { interactionId: once.resultId, replayed: once.replayed, customerId };
  });
  // A replay recorded nothing new, so there is nothing to announce. Not awaited: the caller's
  // answer is the message as accepted, and waiting on the bus would let the worker change it first.
  if (!sent.replayed) void notify({ customerId: sent.customerId, interactionId: sent.interactionId });
  return { interactionId: sent.interactionId, replayed: sent.replayed };
}
