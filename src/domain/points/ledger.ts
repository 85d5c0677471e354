import { selectRows, toId, toNullableDate, toNumber, writeRows } from '../../core/sql/rows.js';
import { DomainError } from '../../core/errors.js';
import type { ServiceContext } from '../context.js';
import type { FieldPath } from '../../core/input-rules.js';
import { ProgramErrorCode } from '../program/program.errors.js';
import { addTimelineEvent } from '../timeline/timeline.service.js';
import type { LedgerEntryKind } from './points.entity.js';
import { PointsErrorCode } from './points.errors.js';

/**
 * The points engine every service writes through, inside its caller's transaction.
 *
 * A positive ledger entry is a lot (points with one expiry). A debit consumes the lots that expire
 * first and records what it took from each in `points_allocation`; expiry takes what is left of a
 * lot, once (an EXPIRY entry names its lot, and that column is unique). Balances stay the sum of the
 * ledger, and since no debit takes more than the lots hold, they never go below zero.
 *
 * Every change of an owner's points in a program first locks the owner's enrolment row
 * (`lockStanding`): the functions that need the lock take the `LockedStanding` it returns.
 */

/**
 * Ledger entries (alias `alias`) that count toward lifetime points: credits earned, granted,
 * imported or rewarded by a campaign. A reversal's credit corrects an earlier debit; it was not earned.
 */
export function lifetimeCredit(alias: string): string {
  return `${alias}.points > 0 and ${alias}.kind in ('EARN', 'GOODWILL', 'IMPORT', 'CAMPAIGN')`;
}

/** What is left of a lot (alias `alias`): its points less what debits and expiry took from it. */
export function lotRest(alias: string): string {
  return `${alias}.points - coalesce((select sum(a.points) from points_allocation a where a.credit_entry_id = ${alias}.id), 0)`;
}

/** A lot (alias `alias`) due by the instant bound to the one `?` placeholder. */
export function dueLot(alias: string): string {
  return `${alias}.points > 0 and ${alias}.expires_at <= ?`;
}

/** Whose points: a customer's or a group's. */
export type PointsOwner = { readonly customerId: number } | { readonly groupId: number };

interface OwnerColumns {
  /** The ledger / enrolment column naming the owner. */
  readonly column: 'customer_id' | 'group_id';
  readonly id: number;
  readonly customerId: number | null;
  readonly groupId: number | null;
}

function ownerColumns(owner: PointsOwner): OwnerColumns {
  return 'customerId' in owner
    ? { column: 'customer_id', id: owner.customerId, customerId: owner.customerId, groupId: null }
    : { column: 'group_id', id: owner.groupId, customerId: null, groupId: owner.groupId };
}

/** An owner's enrolment in a program, locked (FOR UPDATE) until the transaction ends. */
export interface LockedStanding {
  readonly owner: PointsOwner;
  readonly programId: number;
  readonly enrollmentId: number;
  readonly tierId: number;
  readonly tierRank: number;
  readonly pointsMultiplier: number;
  readonly lifetimePurchases: number;
}

/**
 * Locks the owner's enrolment in the program, enrolling it at the base tier first if it has none.
 * Two first credits racing both try the insert; the unique constraint keeps one enrolment.
 */
export async function lockStanding(tx: ServiceContext, owner: PointsOwner, programId: number): Promise<LockedStanding> {
  const o = ownerColumns(owner);
  const select = `select e.id, e.tier_id, e.lifetime_purchases, t.rank as tier_rank, t.points_multiplier
    from loyalty_enrollment e join tier t on t.id = e.tier_id
    where e.org_id = ? and e.program_id = ? and e.${o.column} = ? for update of e`;
  let rows = await selectRows(tx.em, select, [tx.org.id, programId, o.id]);
  if (!rows[0]) {
    await writeRows(
      tx.em,
      `insert into loyalty_enrollment (org_id, program_id, customer_id, group_id, tier_id, lifetime_purchases, enrolled_at)
        select ?, ?, ?, ?, t.id, 0, ? from tier t where t.org_id = ? and t.program_id = ? and t.rank = 0
        on conflict do nothing`,
      [tx.org.id, programId, o.customerId, o.groupId, tx.clock.now(), tx.org.id, programId],
    );
    rows = await selectRows(tx.em, select, [tx.org.id, programId, o.id]);
  }
  const row = rows[0];
  if (!row) throw new DomainError(ProgramErrorCode.PROGRAM_HAS_NO_BASE_TIER, 'The loyalty program has no base tier (rank 0) to enrol in.', ['input', 'programId']);
  return {
    owner,
    programId,
    enrollmentId: toId(row.id),
    tierId: toId(row.tierId),
    tierRank: Number(row.tierRank),
    pointsMultiplier: toNumber(row.pointsMultiplier),
    lifetimePurchases: toNumber(row.lifetimePurchases),
  };
}

/** What a ledger entry says besides its owner, program and points. */
export interface EntryDetails {
  readonly reason: string | null;
  /** Where the change came from: a mutation's name, `import-job:7`, `points-expiry`. */
  readonly source: string;
  readonly transactionId?: number | null;
}

export interface LotCredit extends EntryDetails {
  readonly kind: Extract<LedgerEntryKind, 'EARN' | 'GOODWILL' | 'IMPORT' | 'REVERSAL' | 'CAMPAIGN'>;
  /** Positive. */
  readonly points: number;
  /** When the lot expires; null for never. */
  readonly expiresAt: Date | null;
  /** A CAMPAIGN lot: the campaign it rewards (one lot per campaign and customer). */
  readonly campaignId?: number | null;
}

/** Appends a lot; returns the ledger entry's id. */
export async function creditLot(tx: ServiceContext, standing: LockedStanding, credit: LotCredit): Promise<number> {
  const o = ownerColumns(standing.owner);
  const rows = await writeRows<{ id: string }>(
    tx.em,
    `insert into points_ledger_entry (org_id, program_id, customer_id, group_id, transaction_id, campaign_id, kind, points, reason, source, expires_at, created_by, created_at)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id`,
    [
      tx.org.id,
      standing.programId,
      o.customerId,
      o.groupId,
      credit.transactionId ?? null,
      credit.campaignId ?? null,
      credit.kind,
      credit.points,
      credit.reason,
      credit.source,
      credit.expiresAt,
      tx.actor,
      tx.clock.now(),
    ],
  );
  return toId(rows[0].id);
}

/** Sums of what expiry took. */
export interface ExpiryOutcome {
  readonly entries: number;
  readonly points: number;
}

/**
 * Expires what is left of the owner's lots that are due (expiry at or before the clock's now): one
 * EXPIRY entry per lot, with the allocation that empties it. A lot already expired is skipped by
 * the unique `expired_lot_id`, so running this twice, or beside the expiry job, expires nothing
 * twice. Customers see the total on their timeline.
 */
export async function expireDueLots(tx: ServiceContext, standing: LockedStanding, source = 'points-expiry'): Promise<ExpiryOutcome> {
  const o = ownerColumns(standing.owner);
  const now = tx.clock.now();
  const rows = await writeRows(
    tx.em,
    `with due as (
        select l.id, l.points - coalesce((select sum(a.points) from points_allocation a where a.credit_entry_id = l.id), 0) as rest
        from points_ledger_entry l
        where l.org_id = ? and l.program_id = ? and l.${o.column} = ? and l.points > 0 and l.expires_at <= ?
      ), expired as (
        insert into points_ledger_entry (org_id, program_id, customer_id, group_id, kind, points, reason, source, expired_lot_id, created_by, created_at)
        select ?, ?, ?, ?, 'EXPIRY', -due.rest, 'Points expired', ?, due.id, ?, ? from due where due.rest > 0
        on conflict (expired_lot_id) do nothing
        returning id, expired_lot_id, -points as points
      ), allocated as (
        insert into points_allocation (org_id, debit_entry_id, credit_entry_id, points, created_at)
        select ?, expired.id, expired.expired_lot_id, expired.points, ? from expired
        returning points
      )
      select count(*) as entries, coalesce(sum(points), 0) as points from allocated`,
    [tx.org.id, standing.programId, o.id, now, tx.org.id, standing.programId, o.customerId, o.groupId, source, tx.actor, now, tx.org.id, now],
  );
  const outcome = { entries: toNumber(rows[0]?.entries), points: toNumber(rows[0]?.points) };
  if (outcome.points > 0 && o.customerId !== null) {
    await addTimelineEvent(tx, {
      customerId: o.customerId,
      type: 'POINTS_EXPIRED',
      summary: `${outcome.points} points expired`,
      data: { points: outcome.points, programId: standing.programId },
    });
  }
  return outcome;
}

export interface LotDebit extends EntryDetails {
  readonly kind: Extract<LedgerEntryKind, 'REDEMPTION' | 'IMPORT' | 'REVERSAL' | 'TRANSFER_OUT'>;
  /** How many points to take, positive. */
  readonly points: number;
  /** Where INSUFFICIENT_POINTS points to. */
  readonly field: FieldPath;
}

/** Points a debit took from one lot, and when that lot expires (null: never). */
export interface TakenLot {
  readonly lotId: number;
  readonly points: number;
  readonly expiresAt: Date | null;
}

/** A debit written: its entry, and what it took from each lot, earliest expiry first. */
export interface DebitOutcome {
  readonly entryId: number;
  readonly taken: readonly TakenLot[];
}

interface Lot {
  readonly id: number;
  readonly rest: number;
  readonly expiresAt: Date | null;
}

/** The owner's lots with points left, in the order debits take them: earliest expiry first, never-expiring last. */
async function openLots(tx: ServiceContext, standing: LockedStanding): Promise<Lot[]> {
  const o = ownerColumns(standing.owner);
  const rows = await selectRows(
    tx.em,
    `select l.id, l.points - coalesce(a.used, 0) as rest, l.expires_at
      from points_ledger_entry l
      left join lateral (select sum(x.points) as used from points_allocation x where x.credit_entry_id = l.id) a on true
      where l.org_id = ? and l.program_id = ? and l.${o.column} = ? and l.points > 0 and l.points > coalesce(a.used, 0)
      order by l.expires_at asc nulls last, l.id asc`,
    [tx.org.id, standing.programId, o.id],
  );
  return rows.map((row): Lot => ({ id: toId(row.id), rest: toNumber(row.rest), expiresAt: toNullableDate(row.expiresAt) }));
}

/** What `points` takes from `lots`, in their order; the lots must hold at least that many. */
function takeInOrder(lots: readonly Lot[], points: number): TakenLot[] {
  const taken: TakenLot[] = [];
  let wanted = points;
  for (const lot of lots) {
    if (wanted === 0) break;
    const take = Math.min(wanted, lot.rest);
    taken.push({ lotId: lot.id, points: take, expiresAt: lot.expiresAt });
    wanted -= take;
  }
  return taken;
}

/**
 * Takes points from the owner's lots, earliest expiry first (lots that never expire last): one
 * debit entry and one allocation per lot it draws on. Due lots are expired first, so expired points
 * are never spent. Refuses (INSUFFICIENT_POINTS) to take more than the lots hold. Returns the entry
 * and the lots drawn on, so that a transfer can hand their expiries on.
 */
export async function takeFromLots(tx: ServiceContext, standing: LockedStanding, debit: LotDebit): Promise<DebitOutcome> {
  await expireDueLots(tx, standing);
  const o = ownerColumns(standing.owner);
  const lots = await openLots(tx, standing);
  const available = lots.reduce((sum, lot) => sum + lot.rest, 0);
  if (available < debit.points) {
    throw new DomainError(PointsErrorCode.INSUFFICIENT_POINTS, `Only ${available} points are available; ${debit.points} were asked for.`, debit.field);
  }
  const taken = takeInOrder(lots, debit.points);
  const now = tx.clock.now();
  const entry = await writeRows<{ id: string }>(
    tx.em,
    `insert into points_ledger_entry (org_id, program_id, customer_id, group_id, transaction_id, kind, points, reason, source, expires_at, created_by, created_at)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?, null, ?, ?) returning id`,
    [tx.org.id, standing.programId, o.customerId, o.groupId, debit.transactionId ?? null, debit.kind, -debit.points, debit.reason, debit.source, tx.actor, now],
  );
  const entryId = toId(entry[0].id);
  await writeRows(
    tx.em,
    `insert into points_allocation (org_id, debit_entry_id, credit_entry_id, points, created_at)
      select ?, ?, lot.id, lot.points, ? from unnest(?::bigint[], ?::int[]) as lot(id, points)`,
    [tx.org.id, entryId, now, taken.map((lot) => lot.lotId), taken.map((lot) => lot.points)],
  );
  return { entryId, taken };
}

/** `takeFromLots` for callers that need only the debit entry's id. */
export async function debitLots(tx: ServiceContext, standing: LockedStanding, debit: LotDebit): Promise<number> {
  return (await takeFromLots(tx, standing, debit)).entryId;
}

/** Lots handed on by a transfer: the sender's TRANSFER_OUT entry and what it took from each lot. */
export interface TransferredLots extends EntryDetails {
  readonly transferOutId: number;
  readonly taken: readonly TakenLot[];
}

/**
 * Credits the lots a transfer took from its sender to the recipient, lot by lot: one TRANSFER_IN
 * lot per lot drawn on, with that lot's points and expiry, naming the sender's TRANSFER_OUT entry.
 * Returns the new entries' ids in the order of `taken` (earliest expiry first).
 */
export async function creditTransferredLots(tx: ServiceContext, standing: LockedStanding, lots: TransferredLots): Promise<number[]> {
  const o = ownerColumns(standing.owner);
  const rows = await writeRows<{ id: string }>(
    tx.em,
    `insert into points_ledger_entry (org_id, program_id, customer_id, group_id, kind, points, reason, source, expires_at, transfer_out_id, created_by, created_at)
      select ?, ?, ?, ?, 'TRANSFER_IN', lot.points, ?, ?, lot.expires_at, ?, ?, ?
      from unnest(?::int[], ?::timestamptz[]) with ordinality as lot(points, expires_at, position)
      order by lot.position
      returning id`,
    [
      tx.org.id,
      standing.programId,
      o.customerId,
      o.groupId,
      lots.reason,
      lots.source,
      lots.transferOutId,
      tx.actor,
      tx.clock.now(),
      lots.taken.map((lot) => lot.points),
      // ISO text: an array may be inlined as a literal, where a Date would not read back.
      lots.taken.map((lot) => lot.expiresAt?.toISOString() ?? null),
    ],
  );
  return rows.map((row) => toId(row.id)).sort((a, b) => a - b);
}
