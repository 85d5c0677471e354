import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../core/clock.js';
import { selectRows } from '../../core/sql/rows.js';
import type { SmsJobMessage } from './message-queue.js';

/** What a gateway is handed: the documented body of the gateway's POST. */
export interface OutgoingSms {
  /** The interaction's id; the gateway also gets `Idempotency-Key: interaction-<id>`. */
  readonly id: number;
  readonly to: string;
  readonly from: string;
  readonly text: string;
  readonly priority: string;
}

/** What a gateway made of a message: taken, refused for good, or not reachable now (try again). */
export type GatewayOutcome =
  | { readonly kind: 'ACCEPTED' }
  | { readonly kind: 'REJECTED'; readonly reason: string }
  | { readonly kind: 'UNAVAILABLE'; readonly reason: string };

/** Where SMS go out (an HTTP gateway, or the outbox folder when none is configured). */
export interface SmsGateway {
  deliver(sms: OutgoingSms): Promise<GatewayOutcome>;
}

/** Thrown to have the queue try the delivery again later. */
export class GatewayUnavailableError extends Error {}

/** Longest failure reason kept (the column's width). */
const REASON_MAX_CHARS = 500;

export interface DeliveryAttempt {
  /** No retry follows this attempt: a gateway still unreachable fails the message. */
  readonly last: boolean;
}

/**
 * Hands a queued SMS to the gateway and records the outcome. A message no longer QUEUED was
 * handled by an earlier delivery of the same queue entry and is left alone; the gateway's
 * idempotency key covers a crash between its answer and this record.
 */
export async function deliverSms(deps: { readonly em: EntityManager; readonly clock: Clock }, message: SmsJobMessage, gateway: SmsGateway, attempt: DeliveryAttempt): Promise<void> {
  const [sms] = await selectRows<{ senderId: string; recipient: string | null; content: string; priority: string | null; status: string }>(
    deps.em,
    'select sender_id, recipient, content, priority, status from interaction where org_id = ? and id = ?',
    [message.orgId, message.interactionId],
  );
  if (!sms || sms.status !== 'QUEUED') return;
  if (!sms.recipient) {
    await markFailed(deps, message, 'The message has no recipient.');
    return;
  }
  const outcome = await gateway.deliver({ id: message.interactionId, to: sms.recipient, from: sms.senderId, text: sms.content, priority: sms.priority ?? 'TRANS' });
  if (outcome.kind === 'ACCEPTED') {
    await deps.em.execute(`update interaction set status = 'SENT', sent_at = ? where org_id = ? and id = ? and status = 'QUEUED'`, [deps.clock.now(), message.orgId, message.interactionId]);
  } else if (outcome.kind === 'REJECTED') {
    await markFailed(deps, message, `Refused by the gateway: ${outcome.reason}`);
  } else if (attempt.last) {
    await markFailed(deps, message, `The gateway could not be reached after every retry: ${outcome.reason}`);
  } else {
    throw new GatewayUnavailableError(outcome.reason);
  }
}

async function markFailed(deps: { readonly em: EntityManager; readonly clock: Clock }, message: SmsJobMessage, reason: string): Promise<void> {
  await deps.em.execute(
    `update interaction set status = 'FAILED', failed_at = ?, failure_reason = ? where org_id = ? and id = ? and status = 'QUEUED'`,
    [deps.clock.now(), reason.slice(0, REASON_MAX_CHARS), message.orgId, message.interactionId],
  );
}
