import { loadPagesForParents, type Page, type PageRequest } from '../../core/sql/paging.js';
import { rowsByKey, selectRows, toId } from '../../core/sql/rows.js';
import { byKeys } from '../loaders.js';
import type { RequestContext } from '../context.js';
import type { InteractionChannel } from '../../domain/interaction/interaction.entity.js';
import { toInteractionRow, type InteractionRow } from '../../domain/interaction/interaction.rows.js';

/**
 * A page of each customer's messages, newest sentAt first, optionally of one channel: one statement
 * per (channel, page request). The channel is part of the key so differently filtered lists never share a batch.
 */
export function interactionsOfCustomer(ctx: RequestContext, channel: InteractionChannel | null, page: PageRequest) {
  return ctx.loaders.get<number, Page<InteractionRow>>(
    `interaction.ofCustomer:${channel ?? '*'}:${JSON.stringify(page)}`,
    async (customerIds) => {
      const pages = await loadPagesForParents(
        ctx.em,
        {
          from: 'interaction x',
          parentColumn: 'customer_id',
          sortColumn: 'sent_at',
          descending: true,
          where: channel ? 'x.org_id = ? and x.channel = ?' : 'x.org_id = ?',
          params: channel ? [ctx.org.id, channel] : [ctx.org.id],
          sortCast: '?::timestamptz',
        },
        customerIds,
        page,
      );
      return customerIds.map((id) => {
        const found = pages.get(id) ?? { rows: [], hasNextPage: false };
        return { rows: found.rows.map(toInteractionRow), hasNextPage: found.hasNextPage };
      });
    },
  );
}

export function interactionById(ctx: RequestContext) {
  return ctx.loaders.get<number, InteractionRow | null>('interaction.byId', async (ids) => {
    const rows = await selectRows(ctx.em, `select i.* from ${rowsByKey('interaction', 'i')} where i.org_id = ?`, [ids, ctx.org.id]);
    return byKeys(ids, new Map(rows.map((row) => [toId(row.id), toInteractionRow(row)])), null);
  });
}
