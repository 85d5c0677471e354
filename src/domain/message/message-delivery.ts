import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../core/clock.js';
import { selectRows, writeRows } from '../../core/sql/rows.js';
import type { InteractionNotifier } from './message-events.js';
import type { MessageJob, MessageQueue } from './message-queue.js';

/** What a gateway (or mail server) made of a message: taken, refused for good, or not reachable now (try again). */
export type GatewayOutcome =
  | { readonly kind: 'ACCEPTED' }
  | { readonly kind: 'REJECTED'; readonly reason: string }
  | { readonly kind: 'UNAVAILABLE'; readonly reason: string };

/** One queue entry handed to a worker. */
export interface DeliveryJob {
  readonly message: MessageJob;
  /** No retry follows this attempt: a gateway still unreachable fails the message. */
  readonly last: boolean;
}

/** What became of handed-over messages, counted (metrics): taken, failed for good, or to be tried again. */
export type DeliveryObserver = (outcome: 'SENT' | 'FAILED' | 'RETRY', count: number) => void;

export interface DeliveryDeps {
  readonly em: EntityManager;
  readonly clock: Clock;
  /** Told how many messages of each batch went each way, once recorded. */
  readonly observe?: DeliveryObserver;
  readonly notify: InteractionNotifier;
  /** Where messages late past their slot at the org's send rate are queued again. */
  readonly queue: MessageQueue;
}

/** Longest failure reason kept (the column's width). */
export const REASON_MAX_CHARS = 500;

/** A queued message as read for delivery: its row, with the entry it came with. */
export interface QueuedMessage<Row> {
  readonly job: DeliveryJob;
  readonly row: Row;
}

/**
 * The interactions of `jobs` still QUEUED, each with its entry, read in one statement (`columns` of
 * `interaction i`). An entry whose message is no longer QUEUED was handled by an earlier delivery of
 * it (the queue handed it out again) and is left out: it is simply settled.
 */
export async function queuedMessages<Row extends { orgId: string; id: string }>(
  deps: DeliveryDeps,
  jobs: readonly DeliveryJob[],
  columns: string,
): Promise<QueuedMessage<Row>[]> {
  const [orgIds, ids] = keysOf(jobs);
  const rows = await selectRows<Row>(
    deps.em,
    `select i.org_id, i.id, ${columns} from interaction i
      join unnest(?::bigint[], ?::bigint[]) as k(org_id, id) on i.org_id = k.org_id and i.id = k.id
      where i.status = 'QUEUED'`,
    [orgIds, ids],
  );
  const byKey = new Map(rows.map((row) => [`${row.orgId}:${row.id}`, row]));
  const queued: QueuedMessage<Row>[] = [];
  for (const job of jobs) {
    const row = byKey.get(`${job.message.orgId}:${job.message.interactionId}`);
    // The same message twice in one batch is handed over once.
    if (row) {
      byKey.delete(`${job.message.orgId}:${job.message.interactionId}`);
      queued.push({ job, row });
    }
  }
  return queued;
}

/** A message that could not be handed over at all, and why (recorded FAILED). */
export interface Undeliverable {
  readonly job: DeliveryJob;
  readonly reason: string;
}

/** How many messages of one batch a worker hands over at once. */
export interface BatchLimits {
  readonly inFlight: number;
}

/** The interactions' keys as two parallel arrays, for `unnest(?::bigint[], ?::bigint[])`. */
function keysOf(jobs: readonly DeliveryJob[]): [number[], number[]] {
  return [jobs.map((job) => job.message.orgId), jobs.map((job) => job.message.interactionId)];
}

/** `f` over `items`, at most `limit` at a time, results in order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await f(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/** Tells watchers of each customer whose message changed (the rows an update returned). */
async function announce(deps: DeliveryDeps, changed: readonly { id: string; customerId: string }[]): Promise<void> {
  await Promise.all(changed.map((row) => deps.notify({ customerId: Number(row.customerId), interactionId: Number(row.id) })));
}

async function markSent(deps: DeliveryDeps, jobs: readonly DeliveryJob[]): Promise<void> {
  if (jobs.length === 0) return;
  const [orgIds, ids] = keysOf(jobs);
  const changed = await writeRows<{ id: string; customerId: string }>(
    deps.em,
    `update interaction i set status = 'SENT', sent_at = ?, secret_content = null
      from unnest(?::bigint[], ?::bigint[]) as k(org_id, id)
      where i.org_id = k.org_id and i.id = k.id and i.status = 'QUEUED'
      returning i.id, i.customer_id`,
    [deps.clock.now(), orgIds, ids],
  );
  await announce(deps, changed);
}

/** Records each message FAILED with its reason; only a QUEUED message changes, so a repeat records nothing twice. */
export async function markFailed(deps: DeliveryDeps, failures: readonly Undeliverable[]): Promise<void> {
  if (failures.length === 0) return;
  const [orgIds, ids] = keysOf(failures.map((failure) => failure.job));
  const changed = await writeRows<{ id: string; customerId: string }>(
    deps.em,
    `update interaction i set status = 'FAILED', failed_at = ?, failure_reason = k.reason, secret_content = null
      from unnest(?::bigint[], ?::bigint[], ?::text[]) as k(org_id, id, reason)
      where i.org_id = k.org_id and i.id = k.id and i.status = 'QUEUED'
      returning i.id, i.customer_id`,
    [deps.clock.now(), orgIds, ids, failures.map((failure) => failure.reason.slice(0, REASON_MAX_CHARS))],
  );
  await announce(deps, changed);
}

/**
 * Hands a batch of queued messages to the gateway (`by`, as reasons name it), `limits.inFlight` at
 * a time, and records what became of them in two statements: SENT for those taken, FAILED with
 * the reason for those refused (or unreachable on their last attempt). Returns the entries to try
 * again later: messages the gateway could not be reached for, with retries left (they stay QUEUED).
 *
 * `messages` are the entries whose interaction is still QUEUED: an entry delivered before (the
 * queue handed it out again) is not among them and is simply settled.
 */
export async function deliverBatch<Row>(
  deps: DeliveryDeps,
  messages: readonly QueuedMessage<Row>[],
  undeliverable: readonly Undeliverable[],
  limits: BatchLimits,
  by: string,
  hand: (message: QueuedMessage<Row>) => Promise<GatewayOutcome>,
): Promise<ReadonlySet<DeliveryJob>> {
  const outcomes = await mapLimited(messages, limits.inFlight, async (message) => {
    try {
      return await hand(message);
    } catch (error) {
      // A transport that throws (rather than answering) is treated as unreachable this time.
      return { kind: 'UNAVAILABLE', reason: error instanceof Error ? error.message : String(error) } satisfies GatewayOutcome;
    }
  });
  const retry = new Set<DeliveryJob>();
  const sent: DeliveryJob[] = [];
  const failed: Undeliverable[] = [...undeliverable];
  for (const [index, message] of messages.entries()) {
    const outcome = outcomes[index] as GatewayOutcome;
    const { job } = message;
    if (outcome.kind === 'ACCEPTED') {
      sent.push(job);
    } else if (outcome.kind === 'REJECTED') {
      failed.push({ job, reason: `Refused by the ${by}: ${outcome.reason}` });
    } else if (job.last) {
      failed.push({ job, reason: `The ${by} could not be reached after every retry: ${outcome.reason}` });
    } else {
      retry.add(job);
    }
  }
  await markSent(deps, sent);
  await markFailed(deps, failed);
  deps.observe?.('SENT', sent.length);
  deps.observe?.('FAILED', failed.length);
  deps.observe?.('RETRY', retry.size);
  return retry;
}
