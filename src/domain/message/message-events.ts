import type { EventBus } from '../../core/event-bus.js';

/** What watchers of a customer's messages are told: which interaction changed; they read its state themselves. */
export interface InteractionChanged {
  readonly customerId: number;
  readonly interactionId: number;
}

/**
 * Tells watchers that a message's status changed, once the change is committed. It never throws:
 * the change stands either way, and a lost notice must not fail a send or have a delivery retried.
 */
export type InteractionNotifier = (change: InteractionChanged) => Promise<void>;

/** One topic per customer: a watcher hears only the messages of the customer it asked for. */
export function interactionTopic(customerId: number): string {
  return `interactions:customer:${customerId}`;
}

export function interactionNotifier(events: EventBus, log: (message: string, error?: unknown) => void): InteractionNotifier {
  return async (change) => {
    try {
      await events.publish(interactionTopic(change.customerId), { interactionId: change.interactionId });
    } catch (error) {
      log(`Could not announce the change of interaction ${change.interactionId}`, error);
    }
  };
}

/** The interaction id of an event of `interactionTopic`, or undefined for a message of another shape. */
export function changedInteractionId(message: unknown): number | undefined {
  if (message === null || typeof message !== 'object') return undefined;
  const id = (message as { interactionId?: unknown }).interactionId;
  return typeof id === 'number' && Number.isSafeInteger(id) ? id : undefined;
}
