/*
 * Transactions (purchases): the bill, its line items, the points it earns and the tier it may reach.
 *
 * How an import calls it: `addTransaction(batchCtx, { customer: { id }, store: { id }, billNumber,
 * amount, occurredAt, lineItems, groupId, source: jobCtx.actor, allowBackdating: true })` for each row, inside the
 * import's transaction (`inTransaction(jobCtx, async (batch) => ...)`). Each call nests in a
 * SAVEPOINT, so a DomainError (e.g. TRANSACTION_DUPLICATE for a bill already there: a replayed
 * row) undoes that row alone and the batch goes on. Standalone it opens its own transaction.
 */
import { DateTime } from 'luxon';
import { selectRows, toId, toNumber, writeRows } from '../../core/sql/rows.js';
import { inTransaction } from '../../core/sql/transaction.js';
import { CommonErrorCode, DomainError } from '../../core/errors.js';
import type { ServiceContext } from '../context.js';
import { recordAudit } from '../audit/audit.service.js';
import { moneyAmount, optionalText, quantity, requiredText } from '../../core/input-rules.js';
import { resolveCustomerId, type CustomerRef } from '../customer/customer.service.js';
import { eventTime } from '../org/backdating.js';
import { resolveStoreId, type StoreRef } from '../org/store.service.js';
import { creditLot, lockStanding, type LockedStanding } from '../points/ledger.js';
import { pointsExpiry, programRules, type ProgramRules } from '../program/program.service.js';
import { addTimelineEvent } from '../timeline/timeline.service.js';
import { advanceCampaigns, type CampaignCompletion } from '../campaign/campaign-progress.js';
import { assertGroupMember } from '../user-group/user-group.service.js';
import { TransactionErrorCode } from './transaction.errors.js';

/** Most line items one bill may carry. */
const MAX_LINE_ITEMS = 500;
/** Largest bill: well beyond any till, and lifetime purchases (numeric(16,2)) stay far from overflowing. */
export const MAX_BILL_AMOUNT = 100_000_000;
/** Points one entry may carry (an int column). */
const MAX_POINTS = 2_147_483_647;

export interface TransactionLineItemInput {
  readonly sku: string;
  readonly description?: string | null;
  readonly quantity: number;
  readonly amount: number;
}

export interface TransactionInput {
  readonly customer: CustomerRef;
  readonly store: StoreRef;
  /** Unique per store and business day (in the org's time zone). */
  readonly billNumber: string;
  readonly amount: number;
  /** When the purchase happened: not in the future, nor before the org's backdating window (unless `allowBackdating`). */
  readonly occurredAt: Date;
  readonly lineItems?: readonly TransactionLineItemInput[];
  /** A purchase the customer made for a group they belong to: it earns for the group. */
  readonly groupId?: number | null;
  /** Where it came from, on the ledger entry: `transactionAdd` by default, `import-job:7` for an import. */
  readonly source?: string;
  /** An import of history: `occurredAt` may lie any time in the past. */
  readonly allowBackdating?: boolean;
}

export interface TierChange {
  readonly fromTierId: number;
  readonly toTierId: number;
}

export interface TransactionResult {
  readonly transactionId: number;
  readonly customerId: number;
  readonly groupId: number | null;
  readonly pointsEarned: number;
  /** The EARN entry; null when the amount earned no points. */
  readonly ledgerEntryId: number | null;
  /** The tier the purchase lifted the earner (customer or group) to, if it crossed a threshold. */
  readonly tierUpgrade: TierChange | null;
  /** The campaigns whose goal the purchase reached, with their rewards. */
  readonly campaignsCompleted: readonly CampaignCompletion[];
}

function validLineItems(items: readonly TransactionLineItemInput[]): TransactionLineItemInput[] {
  if (items.length > MAX_LINE_ITEMS) throw new DomainError(CommonErrorCode.INVALID_INPUT, `A bill has at most ${MAX_LINE_ITEMS} line items.`, ['input', 'lineItems']);
  return items.map((item, index) => {
    const field = (name: string): string[] => ['input', 'lineItems', String(index), name];
    return {
      sku: requiredText(item.sku, field('sku'), 100),
      description: optionalText(item.description, field('description'), 500),
      quantity: quantity(item.quantity, field('quantity')),
      amount: moneyAmount(item.amount, field('amount'), { allowZero: true }),
    };
  });
}

/** The business day of a purchase: its date in the org's time zone (a bill number is unique per store and business day). */
export function businessDayOf(occurredAt: Date, timeZone: string): string {
  return DateTime.fromJSDate(occurredAt, { zone: timeZone }).toISODate()!;
}

/** Points a purchase earns: per currency unit, times the earner's tier multiplier, rounded down. */
function earnedPoints(amount: number, program: ProgramRules, standing: Pick<LockedStanding, 'pointsMultiplier'>): number {
  const cents = Math.round(amount * 100);
  // A hair over so that e.g. 0.1 × 3 lands on 0.3 and not just below it.
  return Math.floor((cents * program.pointsPerCurrencyUnit * standing.pointsMultiplier) / 100 + 1e-9);
}

/** Adds the purchase to lifetime purchases and lifts the tier to the highest whose threshold they reach. */
async function recordPurchase(tx: ServiceContext, standing: LockedStanding, amount: number): Promise<TierChange | null> {
  const [updated] = await writeRows(tx.em, 'update loyalty_enrollment set lifetime_purchases = lifetime_purchases + ? where id = ? returning lifetime_purchases', [
    amount,
    standing.enrollmentId,
  ]);
  const [higher] = await selectRows(
    tx.em,
    'select id from tier where org_id = ? and program_id = ? and purchase_threshold <= ? and rank > ? order by rank desc limit 1',
    [tx.org.id, standing.programId, toNumber(updated.lifetimePurchases), standing.tierRank],
  );
  if (!higher) return null;
  await writeRows(tx.em, 'update loyalty_enrollment set tier_id = ? where id = ?', [higher.id, standing.enrollmentId]);
  return { fromTierId: standing.tierId, toTierId: toId(higher.id) };
}

async function tierName(tx: ServiceContext, tierId: number): Promise<string> {
  const [row] = await selectRows(tx.em, 'select name from tier where id = ?', [tierId]);
  return String(row?.name);
}

/**
 * Records a purchase in the org's default program: the bill and its lines, an EARN lot expiring
 * after the program's days (counted from the purchase), the customer's campaign progress (and the
 * rewards of the goals it reaches), lifetime purchases, and a tier upgrade when a threshold is
 * crossed — for the customer, or for the group the purchase was made for.
 */
export function addTransaction(ctx: ServiceContext, input: TransactionInput): Promise<TransactionResult> {
  return inTransaction(ctx, async (tx) => {
    const billNumber = requiredText(input.billNumber, ['input', 'billNumber'], 100);
    const amount = moneyAmount(input.amount, ['input', 'amount'], { max: MAX_BILL_AMOUNT });
    const occurredAt = await eventTime(tx, input.occurredAt, ['input', 'occurredAt'], { allowBackdating: input.allowBackdating });
    const lineItems = validLineItems(input.lineItems ?? []);
    const customerId = await resolveCustomerId(tx, input.customer);
    const storeId = await resolveStoreId(tx, input.store);
    const groupId = input.groupId ?? null;
    if (groupId !== null) await assertGroupMember(tx, groupId, customerId);
    const program = await programRules(tx, null);
    const billDate = businessDayOf(occurredAt, tx.timeZone);

    const [inserted] = await writeRows<{ id: string }>(
      tx.em,
      `insert into "transaction" (org_id, customer_id, group_id, store_id, bill_number, bill_date, amount, occurred_at, created_at)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (org_id, store_id, bill_number, bill_date) do nothing returning id`,
      [tx.org.id, customerId, groupId, storeId, billNumber, billDate, amount, occurredAt, tx.clock.now()],
    );
    if (!inserted) {
      throw new DomainError(TransactionErrorCode.TRANSACTION_DUPLICATE, `The store already has bill "${billNumber}" on ${billDate}.`, ['input', 'billNumber']);
    }
    const transactionId = toId(inserted.id);
    if (lineItems.length > 0) {
      await writeRows(
        tx.em,
        `insert into transaction_line_item (org_id, transaction_id, sku, description, quantity, amount)
          select ?, ?, item.sku, item.description, item.quantity, item.amount
          from unnest(?::text[], ?::text[], ?::numeric[], ?::numeric[]) with ordinality as item(sku, description, quantity, amount, position)
          order by item.position`,
        [tx.org.id, transactionId, lineItems.map((item) => item.sku), lineItems.map((item) => item.description), lineItems.map((item) => item.quantity), lineItems.map((item) => item.amount)],
      );
    }

    const standing = await lockStanding(tx, groupId === null ? { customerId } : { groupId }, program.id);
    const points = earnedPoints(amount, program, standing);
    if (points > MAX_POINTS) throw new DomainError(CommonErrorCode.INVALID_INPUT, 'The amount would earn more points than one entry can hold.', ['input', 'amount']);
    const ledgerEntryId =
      points > 0
        ? await creditLot(tx, standing, { kind: 'EARN', points, reason: `Purchase ${billNumber}`, source: input.source ?? 'transactionAdd', expiresAt: pointsExpiry(program, occurredAt), transactionId })
        : null;
    // Campaigns judge the customer as they stood when they bought: before any upgrade this purchase brings.
    const campaignsCompleted = await advanceCampaigns(tx, {
      customerId,
      transactionId,
      amount,
      points: groupId === null ? points : 0,
      programId: program.id,
      groupId,
      occurredAt,
    });
    const tierUpgrade = await recordPurchase(tx, standing, amount);

    await addTimelineEvent(tx, {
      customerId,
      type: 'PURCHASED',
      summary: `Spent ${amount.toFixed(2)}${groupId === null ? '' : ' for a group'}, earned ${points} points`,
      data: { transactionId, billNumber, amount, points, groupId },
      occurredAt,
    });
    if (tierUpgrade && groupId === null) {
      const name = await tierName(tx, tierUpgrade.toTierId);
      await addTimelineEvent(tx, { customerId, type: 'TIER_UPGRADED', summary: `Upgraded to ${name}`, data: { ...tierUpgrade, tier: name, programId: program.id } });
    }
    await recordAudit(tx, { action: 'transactionAdd', subjectType: 'Transaction', subjectId: transactionId, details: { billNumber, amount, customerId, groupId, points, tierUpgrade, campaignsCompleted } });
    return { transactionId, customerId, groupId, pointsEarned: points, ledgerEntryId, tierUpgrade, campaignsCompleted };
  });
}
