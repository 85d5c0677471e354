import type { EntityManager } from '@mikro-orm/postgresql';

/** A queued message, as the queue carries it: the interaction holds everything else. */
export interface MessageJob {
  readonly interactionId: number;
  readonly orgId: number;
}
export type SmsJobMessage = MessageJob;
export type EmailJobMessage = MessageJob;

/** Where messages wait for delivery (the app's job queue). */
export interface MessageQueue {
  /** Queues a delivery; with `tx`, in that transaction, so the entry exists exactly when the interaction does. */
  sendSms(message: SmsJobMessage, options?: { tx?: EntityManager }): Promise<void>;
  /** As `sendSms`, on the email queue. */
  sendEmail(message: EmailJobMessage, options?: { tx?: EntityManager }): Promise<void>;
}
