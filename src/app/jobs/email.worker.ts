import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Clock } from '../../core/clock.js';
import type { InteractionNotifier } from '../../domain/message/message-events.js';
import type { DeliveryObserver } from '../../domain/message/message-delivery.js';
import { BlobCache } from '../../domain/message/blob-cache.js';
import { deliverEmailBatch, type EmailTransport } from '../../domain/message/email-delivery.js';
import type { JobQueue } from './queue.js';
import { outboxEmailTransport, smtpEmailTransport } from './email-transport.js';

/** Email batches a process delivers side by side. */
export const EMAIL_LANES = 2;
/** Emails a lane takes from the queue at once, and hands to the mail server side by side (each batch holds its attachments in memory). */
export const EMAIL_BATCH_SIZE = 8;
/** Attachment bytes a process keeps in memory between batches (see BlobCache). */
export const EMAIL_BLOB_CACHE_BYTES = 32 * 1024 * 1024;

export interface EmailWorkerOptions {
  readonly orm: MikroORM;
  readonly clock: Clock;
  readonly log: (message: string, error?: unknown) => void;
  /** Tells watchers of the customer when a message's status changes. */
  readonly notify: InteractionNotifier;
  /** Counts what became of each batch (metrics). */
  readonly observe?: DeliveryObserver;
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
  const blobs = new BlobCache(EMAIL_BLOB_CACHE_BYTES);
  await queue.workEmail(EMAIL_LANES, EMAIL_BATCH_SIZE, (jobs) =>
    deliverEmailBatch({ em: options.orm.em.fork(), clock: options.clock, notify: options.notify, queue, observe: options.observe }, jobs, transport, { inFlight: EMAIL_BATCH_SIZE }, blobs),
  );
}
