import type { EntityManager } from '@mikro-orm/postgresql';

/** A queued SMS, as the queue carries it: the interaction holds everything else. */
export interface SmsJobMessage {
  readonly interactionId: number;
  readonly orgId: number;
}

/** Where messages wait for delivery (the app's job queue). */
export interface MessageQueue {
  /** Queues a delivery; with `tx`, in that transaction, so the entry exists exactly when the interaction does. */
  sendSms(message: SmsJobMessage, options?: { tx?: EntityManager }): Promise<void>;
}
