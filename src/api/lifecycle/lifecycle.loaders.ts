import { loadPagesForParents, type Page, type PageRequest } from '../../core/sql/paging.js';
import type { RequestContext } from '../context.js';
import { toRegistrationEventRow, type RegistrationEventRow } from '../../domain/lifecycle/lifecycle.rows.js';

/** A page of each customer's registration events, most recently updated first: one statement per page request. */
export function registrationEventsOfCustomer(ctx: RequestContext, page: PageRequest) {
  return ctx.loaders.get<number, Page<RegistrationEventRow>>(`registrationEvent.ofCustomer:${JSON.stringify(page)}`, async (customerIds) => {
    const pages = await loadPagesForParents(
      ctx.em,
      {
        from: 'customer_lifecycle_event x',
        parentColumn: 'customer_id',
        sortColumn: 'updated_on',
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
      return { rows: found.rows.map(toRegistrationEventRow), hasNextPage: found.hasNextPage };
    });
  });
}
