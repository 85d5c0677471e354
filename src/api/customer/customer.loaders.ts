import { rowsByKey, selectRows, toDate } from '../../core/sql/rows.js';
import { byKeys, groupBy } from '../loaders.js';
import type { RequestContext } from '../context.js';
import { customerExtraColumns, customerJoins, toCustomerRow, type CustomerRow } from '../../domain/customer/customer.rows.js';

/** Customers of the caller's org by id; an id of another org loads as null. */
export function customerById(ctx: RequestContext) {
  return ctx.loaders.get<number, CustomerRow | null>('customer.byId', async (ids) => {
    const rows = await selectRows(
      ctx.em,
      `select c.*, ${customerExtraColumns('c')} from ${rowsByKey('customer', 'c')} ${customerJoins('c')} where c.org_id = ?`,
      [ids, ctx.org.id],
    );
    const found = new Map(rows.map((row) => [Number(row.id), toCustomerRow(row)]));
    return byKeys(ids, found, null);
  });
}

export interface ChannelSubscriptionRow {
  readonly customerId: number;
  readonly channel: string;
  readonly priority: string;
  readonly account: string | null;
  readonly orgUnitCode: string | null;
  readonly status: string;
  readonly updatedAt: Date;
}

/** Channel subscriptions of many customers in one statement. */
export function subscriptionsOfCustomer(ctx: RequestContext) {
  return ctx.loaders.get<number, ChannelSubscriptionRow[]>('customer.subscriptions', async (customerIds) => {
    const rows = await selectRows(
      ctx.em,
      `select s.customer_id, s.channel, s.priority, nullif(s.account, '') as account, u.code as org_unit_code, s.status, s.updated_at
        from channel_subscription s left join org_unit u on u.id = s.org_unit_id
        where s.org_id = ? and s.customer_id = any(?::bigint[]) order by s.customer_id, s.channel, s.priority, s.account, u.code nulls first`,
      [ctx.org.id, customerIds],
    );
    const mapped = rows.map((row) => ({ ...row, customerId: Number(row.customerId), updatedAt: toDate(row.updatedAt) }) as ChannelSubscriptionRow);
    return byKeys(customerIds, groupBy(mapped, (row) => row.customerId), []);
  });
}
