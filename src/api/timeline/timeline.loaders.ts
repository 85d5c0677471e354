import { loadPagesForParents, type Page, type PageRequest } from '../../core/sql/paging.js';
import { selectRows, toId } from '../../core/sql/rows.js';
import { byKeys } from '../loaders.js';
import type { RequestContext } from '../context.js';
import type { TimelineEventType } from '../../domain/timeline/timeline.entity.js';
import { toTimelineEventRow, type TimelineEventRow } from '../../domain/timeline/timeline.rows.js';

/**
 * A page of each customer's timeline, newest first: one statement per (types, page request).
 * `types` null means every type; a list (a "view") keeps only those types, so an empty list yields
 * empty pages. Types are sorted and deduplicated so equal views share one loader.
 */
export function timelineOfCustomer(ctx: RequestContext, types: readonly TimelineEventType[] | null, page: PageRequest) {
  const view = types === null ? null : [...new Set(types)].sort();
  return ctx.loaders.get<number, Page<TimelineEventRow>>(`timeline.ofCustomer:${JSON.stringify(view)}:${JSON.stringify(page)}`, async (customerIds) => {
    const pages = await loadPagesForParents(
      ctx.em,
      {
        from: 'timeline_event x',
        parentColumn: 'customer_id',
        sortColumn: 'occurred_at',
        descending: true,
        where: view ? 'x.org_id = ? and x.type = any(?::text[])' : 'x.org_id = ?',
        params: view ? [ctx.org.id, view] : [ctx.org.id],
        sortCast: '?::timestamptz',
      },
      customerIds,
      page,
    );
    return customerIds.map((id) => {
      const found = pages.get(id) ?? { rows: [], hasNextPage: false };
      return { rows: found.rows.map(toTimelineEventRow), hasNextPage: found.hasNextPage };
    });
  });
}

export function timelineEventById(ctx: RequestContext) {
  return ctx.loaders.get<number, TimelineEventRow | null>('timelineEvent.byId', async (ids) => {
    const rows = await selectRows(ctx.em, 'select * from timeline_event where org_id = ? and id = any(?::bigint[])', [ctx.org.id, ids]);
    return byKeys(ids, new Map(rows.map((row) => [toId(row.id), toTimelineEventRow(row)])), null);
  });
}
