import type { RequestContext } from '../context.js';
import { loadPagesForParents, type Page, type PageRequest } from '../../core/sql/paging.js';
import { selectRows } from '../../core/sql/rows.js';
import type { CustomerIdentifierType } from '../../domain/customer/customer-identifier.js';
import { customerExtraColumns, customerJoins, toCustomerRow, type CustomerRow } from '../../domain/customer/customer.rows.js';
import { IDENTIFIER_LOOKUPS, normaliseIdentifier, normaliseMobile } from '../../domain/customer/customer.service.js';
import { customerById } from './customer.loaders.js';

/*
 * Reads of customers a request makes through its loaders, so the rows they find serve the rest of
 * the operation.
 */

/** Finds a customer of the caller's org by any identifier; null when there is none. */
export async function findCustomerByIdentifier(
  ctx: RequestContext,
  type: CustomerIdentifierType,
  value: string,
): Promise<CustomerRow | null> {
  const normalised = normaliseIdentifier(type, value);
  if (!normalised) return null;
  if (type === 'USER_ID') {
    return /^[1-9][0-9]{0,15}$/.test(normalised) ? customerById(ctx).load(Number(normalised)) : null;
  }
  const rows = await selectRows<{ id: string }>(ctx.em, IDENTIFIER_LOOKUPS[type], [ctx.org.id, normalised]);
  return rows[0] ? customerById(ctx).load(Number(rows[0].id)) : null;
}


/**
 * Customers of the org in id order, optionally matching a search: an exact mobile, email or
 * external id, or a name starting with the text.
 */
export async function searchCustomers(ctx: RequestContext, search: string | null | undefined, page: PageRequest): Promise<Page<CustomerRow>> {
  const text = search?.trim() ?? '';
  const params: unknown[] = [ctx.org.id];
  let where = 'x.org_id = ?';
  if (text) {
    where += ` and (x.mobile = ? or x.email = ? or exists (select 1 from customer_external_id e where e.org_id = x.org_id and e.customer_id = x.id and e.value = ?)
      or (coalesce(x.first_name, '') || ' ' || coalesce(x.last_name, '')) ilike ? or x.last_name ilike ?)`;
    const prefix = `${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    params.push(normaliseMobile(text), text.toLowerCase(), text, prefix, prefix);
  }
  // One "parent" (the org), so the shared paging helper applies.
  const pages = await loadPagesForParents(
    ctx.em,
    {
      from: `customer x ${customerJoins('x')}`,
      extraSelect: customerExtraColumns('x'),
      parentColumn: 'org_id',
      sortColumn: 'id',
      descending: false,
      where,
      params,
      sortCast: '?::bigint',
    },
    [ctx.org.id],
    page,
  );
  const orgPage = pages.get(ctx.org.id) ?? { rows: [], hasNextPage: false };
  const customers = orgPage.rows.map(toCustomerRow);
  for (const customer of customers) customerById(ctx).prime(customer.id, customer);
  return { rows: customers, hasNextPage: orgPage.hasNextPage };
}

