import type { EntityManager } from '@mikro-orm/postgresql';
import { selectRows, type Row } from './rows.js';

/** A page request after validation: how many rows and where to start. */
export interface PageRequest {
  readonly first: number;
  /** Sort key of the last row seen (timestamp or value) and its id. */
  readonly after?: CursorKey;
}

export interface CursorKey {
  readonly sortValue: string | number;
  readonly id: number;
}

/** One page of rows for one parent, plus whether more rows follow. */
export interface Page<T> {
  readonly rows: T[];
  readonly hasNextPage: boolean;
}

export interface BatchedPageQuery {
  /** `from` clause with alias `x`, e.g. `"transaction" x`. Columns are selected as `x.*` plus `extraSelect`. */
  readonly from: string;
  readonly extraSelect?: string;
  readonly parentColumn: string;
  /** Sort column (on alias x); ties are broken by `x.id`. Both descend or both ascend. */
  readonly sortColumn: string;
  readonly descending: boolean;
  /** Further conditions with `?` placeholders (org scoping is added by the caller). */
  readonly where: string;
  readonly params: unknown[];
  /** How the sort value is compared in SQL, e.g. `?::timestamptz`. */
  readonly sortCast: string;
}

/**
 * Loads the same page (first/after) for many parents in ONE statement: a window function numbers
 * each parent's rows and we keep `first + 1` of them (the extra row tells whether a next page exists).
 */
export async function loadPagesForParents<T extends Row>(
  em: EntityManager,
  query: BatchedPageQuery,
  parentIds: readonly number[],
  page: PageRequest,
): Promise<Map<number, Page<T>>> {
  const direction = query.descending ? 'desc' : 'asc';
  const comparison = query.descending ? '<' : '>';
  const params: unknown[] = [...query.params, parentIds];
  let cursorCondition = '';
  if (page.after) {
    cursorCondition = ` and (x.${query.sortColumn}, x.id) ${comparison} (${query.sortCast}, ?::bigint)`;
    params.push(page.after.sortValue, page.after.id);
  }
  params.push(page.first + 1);
  const sql =
    `select * from (select x.*${query.extraSelect ? `, ${query.extraSelect}` : ''}, ` +
    `row_number() over (partition by x.${query.parentColumn} order by x.${query.sortColumn} ${direction}, x.id ${direction}) as page_row ` +
    `from ${query.from} where ${query.where} and x.${query.parentColumn} = any(?::bigint[])${cursorCondition}) paged ` +
    `where page_row <= ? order by ${query.parentColumn}, page_row`;
  const rows = await selectRows<T>(em, sql, params);
  const pages = new Map<number, Page<T>>();
  for (const parentId of parentIds) pages.set(parentId, { rows: [], hasNextPage: false });
  const parentKey = query.parentColumn.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  for (const row of rows) {
    const pageOfParent = pages.get(Number(row[parentKey]));
    if (!pageOfParent) continue;
    if (pageOfParent.rows.length < page.first) pageOfParent.rows.push(row);
    else pages.set(Number(row[parentKey]), { rows: pageOfParent.rows, hasNextPage: true });
  }
  return pages;
}
