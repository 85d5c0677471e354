import { loadPagesForParents, type Page, type PageRequest } from '../../core/sql/paging.js';
import { rowsByKey, selectRows, toDate, toId, toNumber } from '../../core/sql/rows.js';
import { byKeys, groupBy } from '../loaders.js';
import type { RequestContext } from '../context.js';
import { ledgerExtraColumns, toLedgerEntryRow, type ExpiringPointsRow, type LedgerEntryRow } from '../../domain/points/points.rows.js';

/** Ledger entries of the caller's org by id. */
export function ledgerEntryById(ctx: RequestContext) {
  return ctx.loaders.get<number, LedgerEntryRow | null>('ledgerEntry.byId', async (ids) => {
    const rows = await selectRows(ctx.em, `select x.*, ${ledgerExtraColumns('x')} from ${rowsByKey('points_ledger_entry', 'x')} where x.org_id = ?`, [
      ids,
      ctx.org.id,
    ]);
    return byKeys(ids, new Map(rows.map((row) => [toId(row.id), toLedgerEntryRow(row)])), null);
  });
}

/** A page of each customer's ledger, newest first, optionally one program's: one statement per page request. */
export function ledgerOfCustomer(ctx: RequestContext, programId: number | null, page: PageRequest) {
  return ctx.loaders.get<number, Page<LedgerEntryRow>>(`ledger.ofCustomer:${programId}:${JSON.stringify(page)}`, async (customerIds) => {
    const pages = await loadPagesForParents(
      ctx.em,
      {
        from: 'points_ledger_entry x',
        extraSelect: ledgerExtraColumns('x'),
        parentColumn: 'customer_id',
        sortColumn: 'id',
        descending: true,
        where: programId === null ? 'x.org_id = ?' : 'x.org_id = ? and x.program_id = ?',
        params: programId === null ? [ctx.org.id] : [ctx.org.id, programId],
        sortCast: '?::bigint',
      },
      customerIds,
      page,
    );
    return customerIds.map((id) => {
      const found = pages.get(id) ?? { rows: [], hasNextPage: false };
      return { rows: found.rows.map(toLedgerEntryRow), hasNextPage: found.hasNextPage };
    });
  });
}

/** The window `pointsExpiringSoon` reads when not given one, and the longest it accepts. */
export const EXPIRING_WINDOW_DEFAULT_DAYS = 30;
export const EXPIRING_WINDOW_MAX_DAYS = 3650;

/**
 * Points left in lots that expire after the clock's now and within `withinDays` of it, per owner
 * (by program): one statement for any number of owners. Lots already due are expired as of now
 * (the balance leaves them out), whether or not the expiry job has run yet. `Customer.loyalty`
 * starts it beside the standings when its selection reads `pointsExpiringSoon`, so the window
 * costs no level of the execution (no statement) of its own.
 */
export function expiringPointsOf(ctx: RequestContext, owner: 'customer' | 'group', withinDays: number) {
  const column = owner === 'customer' ? 'customer_id' : 'group_id';
  return ctx.loaders.get<number, ReadonlyMap<number, ExpiringPointsRow>>(`ledger.expiring:${owner}:${withinDays}`, async (ownerIds) => {
    const now = ctx.clock.now();
    const until = new Date(now.getTime() + withinDays * 86_400_000);
    const rows = await selectRows(
      ctx.em,
      // The owners' lots are found by owner, then filtered by the window: OFFSET 0 keeps the window
      // out of the index choice. A plan made once for any window (the server asks PostgreSQL for
      // generic plans) would otherwise also scan the org-wide expiry index over every lot due then.
      `select l.${column} as owner_id, l.program_id, sum(l.points - coalesce(a.used, 0)) as points, min(l.expires_at) as earliest_expires_at
        from (select * from points_ledger_entry where org_id = ? and ${column} = any(?::bigint[]) and points > 0 offset 0) l
        left join lateral (select sum(x.points) as used from points_allocation x where x.credit_entry_id = l.id) a on true
        where l.expires_at > ? and l.expires_at <= ? and l.points > coalesce(a.used, 0)
        group by l.${column}, l.program_id`,
      [ctx.org.id, ownerIds, now, until],
    );
    const byOwner = new Map<number, Map<number, ExpiringPointsRow>>();
    for (const row of rows) {
      const programs = byOwner.get(toId(row.ownerId)) ?? new Map<number, ExpiringPointsRow>();
      programs.set(toId(row.programId), { points: toNumber(row.points), earliestExpiresAt: toDate(row.earliestExpiresAt), withinDays });
      byOwner.set(toId(row.ownerId), programs);
    }
    return byKeys(ownerIds, byOwner, new Map());
  });
}

/** Points of one owner in one program expiring within `withinDays` (none: zero). */
export async function expiringPointsIn(ctx: RequestContext, owner: 'customer' | 'group', withinDays: number, ownerId: number, programId: number): Promise<ExpiringPointsRow> {
  const programs = await expiringPointsOf(ctx, owner, withinDays).load(ownerId);
  return programs.get(programId) ?? { points: 0, earliestExpiresAt: null, withinDays };
}

/** The TRANSFER_IN lots each transfer's TRANSFER_OUT entry credited, earliest expiry first: one statement for any number. */
export function transferCreditsOf(ctx: RequestContext) {
  return ctx.loaders.get<number, LedgerEntryRow[]>('ledger.transferCredits', async (debitIds) => {
    const rows = await selectRows(
      ctx.em,
      `select x.*, ${ledgerExtraColumns('x')} from points_ledger_entry x
        where x.org_id = ? and x.transfer_out_id = any(?::bigint[]) order by x.expires_at asc nulls last, x.id asc`,
      [ctx.org.id, debitIds],
    );
    const found = groupBy(rows.map(toLedgerEntryRow), (entry) => entry.transferOutId ?? 0);
    return debitIds.map((id) => found.get(id) ?? []);
  });
}
