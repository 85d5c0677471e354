import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../core/clock.js';
import { selectRows, toId, toNullableId } from '../../core/sql/rows.js';
import { inTransaction } from '../../core/sql/transaction.js';
import { DomainError } from '../../core/errors.js';
import type { ServiceContext } from '../context.js';
import { recordAudit } from '../audit/audit.service.js';
import { toOrgRow, type OrgRow } from '../org/org.rows.js';
import { expireDueLots, lockStanding, type ExpiryOutcome, type PointsOwner } from './ledger.js';

/*
 * Scheduled hourly on the job queue (src/app/jobs/queue.ts, POINTS_EXPIRY_SCHEDULE; run in
 * src/app/server/runtime.ts), for all orgs. It is idempotent: a lot
 * expires at most once however often, late or concurrently the job runs, so a queue that delivers
 * twice does no harm. Spending expires an owner's due lots itself, so a late job never lets expired
 * points be spent.
 */

export interface ExpiryJobDeps {
  /** A fork of the ORM's EntityManager (never the global one). */
  readonly em: EntityManager;
  readonly clock: Clock;
  /** Where an owner that could not be processed is reported; default: stderr. */
  readonly log?: (message: string, error?: unknown) => void;
}

export interface ExpiryJobOptions {
  /** Only this org's points; all orgs by default. */
  readonly orgId?: number;
  /** Owners looked up per round. */
  readonly batchSize?: number;
}

export interface ExpiryRun {
  /** Owner × program standings that had due points. */
  readonly owners: number;
  /** EXPIRY entries written. */
  readonly entries: number;
  readonly points: number;
  /** Owners that could not be processed (e.g. a program without a base tier), left for a later run. */
  readonly failed: number;
}

/** Where the walk over due owners is: past this org, program and owner (0 for "none"). */
interface OwnerCursor {
  readonly orgId: number;
  readonly programId: number;
  readonly customerId: number;
  readonly groupId: number;
}

interface DueOwner {
  readonly orgId: number;
  readonly programId: number;
  readonly owner: PointsOwner;
  readonly cursor: OwnerCursor;
}

const ACTOR = 'points-expiry';
const START: OwnerCursor = { orgId: 0, programId: 0, customerId: 0, groupId: 0 };

/**
 * Owners with lots that are due (expiry at or before `now`) and not yet emptied, in a fixed order
 * (org, program, owner) after `after`. The walk only moves forward, so an owner that fails is
 * passed, never fetched again in the same run, and cannot fill every batch and starve the rest.
 */
async function dueOwners(em: EntityManager, now: Date, orgId: number | undefined, after: OwnerCursor, limit: number): Promise<DueOwner[]> {
  const rows = await selectRows(
    em,
    `select l.org_id, l.program_id, l.customer_id, l.group_id
      from points_ledger_entry l
      where l.points > 0 and l.expires_at <= ? and (?::bigint is null or l.org_id = ?::bigint)
        and (l.org_id, l.program_id, coalesce(l.customer_id, 0), coalesce(l.group_id, 0)) > (?, ?, ?, ?)
        and l.points > coalesce((select sum(a.points) from points_allocation a where a.credit_entry_id = l.id), 0)
      group by l.org_id, l.program_id, l.customer_id, l.group_id
      order by l.org_id, l.program_id, coalesce(l.customer_id, 0), coalesce(l.group_id, 0)
      limit ?`,
    [now, orgId ?? null, orgId ?? null, after.orgId, after.programId, after.customerId, after.groupId, limit],
  );
  return rows.map((row) => {
    const customerId = toNullableId(row.customerId);
    const groupId = toNullableId(row.groupId);
    const owner: PointsOwner = customerId === null ? { groupId: toId(row.groupId) } : { customerId };
    const cursor = { orgId: toId(row.orgId), programId: toId(row.programId), customerId: customerId ?? 0, groupId: groupId ?? 0 };
    return { orgId: cursor.orgId, programId: cursor.programId, owner, cursor };
  });
}

async function orgContext(deps: ExpiryJobDeps, orgs: Map<number, OrgRow>, orgId: number): Promise<ServiceContext> {
  let org = orgs.get(orgId);
  if (!org) {
    const rows = await selectRows(deps.em, 'select * from org where id = ?', [orgId]);
    org = toOrgRow(rows[0]);
    orgs.set(orgId, org);
  }
  return { org, actor: ACTOR, timeZone: org.timeZone, em: deps.em, clock: deps.clock };
}

/**
 * Expires every lot due by the clock's now, one owner and program per transaction (so a backlog
 * never holds one long transaction), in order, until none is left. An owner whose expiry fails
 * (a domain rule, a database error on its rows) is logged, counted and left for the next run; the
 * others go on. Only a failure to find the work ends the run.
 */
export async function expireDuePoints(deps: ExpiryJobDeps, options: ExpiryJobOptions = {}): Promise<ExpiryRun> {
  const now = deps.clock.now();
  const batchSize = options.batchSize ?? 500;
  const log = deps.log ?? ((message: string, error?: unknown) => console.error(message, error));
  const orgs = new Map<number, OrgRow>();
  const run = { owners: 0, entries: 0, points: 0, failed: 0 };
  let after = START;
  for (;;) {
    const batch = await dueOwners(deps.em, now, options.orgId, after, batchSize);
    if (batch.length === 0) return run;
    for (const due of batch) {
      after = due.cursor;
      try {
        const outcome = await expireOwner(deps, orgs, due);
        run.owners += 1;
        run.entries += outcome.entries;
        run.points += outcome.points;
      } catch (error) {
        run.failed += 1;
        const who = 'customerId' in due.owner ? `customer ${due.owner.customerId}` : `group ${due.owner.groupId}`;
        log(`Points expiry: ${who} of org ${due.orgId}, program ${due.programId} could not be processed; left for the next run`, error instanceof DomainError ? error.message : error);
      }
    }
  }
}

async function expireOwner(deps: ExpiryJobDeps, orgs: Map<number, OrgRow>, due: DueOwner): Promise<ExpiryOutcome> {
  const ctx = await orgContext(deps, orgs, due.orgId);
  return inTransaction(ctx, async (tx) => {
    const standing = await lockStanding(tx, due.owner, due.programId);
    const expired = await expireDueLots(tx, standing, ACTOR);
    if (expired.entries > 0) {
      await recordAudit(tx, {
        action: 'pointsExpire',
        subjectType: 'customerId' in due.owner ? 'Customer' : 'UserGroup',
        subjectId: 'customerId' in due.owner ? due.owner.customerId : due.owner.groupId,
        details: { programId: due.programId, ...expired },
      });
    }
    return expired;
  });
}
