import { selectRows, toId } from '../../db/rows.js';
import { byKeys } from '../../graphql/loaders.js';
import type { RequestContext } from '../../server/context.js';
import { toStoreRow, type StoreRow } from './org.rows.js';

export function storeById(ctx: RequestContext) {
  return ctx.loaders.get<number, StoreRow | null>('store.byId', async (ids) => {
    const rows = await selectRows(ctx.em, 'select * from store where org_id = ? and id = any(?::bigint[])', [ctx.org.id, ids]);
    return byKeys(ids, new Map(rows.map((row) => [toId(row.id), toStoreRow(row)])), null);
  });
}
