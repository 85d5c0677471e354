import { selectRows } from '../../core/sql/rows.js';
import type { GatewayOutcome } from './message-delivery.js';
import { rescheduleLate } from './send-rate.js';
import { deliverBatch, queuedMessages, type BatchLimits, type DeliveryDeps, type DeliveryJob, type QueuedMessage, type Undeliverable } from './message-delivery.js';

export interface OutgoingAttachment {
  readonly fileName: string;
  readonly contentType: string;
  readonly data: Buffer;
}

/** What a mail transport is handed. */
export interface OutgoingEmail {
  /** The interaction's id: the message's `Message-ID` is made from it, so a repeat is recognisable. */
  readonly id: number;
  readonly to: string;
  readonly from: string;
  readonly subject: string;
  readonly html: string | null;
  readonly text: string | null;
  readonly attachments: readonly OutgoingAttachment[];
}

/** Where emails go out (an SMTP server, or the outbox folder when none is configured). */
export interface EmailTransport {
  deliver(email: OutgoingEmail): Promise<GatewayOutcome>;
}

interface EmailRow {
  readonly orgId: string;
  readonly id: string;
  readonly senderId: string;
  readonly recipient: string | null;
  readonly subject: string | null;
  readonly content: string;
  readonly html: string | null;
}

interface AttachmentRow extends OutgoingAttachment {
  readonly orgId: string;
  readonly interactionId: string;
}

/** The attachments of `messages`, in their order, read in one statement. */
async function attachmentsOf(deps: DeliveryDeps, messages: readonly QueuedMessage<EmailRow>[]): Promise<Map<string, OutgoingAttachment[]>> {
  const byMessage = new Map<string, OutgoingAttachment[]>();
  if (messages.length === 0) return byMessage;
  const rows = await selectRows<AttachmentRow>(
    deps.em,
    `select a.org_id, a.interaction_id, a.file_name, a.content_type, a.data from interaction_attachment a
      join unnest(?::bigint[], ?::bigint[]) as k(org_id, id) on a.org_id = k.org_id and a.interaction_id = k.id
      order by a.interaction_id, a.position`,
    [messages.map((message) => message.row.orgId), messages.map((message) => message.row.id)],
  );
  for (const row of rows) {
    const key = `${row.orgId}:${row.interactionId}`;
    const list = byMessage.get(key) ?? [];
    list.push({ fileName: row.fileName, contentType: row.contentType, data: row.data });
    byMessage.set(key, list);
  }
  return byMessage;
}

/**
 * Hands a batch of queued emails to the mail server and records what became of them; returns the
 * entries to try again later. A message no longer QUEUED was handled by an earlier delivery of the
 * same entry and is left alone; a crash between the server's answer and this record sends it
 * again, with the same Message-ID.
 */
export async function deliverEmailBatch(deps: DeliveryDeps, jobs: readonly DeliveryJob[], transport: EmailTransport, limits: BatchLimits): Promise<ReadonlySet<DeliveryJob>> {
  const due = await rescheduleLate(deps, 'EMAIL', jobs, deps.clock.now());
  const queued = await queuedMessages<EmailRow>(deps, due, 'i.sender_id, i.recipient, i.subject, coalesce(i.secret_content, i.content) as content, i.html');
  const deliverable: QueuedMessage<EmailRow>[] = [];
  const undeliverable: Undeliverable[] = [];
  for (const message of queued) {
    if (message.row.recipient) deliverable.push(message);
    else undeliverable.push({ job: message.job, reason: 'The message has no recipient.' });
  }
  const attachments = await attachmentsOf(deps, deliverable);
  return deliverBatch(deps, deliverable, undeliverable, limits, 'mail server', ({ row }) =>
    transport.deliver({
      id: Number(row.id),
      to: row.recipient ?? '',
      from: row.senderId,
      subject: row.subject ?? '',
      html: row.html,
      text: row.content === '' ? null : row.content,
      attachments: attachments.get(`${row.orgId}:${row.id}`) ?? [],
    }),
  );
}
