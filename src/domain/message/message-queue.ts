import type { EntityManager } from '@mikro-orm/postgresql';

/** A queued message, as the queue carries it: the interaction holds everything else. */
export interface MessageJob {
  readonly interactionId: number;
  readonly orgId: number;
  /** Not handed over before this time (its slot at the org's send rate); at once when absent. */
  readonly notBefore?: Date;
}
export type SmsJobMessage = MessageJob;
export type EmailJobMessage = MessageJob;

/** Where messages wait for delivery (the app's job queue). */
export interface MessageQueue {
  /**
   * Queues deliveries, all of one org; with `tx`, in that transaction, so the entries exist exactly
   * when the interactions do.
   */
  sendSms(messages: readonly SmsJobMessage[], options?: { tx?: EntityManager }): Promise<void>;
  /** As `sendSms`, on the email queue. */
  sendEmail(messages: readonly EmailJobMessage[], options?: { tx?: EntityManager }): Promise<void>;
}
