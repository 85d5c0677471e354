import { AsyncLocalStorage } from 'node:async_hooks';

/** SQL statements counted for one GraphQL operation (or any other unit of work). */
export interface QueryStats {
  statements: number;
}

const current = new AsyncLocalStorage<QueryStats>();
let total = 0;

/** Runs `fn` with its own statement counter; every ORM statement issued inside is counted there. */
export function withQueryStats<T>(stats: QueryStats, fn: () => T): T {
  return current.run(stats, fn);
}

export function recordStatement(): void {
  total += 1;
  const stats = current.getStore();
  if (stats) stats.statements += 1;
}

/** Statements issued by this process since it started. */
export function totalStatements(): number {
  return total;
}
