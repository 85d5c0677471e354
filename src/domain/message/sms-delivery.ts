import { selectRows } from '../../core/sql/rows.js';
import { markFailed, recordOutcome, type DeliveryAttempt, type DeliveryDeps, type GatewayOutcome } from './message-delivery.js';
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

/** Where SMS go out (an HTTP gateway, or the outbox folder when none is configured). */
export interface SmsGateway {
  deliver(sms: OutgoingSms): Promise<GatewayOutcome>;
}

/**
 * Hands a queued SMS to the gateway and records the outcome. A message no longer QUEUED was
 * handled by an earlier delivery of the same queue entry and is left alone; the gateway's
 * idempotency key covers a crash between its answer and this record.
 */
export async function deliverSms(deps: DeliveryDeps, message: SmsJobMessage, gateway: SmsGateway, attempt: DeliveryAttempt): Promise<void> {
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
  await recordOutcome(deps, message, outcome, attempt, 'gateway');
}
