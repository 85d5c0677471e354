import type { EntityManager } from '@mikro-orm/postgresql';
import { fromKysely, PgBoss, type Db, type Job, type JobResult, type KyselyTransactionLike, type Queue } from 'pg-boss';
import type { ImportJobMessage, ImportQueue } from '../../import/import-queue.js';
import type { DeliveryJob } from '../../domain/message/message-delivery.js';
import type { EmailJobMessage, MessageJob, MessageQueue, SmsJobMessage } from '../../domain/message/message-queue.js';

/** The durable job queue on PostgreSQL (pg-boss, in its own `pgboss` schema). */
export const QUEUE = {
  /** Runs one import job. */
  IMPORT: 'import-job',
  /** Where an import's queue entry lands after every retry failed (its worker kept dying). */
  IMPORT_DEAD: 'import-job-dead',
  /** Expires due points of every org; scheduled hourly. */
  POINTS_EXPIRY: 'points-expiry',
  /** Removes the files and row issues of imports older than the retention; scheduled daily. */
  IMPORT_RETENTION: 'import-retention',
  /** Hands one SMS to the gateway. */
  SMS: 'sms-delivery',
  /** Hands one email to the mail server. */
  EMAIL: 'email-delivery',
} as const;

/** Deliveries of one SMS tried after the first, while the gateway is unreachable or answers 5xx. */
export const SMS_RETRY_LIMIT = 5;
/** Deliveries of one email tried after the first, while the mail server is unreachable or answers 4xx. */
export const EMAIL_RETRY_LIMIT = 5;

/** When the points expiry runs (cron, UTC): every hour, on the hour. */
export const POINTS_EXPIRY_SCHEDULE = '0 * * * *';
/** When the import retention runs (cron, UTC): daily at 03:17, out of most orgs' busy hours. */
export const IMPORT_RETENTION_SCHEDULE = '17 3 * * *';

const BOSS_SCHEMA = 'pgboss';

/**
 * A queue entry as stored (pg-boss keeps its data as JSON): up to `MESSAGES_PER_ENTRY` messages of
 * one org sent together, or one message with its slot at the org's send rate. Entries queued by an
 * earlier version carry one `interactionId` and are still read.
 */
interface QueuedMessagesData {
  readonly orgId: number;
  readonly interactionIds?: readonly number[];
  readonly interactionId?: number;
  readonly notBefore?: string;
}

/**
 * Messages sent together that share a queue entry. pg-boss writes a job row on insert, fetch and
 * completion: per message, that was the queue's largest cost in bench:messages. A retry of the
 * entry skips its messages already handed over (they are no longer QUEUED).
 */
export const MESSAGES_PER_ENTRY = 20;

/**
 * How long an SMS entry may stay active before the queue hands it out again. A lane's handler
 * holds every entry it fetched until its last message is answered: 50 entries of up to 20 SMS,
 * handed to the gateway 50 at a time, each waiting at most the gateway's 10 s timeout, is 20
 * rounds, 200 s at worst; a live worker must not lose entries it is still sending. (A dead
 * worker's entries come back within seconds, by its missing heartbeat.)
 */
export const SMS_EXPIRE_SECONDS = 300;

function messagesOf(data: QueuedMessagesData): MessageJob[] {
  const ids = data.interactionIds ?? (data.interactionId === undefined ? [] : [data.interactionId]);
  return ids.map((interactionId) => ({ interactionId, orgId: data.orgId, ...(data.notBefore ? { notBefore: new Date(data.notBefore) } : {}) }));
}

/** The entries for `messages`: those without a slot grouped by org, each one with a slot alone. */
function entriesOf(messages: readonly MessageJob[]): { data: QueuedMessagesData; startAfter?: Date }[] {
  const entries: { data: QueuedMessagesData; startAfter?: Date }[] = [];
  const unslotted = new Map<number, number[]>();
  for (const message of messages) {
    if (message.notBefore) {
      entries.push({ data: { orgId: message.orgId, interactionIds: [message.interactionId], notBefore: message.notBefore.toISOString() }, startAfter: message.notBefore });
    } else {
      const ids = unslotted.get(message.orgId) ?? [];
      ids.push(message.interactionId);
      unslotted.set(message.orgId, ids);
    }
  }
  for (const [orgId, ids] of unslotted) {
    for (let start = 0; start < ids.length; start += MESSAGES_PER_ENTRY) entries.push({ data: { orgId, interactionIds: ids.slice(start, start + MESSAGES_PER_ENTRY) } });
  }
  return entries;
}

/** pg-boss statements run inside a MikroORM transaction, so a job is queued exactly when its row commits. */
function inTransactionOf(em: EntityManager): Db {
  // MikroORM 7 runs on Kysely: its transaction context is a Kysely transaction.
  const transaction = em.getTransactionContext();
  if (!transaction) throw new Error('inTransactionOf needs an EntityManager inside a transaction');
  return fromKysely(transaction as unknown as KyselyTransactionLike);
}

/** Installs or upgrades pg-boss's schema (part of `npm run migrate`, so that servers start on a ready database). */
export async function installJobQueueSchema(databaseUrl: string): Promise<void> {
  const boss = new PgBoss({ connectionString: databaseUrl, schema: BOSS_SCHEMA, max: 1, supervise: false, schedule: false, registerInstance: false });
  await boss.start();
  await boss.stop({ graceful: false, close: true });
}

/**
 * Creates the queue with `policy`, or brings an existing queue to it: pg-boss's createQueue leaves
 * an existing queue's options as they are, so without the update a policy changed here would never
 * reach a database whose queues an earlier version created. (An option dropped from a policy keeps
 * its last value: updateQueue changes only the options it is given.)
 */
async function declareQueue(boss: PgBoss, name: string, policy: Omit<Queue, 'name' | 'policy' | 'partition'>): Promise<void> {
  await boss.createQueue(name, policy);
  await boss.updateQueue(name, policy);
}

export class JobQueue implements ImportQueue, MessageQueue {
  private stopped = false;

  private constructor(private readonly boss: PgBoss) {
    boss.on('stopped', () => {
      this.stopped = true;
    });
  }

  /** Started and not stopped (readiness): workers and sends can use it. */
  get running(): boolean {
    return !this.stopped;
  }

  /** Connects, installs or upgrades pg-boss's schema when needed, and creates the queues. */
  static async start(databaseUrl: string, log: (message: string, error?: unknown) => void): Promise<JobQueue> {
    const boss = new PgBoss({
      connectionString: databaseUrl,
      schema: BOSS_SCHEMA,
      max: 4,
      application_name: 'loyalty-jobs',
      useListenNotify: true,
      // Cron schedules (the points expiry) are kept by whichever process's timekeeper gets there first.
      schedule: true,
      // A job whose worker died is failed (and retried) by the supervisor's pass once its heartbeat
      // is stale: a short interval resumes it soon (pg-boss's default of a minute would leave its
      // watchers on a state nobody is working on), well within the 30 s an import may be lost.
      superviseIntervalSeconds: 5,
      monitorIntervalSeconds: 5,
    });
    boss.on('error', (error: unknown) => log('Job queue error', error));
    await boss.start();
    await declareQueue(boss, QUEUE.IMPORT_DEAD, { retryLimit: 0 });
    await declareQueue(boss, QUEUE.IMPORT, {
      // A run that throws (or whose worker dies) is tried again, up to 3 more times.
      retryLimit: 3,
      retryDelay: 1,
      retryBackoff: true,
      retryDelayMax: 30,
      // A worker that stops sending heartbeats (killed, frozen) loses the job to another worker.
      heartbeatSeconds: 10,
      expireInSeconds: 12 * 3600,
      deadLetter: QUEUE.IMPORT_DEAD,
      notify: true,
    });
    await declareQueue(boss, QUEUE.POINTS_EXPIRY, { retryLimit: 2, retryDelay: 60, expireInSeconds: 3600 });
    await boss.schedule(QUEUE.POINTS_EXPIRY, POINTS_EXPIRY_SCHEDULE, {}, { tz: 'UTC', missed: 'once' });
    await declareQueue(boss, QUEUE.IMPORT_RETENTION, { retryLimit: 2, retryDelay: 300, expireInSeconds: 3600 });
    await boss.schedule(QUEUE.IMPORT_RETENTION, IMPORT_RETENTION_SCHEDULE, {}, { tz: 'UTC', missed: 'once' });
    await declareQueue(boss, QUEUE.SMS, {
      // 1 s, then about 2, 4, 8, 16 s (pg-boss draws each between the delay and twice it): a gateway's
      // brief outage costs seconds, a long one fails the message after 31 to 62 s.
      retryLimit: SMS_RETRY_LIMIT,
      retryDelay: 1,
      retryBackoff: true,
      retryDelayMax: 60,
      // A worker that dies with a message in hand (after the gateway took it, before SENT was
      // written) loses it to another worker within seconds, not at the 2 minutes' expiry; the
      // gateway drops the repeat by its idempotency key.
      heartbeatSeconds: 10,
      expireInSeconds: SMS_EXPIRE_SECONDS,
      notify: true,
    });
    await declareQueue(boss, QUEUE.EMAIL, {
      // As SMS: a mail server's brief outage (or a greylisting 4xx) costs seconds, a long one fails the message after 31 to 62 s.
      retryLimit: EMAIL_RETRY_LIMIT,
      retryDelay: 1,
      retryBackoff: true,
      retryDelayMax: 60,
      // As SMS: a dead worker's email is sent again within seconds, with the same Message-ID.
      heartbeatSeconds: 10,
      expireInSeconds: 120,
      notify: true,
    });
    return new JobQueue(boss);
  }

  /** Runs the import retention when the schedule queues it; idempotent. */
  async workImportRetention(handler: () => Promise<void>): Promise<void> {
    await this.boss.work(QUEUE.IMPORT_RETENTION, { pollingIntervalSeconds: 60 }, async () => {
      await handler();
    });
  }

  /** Runs the points expiry when the schedule (or anyone) queues it; idempotent, so a double delivery does no harm. */
  async workPointsExpiry(handler: () => Promise<void>): Promise<void> {
    await this.boss.work(QUEUE.POINTS_EXPIRY, { pollingIntervalSeconds: 5 }, async () => {
      await handler();
    });
  }

  /**
   * Queues an import run; pass the EntityManager of an open transaction to queue it atomically with
   * the job's row, or a delay to run it later. Runs are grouped by org (see `workImports`).
   */
  async sendImport(message: ImportJobMessage, options: { tx?: EntityManager; afterSeconds?: number } = {}): Promise<void> {
    await this.boss.send(QUEUE.IMPORT, { ...message }, {
      group: { id: `org:${message.orgId}` },
      ...(options.afterSeconds ? { startAfter: options.afterSeconds } : {}),
      ...(options.tx ? { db: inTransactionOf(options.tx) } : {}),
    });
  }

  /**
   * Runs import jobs with `concurrency` handlers in this process. One org's imports run one at a
   * time across every process: an org queueing many imports cannot take every worker, so another
   * org's import starts at once beside them.
   */
  async workImports(concurrency: number, handler: (message: ImportJobMessage, job: Job<ImportJobMessage>) => Promise<void>): Promise<void> {
    // NOTIFY wakes a worker for a new job at once; retries (and jobs queued while no worker
    // listened) are found by polling, so poll every second rather than pg-boss's relaxed 30 s.
    const polling = { pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 1 };
    await this.boss.work<ImportJobMessage>(QUEUE.IMPORT, { localConcurrency: concurrency, groupConcurrency: 1, batchSize: 1, ...polling }, async ([job]) => {
      await handler(job.data, job);
    });
  }

  /** Handles imports whose queue entry was given up on (every retry's worker died). */
  async workDeadImports(handler: (message: ImportJobMessage) => Promise<void>): Promise<void> {
    await this.boss.work<ImportJobMessage>(QUEUE.IMPORT_DEAD, { pollingIntervalSeconds: 5 }, async ([job]) => {
      await handler(job.data);
    });
  }

  /** Queues SMS deliveries; pass the EntityManager of an open transaction to queue them atomically with their interactions. */
  async sendSms(messages: readonly SmsJobMessage[], options: { tx?: EntityManager } = {}): Promise<void> {
    await this.queueMessages(QUEUE.SMS, messages, options);
  }

  /**
   * Delivers SMS in batches: `lanes` handlers in this process, each taking up to `batchSize`
   * entries at a time (and the next batch at once while batches come back full). The handler
   * returns the entries to try again later; those fail and are retried with backoff, the rest complete.
   */
  async workSms(lanes: number, batchSize: number, handler: (jobs: readonly DeliveryJob[]) => Promise<ReadonlySet<DeliveryJob>>): Promise<void> {
    await this.workMessages(QUEUE.SMS, SMS_RETRY_LIMIT, lanes, batchSize, handler);
  }

  /** Queues email deliveries; pass the EntityManager of an open transaction to queue them atomically with their interactions. */
  async sendEmail(messages: readonly EmailJobMessage[], options: { tx?: EntityManager } = {}): Promise<void> {
    await this.queueMessages(QUEUE.EMAIL, messages, options);
  }

  private async queueMessages(queue: string, messages: readonly MessageJob[], options: { tx?: EntityManager }): Promise<void> {
    if (messages.length === 0) return;
    await this.boss.insert(queue, entriesOf(messages), options.tx ? { db: inTransactionOf(options.tx) } : {});
  }

  /** As `workSms`, for emails. */
  async workEmail(lanes: number, batchSize: number, handler: (jobs: readonly DeliveryJob[]) => Promise<ReadonlySet<DeliveryJob>>): Promise<void> {
    await this.workMessages(QUEUE.EMAIL, EMAIL_RETRY_LIMIT, lanes, batchSize, handler);
  }

  private async workMessages(
    queue: string,
    retryLimit: number,
    lanes: number,
    batchSize: number,
    handler: (jobs: readonly DeliveryJob[]) => Promise<ReadonlySet<DeliveryJob>>,
  ): Promise<void> {
    // NOTIFY wakes a lane for new messages at once; retries come due by polling, every second.
    const options = { localConcurrency: lanes, batchSize, burstWhenBatchFull: true, perJobResults: true, pollingIntervalSeconds: 1, notifyPollingIntervalSeconds: 1 } as const;
    await this.boss.work<QueuedMessagesData>(queue, options, async (jobs) => {
      const entries = jobs.map((job) => ({ job, deliveries: messagesOf(job.data).map((message): DeliveryJob => ({ message, last: job.retryCount >= retryLimit })) }));
      const retry = await handler(entries.flatMap((entry) => entry.deliveries));
      // An entry is tried again when any of its messages is to be; those already handed over are then skipped.
      return entries.map(({ job, deliveries }): JobResult =>
        deliveries.some((delivery) => retry.has(delivery)) ? { id: job.id, status: 'failed', output: { retry: true } } : { id: job.id, status: 'completed' },
      );
    });
  }

  /** Stops fetching, waits for running handlers (up to `timeoutMs`) and closes the connections. */
  async stop(timeoutMs = 15_000): Promise<void> {
    this.stopped = true;
    await this.boss.stop({ graceful: true, timeout: timeoutMs, close: true });
  }
}

export type { ImportJobMessage };
