import type { MikroORM } from '@mikro-orm/postgresql';
import type { Clock } from '../../core/clock.js';
import type { AppConfig } from '../env.js';
import { connectEventBus, type EventBus } from '../../core/event-bus.js';
import { startImportWorkers, type ImportWorkers } from '../jobs/import.worker.js';
import { JobQueue } from '../jobs/queue.js';
import { startSmsWorkers } from '../jobs/sms.worker.js';
import { startEmailWorkers } from '../jobs/email.worker.js';
import { purgeExpiredImports } from '../../import/import-retention.js';
import type { ImportRuntime } from '../../import/pipeline/runner.js';
import { expireDuePoints } from '../../domain/points/expiry.service.js';
import { interactionNotifier, type InteractionNotifier } from '../../domain/message/message-events.js';
import { OAuthTokenVerifier } from '../oauth/token-verifier.js';
import type { AppMetrics } from '../metrics.js';

/**
 * What one process runs besides its HTTP server: the event bus between processes, the job queue,
 * and (unless IMPORT_WORKERS=0) the background workers: imports, SMS and email delivery and the hourly points expiry.
 * The API server and `npm run worker` both start one.
 */
export interface AppRuntime {
  readonly orm: MikroORM;
  readonly clock: Clock;
  readonly events: EventBus;
  readonly queue: JobQueue;
  readonly imports: ImportRuntime;
  readonly config: AppConfig;
  /** Announces a message's status change on the event bus, to `interactionUpdated` watchers. */
  readonly notifyInteraction: InteractionNotifier;
  /**
   * Verifies partner apps' access tokens (customer tokens) against the authorization server's
   * storage. Answers null until the HTTP server has mounted the authorization server (a worker
   * process never does).
   */
  readonly customerTokens: OAuthTokenVerifier;
  stop(): Promise<void>;
}

export async function startRuntime(options: {
  readonly orm: MikroORM;
  readonly config: AppConfig;
  readonly databaseUrl: string;
  readonly clock: Clock;
  readonly log: (message: string, error?: unknown) => void;
  /** The server's metrics: its workers count their deliveries there. */
  readonly metrics?: AppMetrics;
}): Promise<AppRuntime> {
  const { orm, config, clock, log, metrics } = options;
  const events = await connectEventBus({ databaseUrl: options.databaseUrl, redisUrl: config.redisUrl, log });
  let queue: JobQueue | undefined;
  let workers: ImportWorkers | undefined;
  const notifyInteraction = interactionNotifier(events, log);
  try {
    queue = await JobQueue.start(options.databaseUrl, log);
    const imports: ImportRuntime = { orm, events, clock, log, maxRecordChars: config.importMaxRecordChars };
    if (config.importWorkers > 0) {
      workers = await startImportWorkers(queue, imports, config.importWorkers);
      await startSmsWorkers(queue, { orm, clock, log, gatewayUrl: config.smsGatewayUrl, notify: notifyInteraction, dataDir: config.dataDir, observe: metrics?.deliveries('SMS') });
      await startEmailWorkers(queue, { orm, clock, log, smtpUrl: config.smtpUrl, notify: notifyInteraction, dataDir: config.dataDir, observe: metrics?.deliveries('EMAIL') });
      await queue.workPointsExpiry(async () => {
        const run = await expireDuePoints({ em: orm.em.fork(), clock, log });
        if (run.failed > 0) log(`Points expiry: ${run.failed} owners could not be processed; they are retried on the next run`);
      });
      await queue.workImportRetention(async () => {
        const run = await purgeExpiredImports({ em: orm.em.fork(), clock }, { retentionDays: config.importRetentionDays });
        if (run.jobs + run.abandonedUploads > 0) log(`Import retention: ${run.jobs} jobs purged (${run.files} files, ${run.issues} row issues), ${run.abandonedUploads} abandoned uploads removed`);
      });
    }
    const started = queue;
    return {
      orm,
      clock,
      events,
      queue: started,
      imports,
      config,
      notifyInteraction,
      customerTokens: new OAuthTokenVerifier(orm),
      async stop() {
        // Running imports stop at their next safe point and are queued again; then the queue drains.
        await workers?.stop();
        await started.stop();
        await events.close();
      },
    };
  } catch (error) {
    await workers?.stop();
    await queue?.stop().catch(() => undefined);
    await events.close();
    throw error;
  }
}
