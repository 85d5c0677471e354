import { loadPagesForParents, type Page, type PageRequest } from '../../core/sql/paging.js';
import { rowsByKey, selectRows, toId } from '../../core/sql/rows.js';
import { byKeys, groupBy } from '../loaders.js';
import type { RequestContext } from '../context.js';
import type { IncentiveKind } from '../../domain/incentive/incentive.entity.js';
import {
  SERIES_COLUMNS,
  seriesJoin,
  STORE_COLUMNS,
  storeJoin,
  toIncentiveRedemptionRow,
  toIncentiveRow,
  toIncentiveSeriesRow,
  type IncentiveRedemptionRow,
  type IncentiveRow,
  type IncentiveSeriesRow,
} from '../../domain/incentive/incentive.rows.js';

/** A page of the incentives each customer holds, newest issuedAt first, series joined: one statement per page request. */
export function incentivesOfCustomer(ctx: RequestContext, page: PageRequest) {
  return ctx.loaders.get<number, Page<IncentiveRow>>(`incentive.ofCustomer:${JSON.stringify(page)}`, async (customerIds) => {
    const pages = await loadPagesForParents(
      ctx.em,
      {
        from: `incentive x ${seriesJoin('x')}`,
        extraSelect: SERIES_COLUMNS,
        parentColumn: 'holder_id',
        sortColumn: 'issued_at',
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
      return { rows: found.rows.map(toIncentiveRow), hasNextPage: found.hasNextPage };
    });
  });
}

export function incentiveById(ctx: RequestContext) {
  return ctx.loaders.get<number, IncentiveRow | null>('incentive.byId', async (ids) => {
    const rows = await selectRows(
      ctx.em,
      `select i.*, ${SERIES_COLUMNS} from ${rowsByKey('incentive', 'i')} ${seriesJoin('i')} where i.org_id = ?`,
      [ids, ctx.org.id],
    );
    return byKeys(ids, new Map(rows.map((row) => [toId(row.id), toIncentiveRow(row)])), null);
  });
}

/** The code of a kind, exactly as issued (surrounding blanks ignored); null when the org has no such code. */
export async function findIncentiveByCode(ctx: RequestContext, kind: IncentiveKind, code: string): Promise<IncentiveRow | null> {
  const rows = await selectRows(
    ctx.em,
    `select i.*, ${SERIES_COLUMNS} from incentive i ${seriesJoin('i')} where i.org_id = ? and i.kind = ? and i.code = ?`,
    [ctx.org.id, kind, code.trim()],
  );
  return rows[0] ? toIncentiveRow(rows[0]) : null;
}

export function incentiveSeriesById(ctx: RequestContext) {
  return ctx.loaders.get<number, IncentiveSeriesRow | null>('incentiveSeries.byId', async (ids) => {
    const rows = await selectRows(ctx.em, `select s.* from ${rowsByKey('incentive_series', 's')} where s.org_id = ?`, [ids, ctx.org.id]);
    return byKeys(ids, new Map(rows.map((row) => [toId(row.id), toIncentiveSeriesRow(row, '')])), null);
  });
}

/** Every redemption of each incentive, newest first, store joined: one statement for any number of incentives. */
export function redemptionsOfIncentive(ctx: RequestContext) {
  return ctx.loaders.get<number, IncentiveRedemptionRow[]>('incentiveRedemption.ofIncentive', async (incentiveIds) => {
    const rows = await selectRows(
      ctx.em,
      `select r.*, ${STORE_COLUMNS} from incentive_redemption r ${storeJoin('r')}
        where r.org_id = ? and r.incentive_id = any(?::bigint[])
        order by r.incentive_id, r.redeemed_at desc, r.id desc`,
      [ctx.org.id, incentiveIds],
    );
    return byKeys(incentiveIds, groupBy(rows.map(toIncentiveRedemptionRow), (row) => row.incentiveId), []);
  });
}

export function incentiveRedemptionById(ctx: RequestContext) {
  return ctx.loaders.get<number, IncentiveRedemptionRow | null>('incentiveRedemption.byId', async (ids) => {
    const rows = await selectRows(
      ctx.em,
      `select r.*, ${STORE_COLUMNS} from ${rowsByKey('incentive_redemption', 'r')} ${storeJoin('r')} where r.org_id = ?`,
      [ids, ctx.org.id],
    );
    return byKeys(ids, new Map(rows.map((row) => [toId(row.id), toIncentiveRedemptionRow(row)])), null);
  });
}
