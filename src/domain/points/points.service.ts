/*
 * Points services: goodwill, spending, and ledger entries written by imports.
 *
 * How an import calls them: each takes a ServiceContext (its `actor` e.g. `import-job:7`) and a
 * plain input, and runs in a transaction of its own through `inTransaction`. Called with a context
 * whose `em` is already in a transaction (the import's batch), MikroORM nests the call in a
 * SAVEPOINT, so a DomainError for one row undoes that row's writes alone and the batch goes on:
 *
 *   await inTransaction(jobCtx, async (batch) => {
 *     for (const row of rows) {
 *       try {
 *         await appendLedgerEntry(batch, { customer: { id: row.customerId }, points: row.points, expiresAt: row.expiresAt,
 *           source: jobCtx.actor, idempotencyKey: importRowKey(jobCtx.job.id, row.number) });
 *       } catch (error) {
 *         if (!(error instanceof DomainError)) throw error;
 *         rejectRow(row, error.code, error.message);
 *       }
 *     }
 *   });
 *
 * An idempotency key per row makes a replayed job write nothing twice (the repeat returns the
 * first entry with `replayed: true`).
 */
import { selectRows, writeRows } from '../../core/sql/rows.js';
import { inTransaction } from '../../core/sql/transaction.js';
import { CommonErrorCode, DomainError } from '../../core/errors.js';
import type { ServiceContext } from '../context.js';
import { recordAudit, recordAudits } from '../audit/audit.service.js';
import { programOfCard } from '../card/card.service.js';
import { optionalText, positiveInteger, requiredText } from '../../core/input-rules.js';
import { resolveCustomerId, resolveSubjectCustomerId, type CustomerRef } from '../customer/customer.service.js';
import { runOnce, type ImportRowKey } from '../idempotency/idempotency.service.js';
import { pointsExpiry, programRules } from '../program/program.service.js';
import { addTimelineEvent } from '../timeline/timeline.service.js';
import { creditLot, debitLots, lockStanding } from './ledger.js';
import { PointsErrorCode } from './points.errors.js';

/** Largest points one entry may carry (an int column). */
const MAX_POINTS = 2_147_483_647;

/** What a change of points made. */
export interface PointsChange {
  readonly entryId: number;
  readonly customerId: number;
  readonly programId: number;
  /** True when an idempotency key repeated an earlier request: nothing was written this time. */
  readonly replayed: boolean;
}

export interface GoodwillIssue {
  readonly customer: CustomerRef;
  /** The program to credit; by default the program of the card that identifies the customer, else the org's default. */
  readonly programId?: number | null;
  readonly points: number;
  readonly reason: string;
  readonly idempotencyKey?: string | null;
  readonly source?: string;
}

async function goodwillCap(tx: ServiceContext): Promise<number> {
  // Read, not taken from ctx.org: the caller's org row may be cached from before a settings change.
  const rows = await selectRows(tx.em, 'select goodwill_points_cap from org where id = ?', [tx.org.id]);
  return Number(rows[0]?.goodwillPointsCap);
}

/**
 * Grants goodwill points: a GOODWILL lot expiring after the program's expiry days. Points must be
 * positive and within the org's cap, the reason is required; the customer is enrolled in the
 * program if it was not.
 */
export function issueGoodwillPoints(ctx: ServiceContext, issue: GoodwillIssue): Promise<PointsChange> {
  return inTransaction(ctx, async (tx) => {
    const points = positiveInteger(issue.points, ['input', 'points']);
    const reason = requiredText(issue.reason, ['input', 'reason'], 500);
    const customerId = await resolveCustomerId(tx, issue.customer);
    const program = await programRules(tx, issue.programId ?? (await programOfCard(tx, issue.customer)));
    const once = await runOnce(tx, { scope: 'goodwillPointsIssue', key: issue.idempotencyKey, input: { customerId, programId: program.id, points, reason } }, async () => {
      const cap = await goodwillCap(tx);
      if (points > cap) {
        throw new DomainError(PointsErrorCode.GOODWILL_POINTS_OVER_CAP, `A goodwill issue may grant at most ${cap} points.`, ['input', 'points']);
      }
      const standing = await lockStanding(tx, { customerId }, program.id);
      const now = tx.clock.now();
      const entryId = await creditLot(tx, standing, {
        kind: 'GOODWILL',
        points,
        reason,
        source: issue.source ?? 'goodwillPointsIssue',
        expiresAt: pointsExpiry(program, now),
      });
      await addTimelineEvent(tx, { customerId, type: 'POINTS_ISSUED', summary: `${points} goodwill points: ${reason}`, data: { points, programId: program.id, entryId } });
      await recordAudit(tx, { action: 'goodwillPointsIssue', subjectType: 'Customer', subjectId: customerId, details: { points, reason, programId: program.id, entryId } });
      return entryId;
    });
    return { entryId: once.resultId, customerId, programId: program.id, replayed: once.replayed };
  });
}

export interface PointsRedemption {
  readonly customer: CustomerRef;
  /** The program to spend in; the org's default by default. */
  readonly programId?: number | null;
  readonly points: number;
  readonly reason: string;
  readonly idempotencyKey?: string | null;
  readonly source?: string;
}

/**
 * Spends points: the lots that expire first are consumed first, and a balance never goes below
 * zero (INSUFFICIENT_POINTS instead).
 */
export function redeemPoints(ctx: ServiceContext, redemption: PointsRedemption): Promise<PointsChange> {
  return inTransaction(ctx, async (tx) => {
    const points = positiveInteger(redemption.points, ['input', 'points']);
    const reason = requiredText(redemption.reason, ['input', 'reason'], 500);
    const customerId = await resolveSubjectCustomerId(tx, redemption.customer);
    const program = await programRules(tx, redemption.programId);
    const once = await runOnce(tx, { scope: 'pointsRedeem', key: redemption.idempotencyKey, input: { customerId, programId: program.id, points, reason } }, async () => {
      const standing = await lockStanding(tx, { customerId }, program.id);
      const entryId = await debitLots(tx, standing, { kind: 'REDEMPTION', points, reason, source: redemption.source ?? 'pointsRedeem', field: ['input', 'points'] });
      await addTimelineEvent(tx, { customerId, type: 'POINTS_REDEEMED', summary: `${points} points redeemed: ${reason}`, data: { points, programId: program.id, entryId } });
      await recordAudit(tx, { action: 'pointsRedeem', subjectType: 'Customer', subjectId: customerId, details: { points, reason, programId: program.id, entryId } });
      return entryId;
    });
    return { entryId: once.resultId, customerId, programId: program.id, replayed: once.replayed };
  });
}

export interface LedgerEntryInput {
  readonly customer: CustomerRef;
  /** The org's default program by default. */
  readonly programId?: number | null;
  /** Positive credits a lot; negative takes points from the lots that expire first. */
  readonly points: number;
  readonly kind?: 'IMPORT' | 'REVERSAL';
  readonly reason?: string | null;
  /** e.g. `import-job:7`. */
  readonly source: string;
  /** For a credit: when its points expire (null: never); omitted, after the program's expiry days. */
  readonly expiresAt?: Date | null;
  readonly idempotencyKey?: string | ImportRowKey | null;
}

/**
 * Appends one entry for a customer as an import brings it (kind IMPORT by default): a credit is a
 * lot with its expiry, a debit consumes lots like any spending and cannot overdraw.
 */
export function appendLedgerEntry(ctx: ServiceContext, input: LedgerEntryInput): Promise<PointsChange> {
  return inTransaction(ctx, async (tx) => {
    if (!Number.isSafeInteger(input.points) || input.points === 0 || Math.abs(input.points) > MAX_POINTS) {
      throw new DomainError(CommonErrorCode.INVALID_INPUT, `points must be a whole number other than 0, between -${MAX_POINTS} and ${MAX_POINTS}.`, ['input', 'points']);
    }
    const magnitude = Math.abs(input.points);
    const credit = input.points > 0;
    if (!credit && input.expiresAt) throw new DomainError(CommonErrorCode.INVALID_INPUT, 'A debit has no expiry.', ['input', 'expiresAt']);
    const reason = optionalText(input.reason, ['input', 'reason'], 500);
    const source = requiredText(input.source, ['input', 'source'], 100);
    const kind = input.kind ?? 'IMPORT';
    const customerId = await resolveCustomerId(tx, input.customer);
    const program = await programRules(tx, input.programId);
    const expiresAt = input.expiresAt === undefined ? pointsExpiry(program, tx.clock.now()) : input.expiresAt;
    // The expiry as given (not as computed from the clock), so that a replay later hashes the same.
    const request = { customerId, programId: program.id, points: input.points, kind, reason, expiresAt: input.expiresAt === undefined ? 'program default' : input.expiresAt };
    const once = await runOnce(tx, { scope: 'appendLedgerEntry', key: input.idempotencyKey, input: request }, async () => {
      const standing = await lockStanding(tx, { customerId }, program.id);
      const entryId = credit
        ? await creditLot(tx, standing, { kind, points: magnitude, reason, source, expiresAt })
        : await debitLots(tx, standing, { kind, points: magnitude, reason, source, field: ['input', 'points'] });
      await recordAudit(tx, { action: 'appendLedgerEntry', subjectType: 'Customer', subjectId: customerId, details: { ...request, entryId } });
      return entryId;
    });
    return { entryId: once.resultId, customerId, programId: program.id, replayed: once.replayed };
  });
}

/** A new member's points as another system kept them: what they hold now, and all they ever earned. */
export interface OpeningBalance {
  readonly customerId: number;
  /** Points held now. */
  readonly balance: number;
  /** Points ever earned: at least the balance. */
  readonly lifetime: number;
}

/**
 * Opens the points of members who have none in the program yet (an import carrying customers
 * over), set-based, in the caller's transaction: an IMPORT credit of their lifetime points (a lot
 * expiring after the program's days), then an IMPORT debit of what they spent of it, allocated to
 * that lot. So the balance, the ledger's sum, is what they hold, and lifetime points, the sum of
 * credits, what they ever earned; the lot's rest is the balance and expires like any lot. A member
 * with entries in the program already is left as it is: opening twice writes nothing the second
 * time. Each opening is audited. Returns how many members were opened.
 */
export async function openPointsBalances(tx: ServiceContext, opening: { readonly programId?: number | null; readonly source: string; readonly members: readonly OpeningBalance[] }): Promise<number> {
  for (const member of opening.members) {
    if (!Number.isSafeInteger(member.balance) || !Number.isSafeInteger(member.lifetime) || member.balance < 0 || member.lifetime < member.balance || member.lifetime > MAX_POINTS) {
      throw new DomainError(CommonErrorCode.INVALID_INPUT, `Customer ${member.customerId}: points must be whole, not negative, lifetime at least the balance and at most ${MAX_POINTS}.`, ['input', 'members']);
    }
  }
  const members = opening.members.filter((member) => member.lifetime > 0);
  if (members.length === 0) return 0;
  const program = await programRules(tx, opening.programId);
  const now = tx.clock.now();
  const ids = members.map((member) => member.customerId);
  // Enrolled (at the base tier when new), and locked like any change of their points.
  await writeRows(
    tx.em,
    `insert into loyalty_enrollment (org_id, program_id, customer_id, tier_id, lifetime_purchases, enrolled_at)
      select ?, ?, m.id, t.id, 0, ? from unnest(?::bigint[]) as m(id) join tier t on t.org_id = ? and t.program_id = ? and t.rank = 0
      on conflict do nothing`,
    [tx.org.id, program.id, now, ids, tx.org.id, program.id],
  );
  await selectRows(tx.em, 'select id from loyalty_enrollment where org_id = ? and program_id = ? and customer_id = any(?::bigint[]) order by id for update', [tx.org.id, program.id, ids]);
  const opened = await writeRows<{ customerId: string }>(
    tx.em,
    `with member as (
        select m.customer_id, m.balance, m.lifetime from unnest(?::bigint[], ?::int[], ?::int[]) as m(customer_id, balance, lifetime)
        where not exists (select 1 from points_ledger_entry x where x.org_id = ? and x.program_id = ? and x.customer_id = m.customer_id)
      ), credit as (
        insert into points_ledger_entry (org_id, program_id, customer_id, kind, points, reason, source, expires_at, created_by, created_at)
        select ?, ?, customer_id, 'IMPORT', lifetime, 'Opening balance: lifetime points', ?, ?, ?, ? from member
        returning id, customer_id
      ), debit as (
        -- Read from the credits, so that each debit follows its credit in the ledger.
        insert into points_ledger_entry (org_id, program_id, customer_id, kind, points, reason, source, expires_at, created_by, created_at)
        select ?, ?, customer_id, 'IMPORT', m.balance - m.lifetime, 'Opening balance: points spent', ?, null, ?, ?
        from credit join member m using (customer_id) where m.lifetime > m.balance
        returning id, customer_id, -points as points
      ), allocation as (
        insert into points_allocation (org_id, debit_entry_id, credit_entry_id, points, created_at)
        select ?, debit.id, credit.id, debit.points, ? from debit join credit using (customer_id)
      )
      select customer_id from member`,
    [
      ids,
      members.map((member) => member.balance),
      members.map((member) => member.lifetime),
      tx.org.id,
      program.id,
      tx.org.id,
      program.id,
      opening.source,
      pointsExpiry(program, now),
      tx.actor,
      now,
      tx.org.id,
      program.id,
      opening.source,
      tx.actor,
      now,
      tx.org.id,
      now,
    ],
  );
  const openedIds = new Set(opened.map((row) => Number(row.customerId)));
  await recordAudits(
    tx,
    members
      .filter((member) => openedIds.has(member.customerId))
      .map(({ customerId, balance, lifetime }) => ({
        action: 'pointsOpeningBalance',
        subjectType: 'Customer',
        subjectId: customerId,
        details: { programId: program.id, balance, lifetime, source: opening.source },
      })),
  );
  return openedIds.size;
}
