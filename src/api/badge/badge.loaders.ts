import { loadPagesForParents, type Page, type PageRequest } from '../../core/sql/paging.js';
import { rowsByKey, selectRows, toId } from '../../core/sql/rows.js';
import { byKeys } from '../loaders.js';
import type { RequestContext } from '../context.js';
import { BADGE_COLUMNS, badgeJoin, toBadgeRow, toEarnedBadgeRow, type BadgeRow, type EarnedBadgeRow } from '../../domain/badge/badge.rows.js';

/** A page of each customer's earned badges, newest earnedAt first, definitions joined: one statement per page request. */
export function badgesOfCustomer(ctx: RequestContext, page: PageRequest) {
  return ctx.loaders.get<number, Page<EarnedBadgeRow>>(`badge.ofCustomer:${JSON.stringify(page)}`, async (customerIds) => {
    const pages = await loadPagesForParents(
      ctx.em,
      {
        from: `earned_badge x ${badgeJoin('x')}`,
        extraSelect: BADGE_COLUMNS,
        parentColumn: 'customer_id',
        sortColumn: 'earned_at',
        descending: true,
        where: 'x.org_id = ?',
        params: [ctx.org.id],
        sortCast: '?::timestamptz',
      },
      customerIds,
      page,
    );
    return customerIds.map((id) => {
      const found = pages.get(id) ?? { rows: [], hasNextPage: false };
      return { rows: found.rows.map(toEarnedBadgeRow), hasNextPage: found.hasNextPage };
    });
  });
}

export function earnedBadgeById(ctx: RequestContext) {
  return ctx.loaders.get<number, EarnedBadgeRow | null>('earnedBadge.byId', async (ids) => {
    const rows = await selectRows(
      ctx.em,
      `select e.*, ${BADGE_COLUMNS} from ${rowsByKey('earned_badge', 'e')} ${badgeJoin('e')} where e.org_id = ?`,
      [ids, ctx.org.id],
    );
    return byKeys(ids, new Map(rows.map((row) => [toId(row.id), toEarnedBadgeRow(row)])), null);
  });
}

export function badgeById(ctx: RequestContext) {
  return ctx.loaders.get<number, BadgeRow | null>('badge.byId', async (ids) => {
    const rows = await selectRows(ctx.em, `select b.* from ${rowsByKey('badge_definition', 'b')} where b.org_id = ?`, [ids, ctx.org.id]);
    return byKeys(ids, new Map(rows.map((row) => [toId(row.id), toBadgeRow(row)])), null);
  });
}
