import type { GatewayOutcome } from './message-delivery.js';
import { rescheduleLate } from './send-rate.js';
import { deliverBatch, queuedMessages, type BatchLimits, type DeliveryDeps, type DeliveryJob, type QueuedMessage, type Undeliverable } from './message-delivery.js';

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

interface SmsRow {
  readonly orgId: string;
  readonly id: string;
  readonly senderId: string;
  readonly recipient: string | null;
  readonly content: string;
  readonly priority: string | null;
}

/**
 * Hands a batch of queued SMS to the gateway and records what became of them; returns the entries
 * to try again later. A message no longer QUEUED was handled by an earlier delivery of the same
 * entry and is left alone; the gateway's idempotency key covers a crash between its answer and
 * this record.
 */
export async function deliverSmsBatch(deps: DeliveryDeps, jobs: readonly DeliveryJob[], gateway: SmsGateway, limits: BatchLimits): Promise<ReadonlySet<DeliveryJob>> {
  const due = await rescheduleLate(deps, 'SMS', jobs, deps.clock.now());
  const queued = await queuedMessages<SmsRow>(deps, due, 'i.sender_id, i.recipient, coalesce(i.secret_content, i.content) as content, i.priority');
  const deliverable: QueuedMessage<SmsRow>[] = [];
  const undeliverable: Undeliverable[] = [];
  for (const message of queued) {
    if (message.row.recipient) deliverable.push(message);
    else undeliverable.push({ job: message.job, reason: 'The message has no recipient.' });
  }
  return deliverBatch(deps, deliverable, undeliverable, limits, 'gateway', ({ row }) =>
    gateway.deliver({ id: Number(row.id), to: row.recipient ?? '', from: row.senderId, text: row.content, priority: row.priority ?? 'TRANS' }),
  );
}
