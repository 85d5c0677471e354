import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../config/clock.js';
import { selectRows, toId, toNullableId } from '../../db/rows.js';
import { inTransaction } from '../../db/transaction.js';
import { DomainError } from '../../graphql/user-errors.js';
import type { ServiceContext } from '../../server/context.js';
import { recordAudit } from '../audit/audit.service.js';
import { toOrgRow, type OrgRow } from '../org/org.rows.js';
import { expireDueLots, lockStanding, type PointsOwner } from './ledger.js';

/*
 * Scheduled hourly on the job queue (src/jobs/queue.ts, POINTS_EXPIRY_SCHEDULE; run in
 * src/server/runtime.ts), for all orgs. It is idempotent: a lot
 * expires at most once however often, late or concurrently the job runs, so a queue that delivers
 * twice does no harm. Spending expires an owner's due lots itself, so a late job never lets expired
 * points be spent.
 */

export interface ExpiryJobDeps {
  /** A fork of the ORM's EntityManager (never the global one). */
  readonly em: EntityManager;
  readonly clock: Clock;
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

interface DueOwner {
  readonly orgId: number;
  readonly programId: number;
  readonly owner: PointsOwner;
  readonly key: string;
}

const ACTOR = 'points-expiry';

/** Owners with lots that are due (expiry at or before `now`) and not yet emptied. */
async function dueOwners(em: EntityManager, now: Date, orgId: number | undefined, limit: number): Promise<DueOwner[]> {
  const rows = await selectRows(
    em,
    `select distinct l.org_id, l.program_id, l.customer_id, l.group_id
      from points_ledger_entry l
      where l.points > 0 and l.expires_at <= ? and (?::bigint is null or l.org_id = ?::bigint)
        and l.points > coalesce((select sum(a.points) from points_allocation a where a.credit_entry_id = l.id), 0)
      limit ?`,
    [now, orgId ?? null, orgId ?? null, limit],
  );
  return rows.map((row) => {
    const customerId = toNullableId(row.customerId);
    const owner: PointsOwner = customerId === null ? { groupId: toId(row.groupId) } : { customerId };
    return { orgId: toId(row.orgId), programId: toId(row.programId), owner, key: `${String(row.orgId)}:${String(row.programId)}:${String(row.customerId)}:${String(row.groupId)}` };
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
 * never holds one long transaction), until none is left.
 */
export async function expireDuePoints(deps: ExpiryJobDeps, options: ExpiryJobOptions = {}): Promise<ExpiryRun> {
  const now = deps.clock.now();
  const batchSize = options.batchSize ?? 500;
  const orgs = new Map<number, OrgRow>();
  const seen = new Set<string>();
  const run = { owners: 0, entries: 0, points: 0, failed: 0 };
  for (;;) {
    const fresh = (await dueOwners(deps.em, now, options.orgId, batchSize)).filter((due) => !seen.has(due.key));
    if (fresh.length === 0) return run;
    for (const due of fresh) {
      seen.add(due.key);
      const ctx = await orgContext(deps, orgs, due.orgId);
      try {
        const outcome = await inTransaction(ctx, async (tx) => {
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
        run.owners += 1;
        run.entries += outcome.entries;
        run.points += outcome.points;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        run.failed += 1;
      }
    }
  }
}
