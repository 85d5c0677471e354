/*
 * Points moved from one customer to another of the same org, in one program.
 *
 * One transaction writes both sides: the sender's TRANSFER_OUT debit takes the lots that expire
 * first, and the recipient gets one TRANSFER_IN lot per lot drawn on, with its points and expiry,
 * so points keep the life they had. Both customers' enrolments are locked, in id order, before
 * anything is read: concurrent transfers from one sender queue behind each other and cannot
 * overdraw, and two customers sending to each other cannot deadlock.
 */
import { selectRows } from '../../core/sql/rows.js';
import { inTransaction } from '../../core/sql/transaction.js';
import { DomainError } from '../../core/errors.js';
import { positiveInteger } from '../../core/input-rules.js';
import type { ServiceContext } from '../context.js';
import { recordAudits } from '../audit/audit.service.js';
import { resolveCustomerId, type CustomerRef } from '../customer/customer.service.js';
import { runOnce } from '../idempotency/idempotency.service.js';
import { programRules } from '../program/program.service.js';
import { addTimelineEvent } from '../timeline/timeline.service.js';
import { creditTransferredLots, lockStanding, takeFromLots, type LockedStanding } from './ledger.js';
import { PointsErrorCode } from './points.errors.js';

export interface PointsTransfer {
  /**
   * The sender, resolved by the caller: the customer a staff key names in `input.from`, or the
   * customer a customer's token acts for. Checked to be the org's (CUSTOMER_NOT_FOUND on `input.from`).
   */
  readonly fromCustomerId: number;
  /** The recipient, a customer of the same org (CUSTOMER_NOT_FOUND on `input.to` otherwise). */
  readonly to: CustomerRef;
  /** The program the points move in; the org's default by default. */
  readonly programId?: number | null;
  readonly points: number;
  readonly idempotencyKey?: string | null;
  readonly source?: string;
}

/** What a transfer moved (or, for a repeated key, moved the first time). */
export interface PointsTransferResult {
  /** The sender's TRANSFER_OUT entry; the recipient's TRANSFER_IN lots name it. */
  readonly transferOutId: number;
  readonly fromCustomerId: number;
  readonly toCustomerId: number;
  readonly programId: number;
  /** True when an idempotency key repeated an earlier request: nothing was written this time. */
  readonly replayed: boolean;
}

async function transferCap(tx: ServiceContext): Promise<number> {
  // Read, not taken from ctx.org: the caller's org row may be cached from before a settings change.
  const rows = await selectRows(tx.em, 'select points_transfer_cap from org where id = ?', [tx.org.id]);
  return Number(rows[0]?.pointsTransferCap);
}

/** Locks both customers' enrolments in the program, the lower id first; returns [sender's, recipient's]. */
async function lockBoth(tx: ServiceContext, fromCustomerId: number, toCustomerId: number, programId: number): Promise<[LockedStanding, LockedStanding]> {
  if (fromCustomerId < toCustomerId) {
    const from = await lockStanding(tx, { customerId: fromCustomerId }, programId);
    return [from, await lockStanding(tx, { customerId: toCustomerId }, programId)];
  }
  const to = await lockStanding(tx, { customerId: toCustomerId }, programId);
  return [await lockStanding(tx, { customerId: fromCustomerId }, programId), to];
}

/**
 * Moves points from one customer to another of the org: earliest-expiring lots first, the
 * recipient's lots keeping their expiry; idempotent by key. Refused with CUSTOMER_NOT_FOUND (an
 * unknown sender or recipient, another org's included), POINTS_TRANSFER_TO_SELF,
 * POINTS_TRANSFER_OVER_CAP (`Org.pointsTransferCap`) or INSUFFICIENT_POINTS, writing nothing.
 */
export function transferPoints(ctx: ServiceContext, transfer: PointsTransfer): Promise<PointsTransferResult> {
  return inTransaction(ctx, async (tx) => {
    const points = positiveInteger(transfer.points, ['input', 'points']);
    const fromCustomerId = await resolveCustomerId(tx, { id: transfer.fromCustomerId }, ['input', 'from']);
    const toCustomerId = await resolveCustomerId(tx, transfer.to, ['input', 'to']);
    if (toCustomerId === fromCustomerId) {
      throw new DomainError(PointsErrorCode.POINTS_TRANSFER_TO_SELF, 'Points cannot be transferred to the customer they come from.', ['input', 'to']);
    }
    const program = await programRules(tx, transfer.programId);
    const request = { fromCustomerId, toCustomerId, programId: program.id, points };
    const once = await runOnce(tx, { scope: 'pointsTransfer', key: transfer.idempotencyKey, input: request }, async () => {
      const cap = await transferCap(tx);
      if (points > cap) {
        throw new DomainError(PointsErrorCode.POINTS_TRANSFER_OVER_CAP, `A transfer may move at most ${cap} points.`, ['input', 'points']);
      }
      const [sender, recipient] = await lockBoth(tx, fromCustomerId, toCustomerId, program.id);
      const source = transfer.source ?? 'pointsTransfer';
      const debit = await takeFromLots(tx, sender, { kind: 'TRANSFER_OUT', points, reason: 'Points given to another customer', source, field: ['input', 'points'] });
      const creditIds = await creditTransferredLots(tx, recipient, { transferOutId: debit.entryId, taken: debit.taken, reason: 'Points received from another customer', source });
      await addTimelineEvent(tx, {
        customerId: fromCustomerId,
        type: 'POINTS_TRANSFERRED_OUT',
        summary: `${points} points given to another customer`,
        data: { points, programId: program.id, entryId: debit.entryId, toCustomerId },
      });
      await addTimelineEvent(tx, {
        customerId: toCustomerId,
        type: 'POINTS_TRANSFERRED_IN',
        summary: `${points} points received from another customer`,
        data: { points, programId: program.id, entryIds: creditIds, fromCustomerId },
      });
      const details = { ...request, transferOutId: debit.entryId, transferInIds: creditIds };
      await recordAudits(tx, [
        { action: 'pointsTransfer', subjectType: 'Customer', subjectId: fromCustomerId, details },
        { action: 'pointsTransfer', subjectType: 'Customer', subjectId: toCustomerId, details },
      ]);
      return debit.entryId;
    });
    return { transferOutId: once.resultId, fromCustomerId, toCustomerId, programId: program.id, replayed: once.replayed };
  });
}
