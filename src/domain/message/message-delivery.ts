import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../core/clock.js';
import { writeRows } from '../../core/sql/rows.js';
import type { InteractionNotifier } from './message-events.js';
import type { MessageJob } from './message-queue.js';

/** What a gateway (or mail server) made of a message: taken, refused for good, or not reachable now (try again). */
export type GatewayOutcome =
  | { readonly kind: 'ACCEPTED' }
  | { readonly kind: 'REJECTED'; readonly reason: string }
  | { readonly kind: 'UNAVAILABLE'; readonly reason: string };

/** Thrown to have the queue try the delivery again later. */
export class GatewayUnavailableError extends Error {}

export interface DeliveryAttempt {
  /** No retry follows this attempt: a gateway still unreachable fails the message. */
  readonly last: boolean;
}

export interface DeliveryDeps {
  readonly em: EntityManager;
  readonly clock: Clock;
  readonly notify: InteractionNotifier;
}

/** Longest failure reason kept (the column's width). */
export const REASON_MAX_CHARS = 500;

/** Tells watchers of the customer, when `changed` (the rows an update returned) holds the message. */
async function announce(deps: DeliveryDeps, message: MessageJob, changed: readonly { customerId: string }[]): Promise<void> {
  const [row] = changed;
  if (row) await deps.notify({ customerId: Number(row.customerId), interactionId: message.interactionId });
}

/**
 * Records what the gateway (`by`, as the reason names it) made of a message: SENT, FAILED with its
 * reason, or — while retries remain — a throw that has the queue try again. Only a QUEUED message
 * changes, so a second delivery of the same queue entry records nothing twice.
 */
export async function recordOutcome(deps: DeliveryDeps, message: MessageJob, outcome: GatewayOutcome, attempt: DeliveryAttempt, by: string): Promise<void> {
  if (outcome.kind === 'ACCEPTED') {
    const changed = await writeRows<{ customerId: string }>(
      deps.em,
      `update interaction set status = 'SENT', sent_at = ? where org_id = ? and id = ? and status = 'QUEUED' returning customer_id`,
      [deps.clock.now(), message.orgId, message.interactionId],
    );
    await announce(deps, message, changed);
  } else if (outcome.kind === 'REJECTED') {
    await markFailed(deps, message, `Refused by the ${by}: ${outcome.reason}`);
  } else if (attempt.last) {
    await markFailed(deps, message, `The ${by} could not be reached after every retry: ${outcome.reason}`);
  } else {
    throw new GatewayUnavailableError(outcome.reason);
  }
}

export async function markFailed(deps: DeliveryDeps, message: MessageJob, reason: string): Promise<void> {
  const changed = await writeRows<{ customerId: string }>(
    deps.em,
    `update interaction set status = 'FAILED', failed_at = ?, failure_reason = ? where org_id = ? and id = ? and status = 'QUEUED' returning customer_id`,
    [deps.clock.now(), reason.slice(0, REASON_MAX_CHARS), message.orgId, message.interactionId],
  );
  await announce(deps, message, changed);
}
