import pg from 'pg';

/**
 * A small pool of its own beside the ORM's, for a component that must not take (or wait for) a
 * request's connection: rate limits, readiness checks. `application_name` names it in
 * `pg_stat_activity`, so each process's connections can be told apart and counted.
 *
 * A connection the database drops while idle (a restart, an outage) raises `error` on the pool;
 * with no listener that error would end the process. The pool has already discarded the
 * connection: the next query connects again, and fails on its own if the database is still away.
 */
export function sidePool(connectionString: string, applicationName: string, options: Omit<pg.PoolConfig, 'connectionString' | 'application_name'> = {}): pg.Pool {
  const pool = new pg.Pool({ max: 2, ...options, connectionString, application_name: applicationName });
  pool.on('error', () => undefined);
  return pool;
}
