import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../core/clock.js';
import type { OrgRow } from './org/org.rows.js';

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
  /**
   * Set when a customer acts for themselves (an OAuth access token): the only customer a service
   * may act on as its subject (`resolveSubjectCustomerId`); any other is simply not found.
   */
  readonly ownCustomerId?: number;
}
