import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Clock } from '../../core/clock.js';
import type { InteractionNotifier } from '../../domain/message/message-events.js';
import type { DeliveryObserver } from '../../domain/message/message-delivery.js';
import { deliverSmsBatch, type SmsGateway } from '../../domain/message/sms-delivery.js';
import type { JobQueue } from './queue.js';
import { httpSmsGateway, outboxSmsGateway } from './sms-gateway.js';

/** SMS batches a process delivers side by side. */
export const SMS_LANES = 4;
/** Queue entries a lane takes at once (each of up to MESSAGES_PER_ENTRY SMS), and SMS it hands to the gateway side by side. */
export const SMS_BATCH_SIZE = 50;

export interface SmsWorkerOptions {
  readonly orm: MikroORM;
  readonly clock: Clock;
  readonly log: (message: string, error?: unknown) => void;
  /** Tells watchers of the customer when a message's status changes. */
  readonly notify: InteractionNotifier;
  /** Counts what became of each batch (metrics). */
  readonly observe?: DeliveryObserver;
  /** The gateway's URL; without one, messages go to `<dataDir>/outbox/sms/`. */
  readonly gatewayUrl: string | undefined;
  readonly dataDir: string;
}

/** Delivers queued SMS in this process, through the configured gateway or the outbox folder. */
export async function startSmsWorkers(queue: JobQueue, options: SmsWorkerOptions): Promise<void> {
  let gateway: SmsGateway;
  if (options.gatewayUrl) {
    // A connection for every SMS in flight: none waits in the agent's queue, where its timeout would already run.
    gateway = httpSmsGateway(options.gatewayUrl, { maxSockets: SMS_LANES * SMS_BATCH_SIZE });
  } else {
    const outbox = path.join(options.dataDir, 'outbox', 'sms');
    options.log(`SMS_GATEWAY_URL is not set: SMS are written to ${outbox}`);
    gateway = outboxSmsGateway(outbox);
  }
  await queue.workSms(SMS_LANES, SMS_BATCH_SIZE, (jobs) => deliverSmsBatch({ em: options.orm.em.fork(), clock: options.clock, notify: options.notify, queue, observe: options.observe }, jobs, gateway, { inFlight: SMS_BATCH_SIZE }));
}
