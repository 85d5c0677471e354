import { selectRows, toId } from '../../core/sql/rows.js';
import { DomainError } from '../../core/errors.js';
import type { ServiceContext } from '../context.js';
import { OrgErrorCode } from './org.errors.js';

/** A store as services take it: by id, or by its code or external id (imports use either). */
export type StoreRef = { readonly id: number } | { readonly code: string };

/** The id of the org's store `ref` names; STORE_NOT_FOUND on `field` when there is none. */
export async function resolveStoreId(ctx: ServiceContext, ref: StoreRef, field: readonly string[] = ['input', 'storeCode']): Promise<number> {
  const rows =
    'id' in ref
      ? await selectRows(ctx.em, 'select id from store where org_id = ? and id = ?', [ctx.org.id, Number.isSafeInteger(ref.id) ? ref.id : 0])
      : await selectRows(ctx.em, 'select id from store where org_id = ? and (code = ? or external_id = ?) order by code = ? desc limit 1', [
          ctx.org.id,
          ref.code.trim(),
          ref.code.trim(),
          ref.code.trim(),
        ]);
  if (!rows[0]) {
    throw new DomainError(OrgErrorCode.STORE_NOT_FOUND, 'id' in ref ? 'The org has no store with that id.' : `The org has no store "${ref.code.trim()}".`, field);
  }
  return toId(rows[0].id);
}
