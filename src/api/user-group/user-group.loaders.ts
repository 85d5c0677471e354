import { loadPagesForParents, type Page, type PageRequest } from '../../core/sql/paging.js';
import { rowsByKey, selectRows, toId } from '../../core/sql/rows.js';
import { byKeys, groupBy } from '../loaders.js';
import type { RequestContext } from '../context.js';
import { customerExtraColumns, customerJoins, toCustomerRow } from '../../domain/customer/customer.rows.js';
import { toUserGroupRow, type GroupMemberRow, type UserGroupRow } from '../../domain/user-group/user-group.rows.js';

/** Groups of the caller's org by id; an id of another org loads as null. */
export function userGroupById(ctx: RequestContext) {
  return ctx.loaders.get<number, UserGroupRow | null>('userGroup.byId', async (ids) => {
    const rows = await selectRows(ctx.em, `select g.* from ${rowsByKey('user_group', 'g')} where g.org_id = ?`, [ids, ctx.org.id]);
    return byKeys(ids, new Map(rows.map((row) => [toId(row.id), toUserGroupRow(row)])), null);
  });
}

/** The groups each customer is a member of, by group id: one statement for any number of customers. */
export function groupsOfCustomer(ctx: RequestContext) {
  return ctx.loaders.get<number, UserGroupRow[]>('userGroup.ofCustomer', async (customerIds) => {
    const rows = await selectRows(
      ctx.em,
      `select g.*, m.customer_id as member_customer_id
        from user_group_member m join user_group g on g.id = m.group_id and g.org_id = m.org_id
        where m.org_id = ? and m.customer_id = any(?::bigint[])
        order by g.id`,
      [ctx.org.id, customerIds],
    );
    const grouped = groupBy(rows, (row) => toId(row.memberCustomerId));
    return customerIds.map((id) => (grouped.get(id) ?? []).map(toUserGroupRow));
  });
}

/**
 * `x` is each member's customer row (so it keeps the customer's own column names, read like the
 * customer loader reads them) plus the membership's group and id, which the page is sorted by.
 */
const MEMBER_CUSTOMERS = `(select c.*, m.group_id, m.id as membership_id
    from user_group_member m join customer c on c.id = m.customer_id and c.org_id = m.org_id
    where m.org_id = ?) x`;

/** A page of each group's members in membership order: one statement for any number of groups. */
export function membersOfGroup(ctx: RequestContext, page: PageRequest) {
  return ctx.loaders.get<number, Page<GroupMemberRow>>(`userGroup.members:${JSON.stringify(page)}`, async (groupIds) => {
    const pages = await loadPagesForParents(
      ctx.em,
      {
        from: `${MEMBER_CUSTOMERS} ${customerJoins('x')}`,
        extraSelect: customerExtraColumns('x'),
        parentColumn: 'group_id',
        sortColumn: 'membership_id',
        descending: false,
        where: 'x.org_id = ?',
        params: [ctx.org.id, ctx.org.id],
        sortCast: '?::bigint',
      },
      groupIds,
      page,
    );
    return groupIds.map((id): Page<GroupMemberRow> => {
      const found = pages.get(id) ?? { rows: [], hasNextPage: false };
      return { rows: found.rows.map((row) => ({ ...toCustomerRow(row), membershipId: toId(row.membershipId) })), hasNextPage: found.hasNextPage };
    });
  });
}
