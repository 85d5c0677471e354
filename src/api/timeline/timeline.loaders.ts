import { loadPagesForParents, type Page, type PageRequest } from '../../core/sql/paging.js';
import { rowsByKey, selectRows, toId } from '../../core/sql/rows.js';
import { byKeys } from '../loaders.js';
import type { RequestContext } from '../context.js';
import type { TimelineEventType } from '../../domain/timeline/timeline.entity.js';
import { toTimelineEventRow, type TimelineEventRow } from '../../domain/timeline/timeline.rows.js';
import { findTimelineViews, type TimelineViewRow } from '../../domain/timeline/timeline-view.service.js';

/** Which of a customer's events a timeline page shows. */
export interface TimelineFilter {
  /** Only these types; null means every type (an empty list means none). */
  readonly types: readonly TimelineEventType[] | null;
  /** Events at or after this instant; null: from the first. */
  readonly since: Date | null;
  /** Events before this instant; null: up to the last. */
  readonly until: Date | null;
}

/**
 * A page of each customer's timeline, newest first: one statement per (filter, page request),
 * served by the (org_id, customer_id, occurred_at) index of timeline_event. Types are sorted
 * and deduplicated so equal filters share one loader.
 */
export function timelineOfCustomer(ctx: RequestContext, filter: TimelineFilter, page: PageRequest) {
  const types = filter.types === null ? null : [...new Set(filter.types)].sort();
  const since = filter.since?.toISOString() ?? null;
  const until = filter.until?.toISOString() ?? null;
  const conditions = ['x.org_id = ?'];
  const params: unknown[] = [ctx.org.id];
  const add = (condition: string, value: unknown) => {
    conditions.push(condition);
    params.push(value);
  };
  if (types) add('x.type = any(?::text[])', types);
  if (since) add('x.occurred_at >= ?::timestamptz', since);
  if (until) add('x.occurred_at < ?::timestamptz', until);
  const key = `timeline.ofCustomer:${JSON.stringify([types, since, until])}:${JSON.stringify(page)}`;
  return ctx.loaders.get<number, Page<TimelineEventRow>>(key, async (customerIds) => {
    const pages = await loadPagesForParents(
      ctx.em,
      { from: 'timeline_event x', parentColumn: 'customer_id', sortColumn: 'occurred_at', descending: true, where: conditions.join(' and '), params, sortCast: '?::timestamptz' },
      customerIds,
      page,
    );
    return customerIds.map((id) => {
      const found = pages.get(id) ?? { rows: [], hasNextPage: false };
      return { rows: found.rows.map(toTimelineEventRow), hasNextPage: found.hasNextPage };
    });
  });
}

/** The org's timeline views by name (null for a name it has none of): one statement per request. */
export function timelineViewByName(ctx: RequestContext) {
  return ctx.loaders.get<string, TimelineViewRow | null>('timelineView.byName', async (names) => {
    const views = await findTimelineViews(ctx, names);
    return byKeys(names, new Map(views.map((view) => [view.name, view])), null);
  });
}

export function timelineEventById(ctx: RequestContext) {
  return ctx.loaders.get<number, TimelineEventRow | null>('timelineEvent.byId', async (ids) => {
    const rows = await selectRows(ctx.em, `select e.* from ${rowsByKey('timeline_event', 'e')} where e.org_id = ?`, [ids, ctx.org.id]);
    return byKeys(ids, new Map(rows.map((row) => [toId(row.id), toTimelineEventRow(row)])), null);
  });
}
