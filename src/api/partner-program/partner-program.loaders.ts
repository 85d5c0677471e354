import { rowsByKey, selectRows, toId } from '../../core/sql/rows.js';
import { byKeys, groupBy } from '../loaders.js';
import type { RequestContext } from '../context.js';
import {
  MEMBERSHIP_EXTRA_COLUMNS,
  membershipJoins,
  toProgramMembershipRow,
  toSupplementaryProgramRow,
  type ProgramMembershipRow,
  type SupplementaryProgramRow,
} from '../../domain/partner-program/partner-program.rows.js';

/** A membership is current while active and not (yet) ended; an end date in the future still counts as current. */
const CURRENT_MEMBERSHIP = "m.status = 'ACTIVE' and (m.ended_at is null or m.ended_at > now())";

/**
 * Each customer's partner-program memberships, newest start first, with program and activity
 * history: one statement for any number of customers. Only current memberships unless `includeEnded`.
 */
export function membershipsOfCustomer(ctx: RequestContext, includeEnded: boolean) {
  return ctx.loaders.get<number, ProgramMembershipRow[]>(`programMembership.ofCustomer:${includeEnded ? 'all' : 'current'}`, async (customerIds) => {
    const rows = await selectRows(
      ctx.em,
      `select m.*, ${MEMBERSHIP_EXTRA_COLUMNS} from program_membership m ${membershipJoins('m')}
        where m.org_id = ? and m.customer_id = any(?::bigint[])${includeEnded ? '' : ` and ${CURRENT_MEMBERSHIP}`}
        order by m.customer_id, m.started_at desc, m.id desc`,
      [ctx.org.id, customerIds],
    );
    return byKeys(customerIds, groupBy(rows.map(toProgramMembershipRow), (row) => row.customerId), []);
  });
}

export function programMembershipById(ctx: RequestContext) {
  return ctx.loaders.get<number, ProgramMembershipRow | null>('programMembership.byId', async (ids) => {
    const rows = await selectRows(
      ctx.em,
      `select m.*, ${MEMBERSHIP_EXTRA_COLUMNS} from ${rowsByKey('program_membership', 'm')} ${membershipJoins('m')} where m.org_id = ?`,
      [ids, ctx.org.id],
    );
    return byKeys(ids, new Map(rows.map((row) => [toId(row.id), toProgramMembershipRow(row)])), null);
  });
}

export function supplementaryProgramById(ctx: RequestContext) {
  return ctx.loaders.get<number, SupplementaryProgramRow | null>('supplementaryProgram.byId', async (ids) => {
    const rows = await selectRows(ctx.em, `select p.* from ${rowsByKey('supplementary_program', 'p')} where p.org_id = ?`, [ids, ctx.org.id]);
    return byKeys(ids, new Map(rows.map((row) => [toId(row.id), toSupplementaryProgramRow(row)])), null);
  });
}
