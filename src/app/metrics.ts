import type { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import client from 'prom-client';
import type { DeliveryObserver } from '../domain/message/message-delivery.js';
import type { MessageChannel } from '../domain/message/message-rules.js';

/**
 * The process's metrics in the Prometheus format (prom-client), one registry per server: what
 * it serves (HTTP, GraphQL operations, WebSockets), its database pool, the import jobs and the
 * job queue (read from PostgreSQL when scraped, so every process reports the same totals), and
 * the messages its own workers delivered.
 *
 * Labels never carry raw input: routes are the API's own paths, operation names are bounded in
 * form and in number (`operationLabel`), so a client cannot grow the registry without limit.
 */

/** Distinct operation names a process labels; later ones are counted as `other`. */
export const MAX_OPERATION_NAMES = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** A client's operation name as logs and metrics show it: a well-formed one of at most 64 characters, else `other` (`anonymous` without one). */
export function operationName(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  return OPERATION_NAME.test(name) ? name : 'other';
}
/** Seconds: from a fast read to a long upload. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export interface AppMetrics {
  /** The text a scrape gets: this server's metrics and the process's (CPU, memory, event loop, GC). */
  scrape(): Promise<string>;
  readonly contentType: string;
  readonly httpRequests: client.Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: client.Histogram<'method' | 'route'>;
  readonly rateLimitRefusals: client.Counter<'route'>;
  readonly graphqlOperations: client.Counter<'operation' | 'type' | 'outcome'>;
  readonly graphqlDuration: client.Histogram<'operation' | 'type'>;
  /** The label for a client's operation name: itself while well-formed and among the first MAX_OPERATION_NAMES, else `other` (`anonymous` without one). */
  operationLabel(name: string | null | undefined): string;
  /** Counts the deliveries of one channel's batches (the workers' `observe`). */
  deliveries(channel: MessageChannel): DeliveryObserver;
  /** Where the WebSocket gauges read their counts (the server, once its WebSocket side runs). */
  countSockets(source: SocketCounts): void;
}

/** Open WebSockets and the operations running on them. */
export type SocketCounts = () => { readonly connections: number; readonly operations: number };

interface DatabaseView {
  readonly jobs: { state: string; n: number }[];
  readonly rowsPerSecond: number;
  readonly queues: { name: string; waiting: number; oldestDueSeconds: number | null }[];
}

const NOTHING: DatabaseView = { jobs: [], rowsPerSecond: 0, queues: [] };

/**
 * State of the import jobs and the job queue, read at scrape time in one statement (one
 * connection). With the database away, nothing: the process's own metrics are still answered.
 */
async function databaseView(orm: MikroORM): Promise<DatabaseView> {
  try {
    const [row] = await orm.em.getConnection().execute<{ view: DatabaseView }[]>(
      `select json_build_object(
          'jobs', coalesce((select json_agg(j) from (select state, count(*) as n from import_job group by state) j), '[]'),
          'rowsPerSecond', coalesce((select sum(rows_read / greatest(extract(epoch from now() - started_at), 1))
              from import_job where state in ('PARSING', 'VALIDATING', 'MERGING') and started_at is not null), 0),
          'queues', coalesce((select json_agg(q) from (
              select name, count(*) as waiting,
                  extract(epoch from now() - min(start_after) filter (where start_after <= now())) as "oldestDueSeconds"
                from pgboss.job where state < 'active' group by name) q), '[]')) as view`,
    );
    return row?.view ?? NOTHING;
  } catch {
    return NOTHING;
  }
}

/** The process's own metrics, collected once per process however many servers it runs (tests run several). */
let processRegistry: client.Registry | undefined;

function processMetrics(): client.Registry {
  if (!processRegistry) {
    processRegistry = new client.Registry();
    client.collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export function createMetrics(orm: MikroORM): AppMetrics {
  let sockets: SocketCounts = () => ({ connections: 0, operations: 0 });
  let nativePool: pg.Pool | undefined;
  const registry = new client.Registry();
  // Merged at the first scrape, once every metric below is registered.
  let merged: client.Registry | undefined;
  const names = new Set<string>();

  const httpRequests = new client.Counter({ name: 'http_requests_total', help: 'HTTP requests answered, by method, route and status.', labelNames: ['method', 'route', 'status'] as const, registers: [registry] });
  const httpDuration = new client.Histogram({ name: 'http_request_duration_seconds', help: 'Time to answer an HTTP request.', labelNames: ['method', 'route'] as const, buckets: DURATION_BUCKETS, registers: [registry] });
  const rateLimitRefusals = new client.Counter({ name: 'rate_limit_refusals_total', help: 'Requests refused with 429 (bad keys, uploads per key, sign-in codes), by route.', labelNames: ['route'] as const, registers: [registry] });
  const graphqlOperations = new client.Counter({ name: 'graphql_operations_total', help: 'GraphQL operations over HTTP, by operation name, type and outcome (ok, error).', labelNames: ['operation', 'type', 'outcome'] as const, registers: [registry] });
  const graphqlDuration = new client.Histogram({ name: 'graphql_operation_duration_seconds', help: 'Time from receiving a GraphQL operation over HTTP to its response.', labelNames: ['operation', 'type'] as const, buckets: DURATION_BUCKETS, registers: [registry] });
  const delivered = new client.Counter({ name: 'message_deliveries_total', help: "Messages this process's workers handed to the gateway or mail server, by channel and outcome (SENT, FAILED, RETRY).", labelNames: ['channel', 'outcome'] as const, registers: [registry] });

  new client.Gauge({
    name: 'graphql_ws_connections',
    help: 'Open graphql-ws connections.',
    registers: [registry],
    collect() {
      this.set(sockets().connections);
    },
  });
  new client.Gauge({
    name: 'graphql_ws_operations',
    help: 'Subscriptions and other operations running over graphql-ws.',
    registers: [registry],
    collect() {
      this.set(sockets().operations);
    },
  });
  new client.Gauge({
    name: 'db_pool_connections',
    help: "The request pool's connections: in use, idle, and requests waiting for one.",
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      // Read before this scrape's own statement takes a connection (gauges collect in order).
      const pool = (nativePool ??= (await orm.em.getConnection().getNativeClient()) as pg.Pool);
      this.set({ state: 'in_use' }, pool.totalCount - pool.idleCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });

  // The database's view, read once per scrape and shared by the gauges below.
  let reading: Promise<DatabaseView> | undefined;
  const read = (): Promise<DatabaseView> => {
    reading ??= databaseView(orm).finally(() => {
      setImmediate(() => (reading = undefined));
    });
    return reading;
  };
  new client.Gauge({
    name: 'import_jobs',
    help: 'Import jobs in the database, by state.',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of (await read()).jobs) this.set({ state: row.state }, row.n);
    },
  });
  new client.Gauge({
    name: 'import_rows_per_second',
    help: 'Rows a second read by the running imports together (each since it started).',
    registers: [registry],
    async collect() {
      this.set((await read()).rowsPerSecond);
    },
  });
  new client.Gauge({
    name: 'job_queue_waiting',
    help: 'Queue entries waiting (due or scheduled later), by queue.',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of (await read()).queues) this.set({ queue: row.name }, row.waiting);
    },
  });
  new client.Gauge({
    name: 'job_queue_oldest_due_seconds',
    help: 'How long the oldest due entry has waited for a worker, by queue (0 when none is due).',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of (await read()).queues) this.set({ queue: row.name }, row.oldestDueSeconds ?? 0);
    },
  });

  return {
    scrape: () => (merged ??= client.Registry.merge([processMetrics(), registry])).metrics(),
    contentType: registry.contentType,
    httpRequests,
    httpDuration,
    rateLimitRefusals,
    graphqlOperations,
    graphqlDuration,
    operationLabel(name) {
      const shown = operationName(name);
      // `anonymous` and `other` as they are; a real name while the set has room for it.
      if (shown !== name || names.has(shown)) return shown;
      if (names.size >= MAX_OPERATION_NAMES) return 'other';
      names.add(shown);
      return shown;
    },
    deliveries(channel) {
      return (outcome, count) => {
        if (count > 0) delivered.inc({ channel, outcome }, count);
      };
    },
    countSockets(source) {
      sockets = source;
    },
  };
}
