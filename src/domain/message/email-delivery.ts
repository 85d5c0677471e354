import { selectRows } from '../../core/sql/rows.js';
import type { GatewayOutcome } from './message-delivery.js';
import type { BlobCache } from './blob-cache.js';
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

/** An attachment of a queued email as its row lists it: the bytes are in its blob. */
interface AttachmentPart {
  readonly fileName: string;
  readonly contentType: string;
  readonly sha256: string;
}

interface EmailRow {
  readonly orgId: string;
  readonly id: string;
  readonly senderId: string;
  readonly recipient: string | null;
  readonly subject: string | null;
  readonly content: string;
  readonly html: string | null;
  readonly parts: readonly AttachmentPart[];
}

/** The columns of a queued email, its attachments in order as one JSON list. */
const EMAIL_COLUMNS = `i.sender_id, i.recipient, i.subject, coalesce(i.secret_content, i.content) as content, i.html,
  (select coalesce(json_agg(json_build_object('fileName', a.file_name, 'contentType', a.content_type, 'sha256', a.sha256) order by a.position), '[]')
    from interaction_attachment a where a.org_id = i.org_id and a.interaction_id = i.id) as parts`;

/**
 * The bytes of the messages' attachments, by `orgId:sha256`: from `blobs` when it holds them, the
 * others read in one statement (and kept there for the next batches).
 */
async function attachmentBytes(deps: DeliveryDeps, messages: readonly QueuedMessage<EmailRow>[], blobs: BlobCache): Promise<Map<string, Buffer>> {
  const bytes = new Map<string, Buffer>();
  const missing = new Map<string, { orgId: string; sha256: string }>();
  for (const { row } of messages) {
    for (const part of row.parts) {
      const key = `${row.orgId}:${part.sha256}`;
      const kept = blobs.get(row.orgId, part.sha256);
      if (kept) bytes.set(key, kept);
      else missing.set(key, { orgId: row.orgId, sha256: part.sha256 });
    }
  }
  if (missing.size === 0) return bytes;
  const wanted = [...missing.values()];
  const rows = await selectRows<{ orgId: string; sha256: string; data: Buffer }>(
    deps.em,
    `select b.org_id, b.sha256, b.data from attachment_blob b
      join unnest(?::bigint[], ?::text[]) as k(org_id, sha256) on b.org_id = k.org_id and b.sha256 = k.sha256`,
    [wanted.map((blob) => blob.orgId), wanted.map((blob) => blob.sha256)],
  );
  for (const row of rows) {
    bytes.set(`${row.orgId}:${row.sha256}`, row.data);
    blobs.set(row.orgId, row.sha256, row.data);
  }
  return bytes;
}

/**
 * Hands a batch of queued emails to the mail server and records what became of them; returns the
 * entries to try again later. A message no longer QUEUED was handled by an earlier delivery of the
 * same entry and is left alone; a crash between the server's answer and this record sends it
 * again, with the same Message-ID.
 */
export async function deliverEmailBatch(deps: DeliveryDeps, jobs: readonly DeliveryJob[], transport: EmailTransport, limits: BatchLimits, blobs: BlobCache): Promise<ReadonlySet<DeliveryJob>> {
  const due = await rescheduleLate(deps, 'EMAIL', jobs, deps.clock.now());
  const queued = await queuedMessages<EmailRow>(deps, due, EMAIL_COLUMNS);
  const deliverable: QueuedMessage<EmailRow>[] = [];
  const undeliverable: Undeliverable[] = [];
  for (const message of queued) {
    if (message.row.recipient) deliverable.push(message);
    else undeliverable.push({ job: message.job, reason: 'The message has no recipient.' });
  }
  const bytes = await attachmentBytes(deps, deliverable, blobs);
  return deliverBatch(deps, deliverable, undeliverable, limits, 'mail server', ({ row }) => {
    const attachments = row.parts.map((part): OutgoingAttachment => {
      const data = bytes.get(`${row.orgId}:${part.sha256}`);
      // The foreign key keeps every blob an attachment names.
      if (!data) throw new Error(`Attachment ${part.sha256} of interaction ${row.id} has no stored bytes`);
      return { fileName: part.fileName, contentType: part.contentType, data };
    });
    return transport.deliver(outgoing(row, attachments));
  });
}

function outgoing(row: EmailRow, attachments: readonly OutgoingAttachment[]): OutgoingEmail {
  return {
    id: Number(row.id),
    to: row.recipient ?? '',
    from: row.senderId,
    subject: row.subject ?? '',
    html: row.html,
    text: row.content === '' ? null : row.content,
    attachments,
  };
}
