import type { ServiceContext } from '../server/context.js';

/**
 * Runs `work` in one database transaction with a context whose `em` is that transaction: every
 * write commits together or not at all (a thrown DomainError rolls it all back). Side effects
 * outside the database (publishing events) belong after this returns, never inside.
 */
export function inTransaction<C extends ServiceContext, T>(ctx: C, work: (tx: C) => Promise<T>): Promise<T> {
  return ctx.em.transactional((em) => work({ ...ctx, em }));
}
