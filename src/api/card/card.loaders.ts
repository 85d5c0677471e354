import { loadPagesForParents, type Page, type PageRequest } from '../../core/sql/paging.js';
import { rowsByKey, selectRows, toId } from '../../core/sql/rows.js';
import { byKeys } from '../loaders.js';
import type { RequestContext } from '../context.js';
import { CARD_EXTRA_COLUMNS, cardJoins, toCardRow, toCardSeriesRow, type CardRow, type CardSeriesRow } from '../../domain/card/card.rows.js';

/** A page of each customer's cards, newest first, series and status joined: one statement per page size. */
export function cardsOfCustomer(ctx: RequestContext, page: PageRequest) {
  return ctx.loaders.get<number, Page<CardRow>>(`card.ofCustomer:${JSON.stringify(page)}`, async (customerIds) => {
    const pages = await loadPagesForParents(
      ctx.em,
      {
        from: `card x ${cardJoins('x')}`,
        extraSelect: CARD_EXTRA_COLUMNS,
        parentColumn: 'customer_id',
        sortColumn: 'id',
        descending: true,
        where: 'x.org_id = ?',
        params: [ctx.org.id],
        sortCast: '?::bigint',
      },
      customerIds,
      page,
    );
    return customerIds.map((id) => {
      const found = pages.get(id) ?? { rows: [], hasNextPage: false };
      return { rows: found.rows.map(toCardRow), hasNextPage: found.hasNextPage };
    });
  });
}

export function cardById(ctx: RequestContext) {
  return ctx.loaders.get<number, CardRow | null>('card.byId', async (ids) => {
    const rows = await selectRows(ctx.em, `select c.*, ${CARD_EXTRA_COLUMNS} from ${rowsByKey('card', 'c')} ${cardJoins('c')} where c.org_id = ?`, [
      ids,
      ctx.org.id,
    ]);
    return byKeys(ids, new Map(rows.map((row) => [toId(row.id), toCardRow(row)])), null);
  });
}

export async function findCardByNumber(ctx: RequestContext, number: string): Promise<CardRow | null> {
  const rows = await selectRows(ctx.em, `select c.*, ${CARD_EXTRA_COLUMNS} from card c ${cardJoins('c')} where c.org_id = ? and c.number = ?`, [
    ctx.org.id,
    number.trim(),
  ]);
  return rows[0] ? toCardRow(rows[0]) : null;
}

export function cardSeriesById(ctx: RequestContext) {
  return ctx.loaders.get<number, CardSeriesRow | null>('cardSeries.byId', async (ids) => {
    const rows = await selectRows(ctx.em, `select s.* from ${rowsByKey('card_series', 's')} where s.org_id = ?`, [ids, ctx.org.id]);
    return byKeys(ids, new Map(rows.map((row) => [toId(row.id), toCardSeriesRow(row, '')])), null);
  });
}

export async function findCardSeriesByCode(ctx: RequestContext, code: string): Promise<CardSeriesRow | null> {
  const rows = await selectRows(ctx.em, 'select * from card_series where org_id = ? and code = ?', [ctx.org.id, code.trim()]);
  return rows[0] ? toCardSeriesRow(rows[0], '') : null;
}
