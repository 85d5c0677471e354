import type { ServiceContext } from '../../server/context.js';
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
  await tx.em.execute('insert into timeline_event (org_id, customer_id, type, summary, data, occurred_at) values (?, ?, ?, ?, ?, ?)', [
    tx.org.id,
    entry.customerId,
    entry.type,
    entry.summary.slice(0, 500),
    JSON.stringify(entry.data ?? {}),
    entry.occurredAt ?? tx.clock.now(),
  ]);
}
