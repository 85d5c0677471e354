import { rowsByKey, selectRows, toId } from '../../core/sql/rows.js';
import { byKeys } from '../loaders.js';
import type { RequestContext } from '../context.js';
import { toOrgRow, toStoreRow, type OrgRow, type StoreRow } from '../../domain/org/org.rows.js';

export function storeById(ctx: RequestContext) {
  return ctx.loaders.get<number, StoreRow | null>('store.byId', async (ids) => {
    const rows = await selectRows(ctx.em, `select s.* from ${rowsByKey('store', 's')} where s.org_id = ?`, [ids, ctx.org.id]);
    return byKeys(ids, new Map(rows.map((row) => [toId(row.id), toStoreRow(row)])), null);
  });
}

/** The caller's org as stored now (the org on the context may be cached from before a settings change). */
export function currentOrg(ctx: RequestContext) {
  return ctx.loaders.get<number, OrgRow | null>('org.current', async (ids) => {
    const rows = await selectRows(ctx.em, 'select * from org where id = ?', [ctx.org.id]);
    const org = rows[0] ? toOrgRow(rows[0]) : null;
    return ids.map((id) => (id === ctx.org.id ? org : null));
  });
}
