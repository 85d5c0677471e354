import type { EntityManager } from '@mikro-orm/postgresql';
import { writeRows } from './rows.js';

/**
 * Writes whose results nobody reads before commit (an audit entry, an idempotency key's result)
 * wait for the end of their transaction and go to PostgreSQL together, as ONE statement: each
 * write a data-modifying CTE (`with w0 as (insert …), w1 as (update …) select 1`). A mutation
 * that audits and keeps an idempotency key makes one round trip for both instead of two.
 *
 * Only `inTransaction` opens a list, for its own EntityManager (a transaction or a savepoint), and
 * flushes it when its work returns, before the commit or the savepoint's release; work that throws
 * takes its list with it, as the rollback takes its other writes. Anywhere else (a transaction
 * opened with `em.transactional` directly, no transaction at all) a deferred write runs at once.
 *
 * What may be deferred: an INSERT, UPDATE or DELETE without RETURNING, that no later statement of
 * the same transaction reads, and that touches rows no other deferred write of the transaction
 * touches (PostgreSQL runs the CTEs of one statement on one snapshot, in no set order).
 */
interface DeferredWrite {
  readonly sql: string;
  readonly params: readonly unknown[];
}

const lists = new WeakMap<EntityManager, DeferredWrite[]>();

/** Runs `write` at the end of `em`'s transaction with the other deferred writes, or now when `em` keeps no list. */
export async function deferWrite(em: EntityManager, sql: string, params: readonly unknown[]): Promise<void> {
  const list = lists.get(em);
  if (list) list.push({ sql, params });
  else await writeRows(em, sql, [...params]);
}

/**
 * Opens `em`'s list for the duration of `work`, then flushes it (in `em`'s transaction). The list
 * an outer call kept for the same EntityManager comes back afterwards.
 */
export async function withDeferredWrites<T>(em: EntityManager, work: () => Promise<T>): Promise<T> {
  const outer = lists.get(em);
  const list: DeferredWrite[] = [];
  lists.set(em, list);
  try {
    const result = await work();
    lists.delete(em);
    await flush(em, list);
    return result;
  } finally {
    if (outer) lists.set(em, outer);
    else lists.delete(em);
  }
}

async function flush(em: EntityManager, list: readonly DeferredWrite[]): Promise<void> {
  if (list.length === 0) return;
  if (list.length === 1) {
    await writeRows(em, list[0]!.sql, [...list[0]!.params]);
    return;
  }
  const ctes = list.map((write, index) => `w${index} as (${write.sql})`);
  await writeRows(em, `with ${ctes.join(', ')} select 1`, list.flatMap((write) => write.params));
}
