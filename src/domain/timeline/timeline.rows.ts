import { toDate, toId, type Row } from '../../core/sql/rows.js';
import type { TimelineEventType } from './timeline.entity.js';

export interface TimelineEventRow {
  readonly __typename: 'TimelineEvent';
  readonly id: number;
  readonly customerId: number;
  readonly type: TimelineEventType;
  readonly summary: string;
  readonly data: Record<string, unknown>;
  readonly occurredAt: Date;
}

export function toTimelineEventRow(row: Row): TimelineEventRow {
  return {
    __typename: 'TimelineEvent',
    id: toId(row.id),
    customerId: toId(row.customerId),
    type: row.type as TimelineEventType,
    summary: String(row.summary),
    // jsonb arrives parsed; the column defaults to {} but guard against a stored non-object
    data: row.data !== null && typeof row.data === 'object' && !Array.isArray(row.data) ? (row.data as Record<string, unknown>) : {},
    occurredAt: toDate(row.occurredAt),
  };
}

/** The cursor sort value of a timeline event: what `timelineOfCustomer` sorts by. */
export function timelineEventSortValue(row: TimelineEventRow): string {
  return row.occurredAt.toISOString();
}
