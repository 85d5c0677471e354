import { loadPagesForParents, type Page, type PageRequest } from '../../core/sql/paging.js';
import { rowsByKey, selectRows, toId } from '../../core/sql/rows.js';
import { byKeys } from '../loaders.js';
import type { RequestContext } from '../context.js';
import { toTransactionRow, transactionExtraColumns, transactionJoins, type TransactionRow } from '../../domain/transaction/transaction.rows.js';

/** Whose transactions a page lists: a customer's own (not made for a group) or a group's. */
interface TransactionOwner {
  readonly parentColumn: 'customer_id' | 'group_id';
  readonly where: string;
}

const CUSTOMER_OWN: TransactionOwner = {
  parentColumn: 'customer_id',
  // A purchase made on behalf of a group belongs to the group's list, not to the member's own.
  where: 'x.org_id = ? and x.group_id is null',
};

const GROUP: TransactionOwner = { parentColumn: 'group_id', where: 'x.org_id = ?' };

/** Newest first, with store, line items and points folded in: one statement for any number of parents. */
async function loadTransactionPages(ctx: RequestContext, owner: TransactionOwner, parentIds: readonly number[], page: PageRequest) {
  const pages = await loadPagesForParents(
    ctx.em,
    {
      from: `"transaction" x ${transactionJoins('x')}`,
      extraSelect: transactionExtraColumns('x'),
      parentColumn: owner.parentColumn,
      sortColumn: 'occurred_at',
      descending: true,
      where: owner.where,
      params: [ctx.org.id],
      sortCast: '?::timestamptz',
    },
    parentIds,
    page,
  );
  return parentIds.map((id): Page<TransactionRow> => {
    const found = pages.get(id) ?? { rows: [], hasNextPage: false };
    return { rows: found.rows.map(toTransactionRow), hasNextPage: found.hasNextPage };
  });
}

/** A page of each customer's own transactions (group purchases excluded), newest first. */
export function transactionsOfCustomer(ctx: RequestContext, page: PageRequest) {
  return ctx.loaders.get<number, Page<TransactionRow>>(`transaction.ofCustomer:${JSON.stringify(page)}`, (customerIds) =>
    loadTransactionPages(ctx, CUSTOMER_OWN, customerIds, page),
  );
}

/** A page of each group's transactions (every purchase made for the group), newest first. */
export function transactionsOfGroup(ctx: RequestContext, page: PageRequest) {
  return ctx.loaders.get<number, Page<TransactionRow>>(`transaction.ofGroup:${JSON.stringify(page)}`, (groupIds) =>
    loadTransactionPages(ctx, GROUP, groupIds, page),
  );
}

/** Transactions of the caller's org by id; an id of another org loads as null. */
export function transactionById(ctx: RequestContext) {
  return ctx.loaders.get<number, TransactionRow | null>('transaction.byId', async (ids) => {
    const rows = await selectRows(
      ctx.em,
      `select x.*, ${transactionExtraColumns('x')} from ${rowsByKey('"transaction"', 'x')} ${transactionJoins('x')} where x.org_id = ?`,
      [ids, ctx.org.id],
    );
    return byKeys(ids, new Map(rows.map((row) => [toId(row.id), toTransactionRow(row)])), null);
  });
}
