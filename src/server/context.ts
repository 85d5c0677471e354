import type { EntityManager } from '@mikro-orm/postgresql';
import type { QueryStats } from '../config/query-stats.js';
import { LoaderRegistry } from '../graphql/loaders.js';
import type { StaffRole } from '../modules/auth/api-key.entity.js';
import type { OrgRow } from '../modules/org/org.rows.js';

/** Everything a resolver may use; one per HTTP request or per WebSocket operation. */
export interface RequestContext {
  /** The caller's org: every read and write is scoped to it. */
  readonly org: OrgRow;
  readonly role: StaffRole;
  /** Who acts, for audit columns, e.g. `api-key:12`. */
  readonly actor: string;
  /** The org's IANA time zone, in which all date-times are returned. */
  readonly timeZone: string;
  /** A fork of the ORM's EntityManager for this operation alone. */
  readonly em: EntityManager;
  readonly loaders: LoaderRegistry;
  readonly stats: QueryStats;
}

export interface Caller {
  readonly org: OrgRow;
  readonly role: StaffRole;
  readonly apiKeyId: number;
}

export function createRequestContext(caller: Caller, em: EntityManager, stats: QueryStats): RequestContext {
  return {
    org: caller.org,
    role: caller.role,
    actor: `api-key:${caller.apiKeyId}`,
    timeZone: caller.org.timeZone,
    em,
    loaders: new LoaderRegistry(),
    stats,
  };
}
