import { rowsByKey, selectRows, toId } from '../../core/sql/rows.js';
import { byKeys, groupBy } from '../loaders.js';
import type { RequestContext } from '../context.js';
import { dueLot, lifetimeCredit, lotRest } from '../../domain/points/ledger.js';
import { PROGRAM_COLUMNS, TIER_COLUMNS, toLoyaltyProgramRow, toProgramLoyaltyRow, type LoyaltyProgramRow, type ProgramLoyaltyRow, type TierRow } from '../../domain/program/program.rows.js';

type Owner = 'customer' | 'group';

/**
 * Standing per program for customers or groups, in ONE statement: enrolment, program, tier, and
 * the balance and lifetime points summed from the ledger (balances are never stored). The balance
 * is as of the clock's now: what is left of lots already due counts as expired even before the
 * hourly expiry job has written their EXPIRY entries (it leaves them at zero rest, so nothing is
 * taken twice).
 */
export function loyaltyOf(ctx: RequestContext, owner: Owner) {
  const column = owner === 'customer' ? 'customer_id' : 'group_id';
  return ctx.loaders.get<number, ProgramLoyaltyRow[]>(`loyalty.${owner}`, async (ownerIds) => {
    const rows = await selectRows(
      ctx.em,
      `select e.${column} as owner_id, e.lifetime_purchases, e.enrolled_at, ${PROGRAM_COLUMNS}, ${TIER_COLUMNS},
          coalesce(l.balance, 0) as points_balance, coalesce(l.lifetime, 0) as lifetime_points
        from loyalty_enrollment e
        join loyalty_program p on p.id = e.program_id
        join tier t on t.id = e.tier_id
        left join lateral (
          select sum(x.points) - coalesce(sum(${lotRest('x')}) filter (where ${dueLot('x')}), 0) as balance,
            sum(x.points) filter (where ${lifetimeCredit('x')}) as lifetime
          from points_ledger_entry x where x.org_id = e.org_id and x.${column} = e.${column} and x.program_id = e.program_id
        ) l on true
        where e.org_id = ? and e.${column} = any(?::bigint[])
        order by p.is_default desc, p.id`,
      [ctx.clock.now(), ctx.org.id, ownerIds],
    );
    const grouped = groupBy(
      rows.map((row) => toProgramLoyaltyRow(row, toId(row.ownerId), owner)),
      (row) => row.ownerId,
    );
    return byKeys(ownerIds, grouped, []);
  });
}

/** The org's default program with its base tier: the standing of anything not yet enrolled. */
export function defaultProgramStanding(ctx: RequestContext) {
  return ctx.loaders.get<number, ProgramLoyaltyRow | null>('loyalty.defaultStanding', async (orgIds) => {
    const rows = await selectRows(
      ctx.em,
      `select ${PROGRAM_COLUMNS}, ${TIER_COLUMNS}, 0 as points_balance, 0 as lifetime_points, 0 as lifetime_purchases, null as enrolled_at
        from loyalty_program p join tier t on t.program_id = p.id and t.rank = 0
        where p.org_id = ? and p.is_default`,
      [ctx.org.id],
    );
    const standing = rows[0] ? toProgramLoyaltyRow(rows[0], 0) : null;
    return orgIds.map(() => standing);
  });
}

export function programById(ctx: RequestContext) {
  return ctx.loaders.get<number, LoyaltyProgramRow | null>('program.byId', async (ids) => {
    const rows = await selectRows(ctx.em, `select ${PROGRAM_COLUMNS} from ${rowsByKey('loyalty_program', 'p')} where p.org_id = ?`, [
      ids,
      ctx.org.id,
    ]);
    return byKeys(ids, new Map(rows.map((row) => [toId(row.programId), toLoyaltyProgramRow(row)])), null);
  });
}

export function tierById(ctx: RequestContext) {
  return ctx.loaders.get<number, TierRow | null>('tier.byId', async (ids) => {
    const rows = await selectRows(
      ctx.em,
      `select ${PROGRAM_COLUMNS}, ${TIER_COLUMNS} from ${rowsByKey('tier', 't')} join loyalty_program p on p.id = t.program_id
        where t.org_id = ?`,
      [ids, ctx.org.id],
    );
    return byKeys(ids, new Map(rows.map((row) => [toId(row.tierId), toProgramLoyaltyRow(row, 0).tier])), null);
  });
}
