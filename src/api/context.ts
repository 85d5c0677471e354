import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Clock } from '../core/clock.js';
import type { QueryStats } from '../core/sql/query-stats.js';
import { LoaderRegistry } from './loaders.js';
import type { StaffRole } from '../domain/auth/api-key.entity.js';
import type { Caller } from '../domain/auth/caller.js';
import type { CustomerGrant } from '../domain/oauth/customer-grant.js';
import type { OrgRow } from '../domain/org/org.rows.js';
import type { ServiceContext } from '../domain/context.js';
import type { EventBus } from '../core/event-bus.js';
import type { ImportLimits, ImportQueue } from '../import/import-queue.js';
import type { EmailSettings } from '../domain/message/email.service.js';
import type { ImportRuntime } from '../import/pipeline/runner.js';
import type { MessageQueue } from '../domain/message/message-queue.js';
import type { InteractionNotifier } from '../domain/message/message-events.js';

/** What a request may use of the process it runs in (the app's runtime provides it). */
export interface ApiRuntime {
  readonly orm: MikroORM;
  readonly clock: Clock;
  readonly events: EventBus;
  readonly queue: ImportQueue & MessageQueue;
  readonly imports: ImportRuntime;
  readonly config: ImportLimits & EmailSettings;
  readonly notifyInteraction: InteractionNotifier;
}

/** Everything a resolver may use; one per HTTP request or per WebSocket operation. */
export interface RequestContext extends ServiceContext {
  /** The staff key's role; a customer's token holds the rights of none (it reads as VIEWER to every staff check). */
  readonly role: StaffRole;
  /** Set for a customer's access token: who, through which app, within which scopes (`customer-access.ts` says what it may select). */
  readonly customer?: CustomerGrant;
  readonly loaders: LoaderRegistry;
  readonly stats: QueryStats;
  /** The process's job queue and event bus. */
  readonly runtime: ApiRuntime;
}

/** The context of a customer's request: their org, acting on their own record alone, read-only to every staff check. */
export function createCustomerRequestContext(grant: CustomerGrant, org: OrgRow, em: EntityManager, stats: QueryStats, runtime: ApiRuntime): RequestContext {
  return {
    org,
    role: 'VIEWER',
    customer: grant,
    ownCustomerId: grant.customerId,
    actor: `customer:${grant.customerId}@oauth-client:${grant.clientId}`,
    timeZone: org.timeZone,
    em,
    clock: runtime.clock,
    loaders: new LoaderRegistry(),
    stats,
    runtime,
  };
}

export function createRequestContext(caller: Caller, em: EntityManager, stats: QueryStats, runtime: ApiRuntime): RequestContext {
  return {
    org: caller.org,
    role: caller.role,
    actor: caller.actor,
    timeZone: caller.org.timeZone,
    em,
    clock: runtime.clock,
    loaders: new LoaderRegistry(),
    stats,
    runtime,
  };
}
