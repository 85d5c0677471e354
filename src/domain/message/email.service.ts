import { CommonErrorCode, DomainError } from '../../core/errors.js';
import { selectRows, writeRows } from '../../core/sql/rows.js';
import { inTransaction } from '../../core/sql/transaction.js';
import { optionalText } from '../../core/input-rules.js';
import type { ServiceContext } from '../context.js';
import { INTERACTION_ROW_COLUMNS, toInteractionRow, type InteractionRow } from '../interaction/interaction.rows.js';
import { recordAudit } from '../audit/audit.service.js';
import type { MessagePriority } from '../customer/customer.entity.js';
import { resolveCustomerId, type CustomerRef } from '../customer/customer.service.js';
import { ORG_UNIT_CODE_MAX_LENGTH } from '../customer/subscription.service.js';
import { runOnce } from '../idempotency/idempotency.service.js';
import type { InteractionNotifier } from './message-events.js';
import type { MessageQueue } from './message-queue.js';
import { queueMessages } from './send-rate.js';
import { checkConsent, consentChannel, consentStatusSql, messagePriority, recipientAddress, RECIPIENT_COLUMNS, RECIPIENT_JOIN, type Recipient } from './message-rules.js';
import { attachmentFingerprint, emailAttachments, emailBodies, emailSubject, requireAttachmentsWithin, type AttachmentInput, type CheckedAttachment } from './email-rules.js';

export interface EmailSend {
  readonly customer: CustomerRef;
  readonly subject: string;
  readonly html?: string | null;
  readonly text?: string | null;
  readonly attachments?: readonly AttachmentInput[] | null;
  readonly priority: MessagePriority;
  /** The org unit (concept) the email is sent for: the customer's consent for that unit governs, when they have one. */
  readonly orgUnitCode?: string | null;
  readonly idempotencyKey?: string | null;
  /** What the record shows instead of the text part (a sign-in code masked); the real text goes only to the mail server. */
  readonly maskedText?: string;
}

export interface EmailSent {
  readonly interactionId: number;
  /** True when an idempotency key repeated an earlier request: nothing was written or queued this time. */
  readonly replayed: boolean;
  /** The message as accepted (QUEUED), from the insert itself; null for a repeat, whose message is read by id. */
  readonly interaction: InteractionRow | null;
}

/** The sender's address, as the deployment configures it (`MAIL_FROM`). */
export interface EmailSettings {
  readonly mailFrom: string;
}

/** What a send reads before it writes, in one statement. */
interface EmailFacts {
  readonly maxAttachmentBytes: number;
  readonly sendRate: number | null;
  readonly recipient: Recipient;
  /** The consent record that governs the message (the org unit's, else the org's); null: none. */
  readonly consent: string | null;
  /** Of the attachments' digests, those whose bytes the org keeps already. */
  readonly storedBlobs: ReadonlySet<string>;
}

/**
 * The org's email limits (from the org row, not `ctx.org`: the caller's copy may be cached from
 * before a settings change), the customer as a recipient, the consent that governs the message,
 * and which attachments' bytes are stored already. An `orgUnitCode` the org does not have is NOT_FOUND.
 */
async function emailFacts(tx: ServiceContext, customerId: number, priority: MessagePriority, orgUnitCode: string | null, digests: readonly string[]): Promise<EmailFacts> {
  const [row] = await selectRows<Recipient & { emailMaxAttachmentBytes: number; emailSendRate: number | null; orgUnitId: string | null; customerId: string | null; consent: string | null; stored: string[] }>(
    tx.em,
    `select o.email_max_attachment_bytes, o.email_send_rate, u.id as org_unit_id, c.id as customer_id, ${RECIPIENT_COLUMNS},
        (${consentStatusSql('c.id', '?', 'u.id')}) as consent,
        array(select b.sha256 from attachment_blob b where b.org_id = o.id and b.sha256 = any(?::text[])) as stored
      from org o
        left join org_unit u on u.org_id = o.id and u.code = ?
        left join customer c on c.org_id = o.id and c.id = ?
        ${RECIPIENT_JOIN}
      where o.id = ?`,
    [tx.org.id, consentChannel('EMAIL'), priority, [...new Set(digests)], orgUnitCode, customerId, tx.org.id],
  );
  if (!row) throw new Error(`Org ${tx.org.id} cannot be read`);
  if (orgUnitCode !== null && row.orgUnitId === null) throw new DomainError(CommonErrorCode.NOT_FOUND, `The org has no org unit "${orgUnitCode}".`, ['input', 'orgUnitCode']);
  if (row.customerId === null) throw new Error(`Customer ${customerId} vanished while sending`);
  return {
    maxAttachmentBytes: Number(row.emailMaxAttachmentBytes),
    sendRate: row.emailSendRate === null ? null : Number(row.emailSendRate),
    recipient: { mobile: row.mobile, email: row.email, fraudStatus: row.fraudStatus, standardStatus: row.standardStatus },
    consent: row.consent,
    storedBlobs: new Set(row.stored),
  };
}

/**
 * Keeps the bytes of attachments the org has not stored before, one blob per content. A blob
 * stored meanwhile by a concurrent send is left as it is (same digest, same bytes).
 */
async function storeBlobs(tx: ServiceContext, attachments: readonly CheckedAttachment[], stored: ReadonlySet<string>): Promise<void> {
  const fresh = new Map<string, Buffer>();
  for (const attachment of attachments) if (!stored.has(attachment.sha256)) fresh.set(attachment.sha256, attachment.data);
  for (const [sha256, data] of fresh) {
    // Bound as a parameter, the bytes go to PostgreSQL as binary (not 2x as hex in the SQL text).
    await writeRows(tx.em, 'insert into attachment_blob (org_id, sha256, size_bytes, data) values (?, ?, ?, ?) on conflict (org_id, sha256) do nothing', [tx.org.id, sha256, data.length, data]);
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
    const orgUnitCode = optionalText(send.orgUnitCode, ['input', 'orgUnitCode'], ORG_UNIT_CODE_MAX_LENGTH);
    const customerId = await resolveCustomerId(tx, send.customer);
    const input = { customerId, subject, ...bodies, priority, attachments: attachments.map(attachmentFingerprint), ...(orgUnitCode ? { orgUnitCode } : {}) };
    let accepted: InteractionRow | null = null;
    const once = await runOnce(tx, { scope: 'emailSend', key: send.idempotencyKey, input }, async () => {
      const facts = await emailFacts(tx, customerId, priority, orgUnitCode, attachments.map((attachment) => attachment.sha256));
      requireAttachmentsWithin(attachments, facts.maxAttachmentBytes);
      const email = recipientAddress('EMAIL', facts.recipient);
      checkConsent('EMAIL', priority, facts.consent);
      await storeBlobs(tx, attachments, facts.storedBlobs);
      const now = tx.clock.now();
      const summary = attachments.map((attachment) => ({ name: attachment.fileName, contentType: attachment.contentType, size: attachment.data.length }));
      // The interaction and its attachments (each naming its blob) in one statement.
      const [row] = await writeRows(
        tx.em,
        `with i as (
          insert into interaction (org_id, customer_id, channel, sender_id, priority, recipient, subject, content, secret_content, html, attachments, status, sent_at, queued_at, created_at)
            values (?, ?, 'EMAIL', ?, ?, ?, ?, ?, ?, ?, ?::jsonb, 'QUEUED', ?, ?, ?) returning ${INTERACTION_ROW_COLUMNS}
        ), a as (
          insert into interaction_attachment (org_id, interaction_id, position, file_name, content_type, size_bytes, sha256)
            select ?, i.id, x.position - 1, x.file_name, x.content_type, x.size_bytes, x.sha256
              from i, unnest(?::text[], ?::text[], ?::int[], ?::text[]) with ordinality as x(file_name, content_type, size_bytes, sha256, position)
        )
        select * from i`,
        [tx.org.id, customerId, settings.mailFrom, priority, email, subject, send.maskedText ?? bodies.text ?? '', send.maskedText === undefined ? null : (bodies.text ?? ''),
          bodies.html, JSON.stringify(summary), now, now, now,
          tx.org.id, attachments.map((attachment) => attachment.fileName), attachments.map((attachment) => attachment.contentType),
          attachments.map((attachment) => attachment.data.length), attachments.map((attachment) => attachment.sha256)],
      );
      if (!row) throw new Error('The interaction insert returned no row');
      accepted = toInteractionRow(row);
      const interactionId = accepted.id;
      await queueMessages(tx, queue, 'EMAIL', [interactionId], facts.sendRate);
      await recordAudit(tx, { action: 'emailSend', subjectType: 'Customer', subjectId: customerId, details: { interactionId, priority, attachments: summary.length, ...(orgUnitCode ? { orgUnitCode } : {}) } });
      return interactionId;
    });
    return { interactionId: once.resultId, replayed: once.replayed, customerId, interaction: once.replayed ? null : accepted };
  });
  // A replay recorded nothing new, so there is nothing to announce. Not awaited: the caller's
  // answer is the message as accepted, and waiting on the bus would let the worker change it first.
  if (!sent.replayed) void notify({ customerId: sent.customerId, interactionId: sent.interactionId });
  return { interactionId: sent.interactionId, replayed: sent.replayed, interaction: sent.interaction };
}
