import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Clock } from '../../core/clock.js';
import type { InteractionNotifier } from '../../domain/message/message-events.js';
import { deliverEmail, type EmailTransport } from '../../domain/message/email-delivery.js';
import { EMAIL_RETRY_LIMIT, type JobQueue } from './queue.js';
import { outboxEmailTransport, smtpEmailTransport } from './email-transport.js';

/** Emails a process hands to the mail server at once. */
const EMAIL_CONCURRENCY = 4;

export interface EmailWorkerOptions {
  readonly orm: MikroORM;
  readonly clock: Clock;
  readonly log: (message: string, error?: unknown) => void;
  /** Tells watchers of the customer when a message's status changes. */
  readonly notify: InteractionNotifier;
  /** The SMTP server's URL; without one, messages go to `<dataDir>/outbox/email/`. */
  readonly smtpUrl: string | undefined;
  readonly dataDir: string;
}

/** Delivers queued emails in this process, through the configured SMTP server or the outbox folder. */
export async function startEmailWorkers(queue: JobQueue, options: EmailWorkerOptions): Promise<void> {
  let transport: EmailTransport;
  if (options.smtpUrl) {
    transport = smtpEmailTransport(options.smtpUrl);
  } else {
    const outbox = path.join(options.dataDir, 'outbox', 'email');
    options.log(`SMTP_URL is not set: emails are written to ${outbox}`);
    transport = outboxEmailTransport(outbox);
  }
  await queue.workEmail(EMAIL_CONCURRENCY, async (message, job) => {
    await deliverEmail({ em: options.orm.em.fork(), clock: options.clock, notify: options.notify }, message, transport, { last: job.retryCount >= EMAIL_RETRY_LIMIT });
  });
}
