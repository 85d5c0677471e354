import type { EntityManager } from '@mikro-orm/postgresql';
import { withDeferredWrites } from './deferred-writes.js';

/**
 * Runs `work` in one database transaction with a context whose `em` is that transaction: every
 * write commits together or not at all (a thrown DomainError rolls it all back). Side effects
 * outside the database (publishing events) belong after this returns, never inside.
 *
 * Called with a context that is already in a transaction (an import's batch calling a service
 * per row), MikroORM nests: `em.transactional` defaults to TransactionPropagation.NESTED, which runs
 * `work` in a SAVEPOINT (see @mikro-orm/core TransactionManager). A throw rolls back to the
 * savepoint only, so the caller may catch a row's DomainError and carry on with the batch;
 * nothing commits before the outermost transaction does. test/points.test.ts proves it.
 *
 * Writes deferred with `deferWrite` (audit entries, idempotency results) go to PostgreSQL in one
 * statement when `work` returns, before the commit or the savepoint's release.
 */
export function inTransaction<C extends { readonly em: EntityManager }, T>(ctx: C, work: (tx: C) => Promise<T>): Promise<T> {
  return ctx.em.transactional((em) => withDeferredWrites(em, () => work({ ...ctx, em })));
}
