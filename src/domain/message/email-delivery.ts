import { selectRows } from '../../core/sql/rows.js';
import { markFailed, recordOutcome, type DeliveryAttempt, type DeliveryDeps, type GatewayOutcome } from './message-delivery.js';
import type { EmailJobMessage } from './message-queue.js';

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

/**
 * Hands a queued email to the mail server and records the outcome. A message no longer QUEUED was
 * handled by an earlier delivery of the same queue entry and is left alone; a crash between the
 * server's answer and this record sends it again, with the same Message-ID.
 */
export async function deliverEmail(deps: DeliveryDeps, message: EmailJobMessage, transport: EmailTransport, attempt: DeliveryAttempt): Promise<void> {
  const [email] = await selectRows<{ senderId: string; recipient: string | null; subject: string | null; content: string; html: string | null; status: string }>(
    deps.em,
    'select sender_id, recipient, subject, content, html, status from interaction where org_id = ? and id = ?',
    [message.orgId, message.interactionId],
  );
  if (!email || email.status !== 'QUEUED') return;
  if (!email.recipient) {
    await markFailed(deps, message, 'The message has no recipient.');
    return;
  }
  const attachments = await selectRows<OutgoingAttachment>(
    deps.em,
    'select file_name, content_type, data from interaction_attachment where org_id = ? and interaction_id = ? order by position',
    [message.orgId, message.interactionId],
  );
  const outcome = await transport.deliver({
    id: message.interactionId,
    to: email.recipient,
    from: email.senderId,
    subject: email.subject ?? '',
    html: email.html,
    text: email.content === '' ? null : email.content,
    attachments,
  });
  await recordOutcome(deps, message, outcome, attempt, 'mail server');
}
