import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../config/clock.js';
import type { QueryStats } from '../config/query-stats.js';
import { LoaderRegistry } from '../graphql/loaders.js';
import type { StaffRole } from '../modules/auth/api-key.entity.js';
import type { OrgRow } from '../modules/org/org.rows.js';
import type { AppRuntime } from './runtime.js';

/**
 * What domain services need: whose data (the org), who acts, a database handle and the time.
 * A request builds one per operation; a job worker rebuilds one from the job's serialized context.
 */
export interface ServiceContext {
  /** The caller's org: every read and write is scoped to it. */
  readonly org: OrgRow;
  /** Who acts, for audit columns, e.g. `api-key:12` or `import-job:7`. */
  readonly actor: string;
  /** The org's IANA time zone, in which all date-times are returned and local dates are read. */
  readonly timeZone: string;
  /** A fork of the ORM's EntityManager for this unit of work alone. */
  readonly em: EntityManager;
  readonly clock: Clock;
}

/** Everything a resolver may use; one per HTTP request or per WebSocket operation. */
export interface RequestContext extends ServiceContext {
  readonly role: StaffRole;
  readonly loaders: LoaderRegistry;
  readonly stats: QueryStats;
  /** The process's job queue and event bus. */
  readonly runtime: AppRuntime;
}

export interface Caller {
  readonly org: OrgRow;
  readonly role: StaffRole;
  readonly apiKeyId: number;
}

export function createRequestContext(caller: Caller, em: EntityManager, stats: QueryStats, runtime: AppRuntime): RequestContext {
  return {
    org: caller.org,
    role: caller.role,
    actor: `api-key:${caller.apiKeyId}`,
    timeZone: caller.org.timeZone,
    em,
    clock: runtime.clock,
    loaders: new LoaderRegistry(),
    stats,
    runtime,
  };
}
