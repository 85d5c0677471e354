import { writeRows } from '../../core/sql/rows.js';
import type { ServiceContext } from '../context.js';
import type { TimelineEventType } from './timeline.entity.js';

export interface TimelineEntry {
  readonly customerId: number;
  readonly type: TimelineEventType;
  readonly summary: string;
  readonly data?: Record<string, unknown>;
  /** When it happened; the clock's now unless the event lies in the past (a retro badge, an old purchase). */
  readonly occurredAt?: Date;
}

/** Adds an event to a customer's timeline, inside the transaction of the change it reports. */
export async function addTimelineEvent(tx: ServiceContext, entry: TimelineEntry): Promise<void> {
  await writeRows(tx.em, 'insert into timeline_event (org_id, customer_id, type, summary, data, occurred_at) values (?, ?, ?, ?, ?, ?)', [
    tx.org.id,
    entry.customerId,
    entry.type,
    entry.summary.slice(0, 500),
    JSON.stringify(entry.data ?? {}),
    entry.occurredAt ?? tx.clock.now(),
  ]);
}

/** Adds many events at once (an import's batch), in the order given, inside the transaction of the changes they report. */
export async function addTimelineEvents(tx: ServiceContext, entries: readonly TimelineEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const now = tx.clock.now();
  await writeRows(
    tx.em,
    `insert into timeline_event (org_id, customer_id, type, summary, data, occurred_at)
      select ?, e.customer_id, e.type, e.summary, e.data::jsonb, e.occurred_at
      from unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::timestamptz[]) with ordinality as e(customer_id, type, summary, data, occurred_at, position)
      order by e.position`,
    [
      tx.org.id,
      entries.map((entry) => entry.customerId),
      entries.map((entry) => entry.type),
      entries.map((entry) => entry.summary.slice(0, 500)),
      entries.map((entry) => JSON.stringify(entry.data ?? {})),
      entries.map((entry) => (entry.occurredAt ?? now).toISOString()),
    ],
  );
}
