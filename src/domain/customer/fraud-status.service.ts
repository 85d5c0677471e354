/*
 * A customer's fraud status, for `customerFraudStatusUpdate` and the Fraud Status import profile.
 *
 * How an import calls it: it checks and resolves its rows set-based, then applies a batch with
 * `applyFraudStatusChanges(batchCtx, changes)` in the batch's transaction: the same rule and writes
 * as `updateFraudStatus`, which applies one change. The refused changes come back by index.
 */
import { selectRows, toId, writeRows } from '../../core/sql/rows.js';
import { inTransaction } from '../../core/sql/transaction.js';
import { CommonErrorCode, DomainError } from '../../core/errors.js';
import type { ServiceContext } from '../context.js';
import { recordAudits } from '../audit/audit.service.js';
import { requiredText } from '../../core/input-rules.js';
import { resolveStoreId, type StoreRef } from '../org/store.service.js';
import { FRAUD_STATUSES, type FraudStatus } from './customer.entity.js';
import { CustomerErrorCode } from './customer.errors.js';
import { resolveCustomerId, type CustomerRef } from './customer.service.js';

/** Longest fraud reason. */
export const FRAUD_REASON_MAX_LENGTH = 500;

export interface FraudStatusChange {
  readonly customer: CustomerRef;
  readonly status: FraudStatus;
  /** Why (required, as the import profile requires it). */
  readonly reason: string;
  /** The store the change is attributed to, if any. */
  readonly store?: StoreRef | null;
}

/** RECONFIRMED confirms a confirmed fraud again; every other status may be set from any. */
function assertTransition(from: FraudStatus | null, to: FraudStatus): void {
  if (to === 'RECONFIRMED' && from !== 'CONFIRMED' && from !== 'RECONFIRMED') {
    throw new DomainError(
      CustomerErrorCode.FRAUD_STATUS_TRANSITION_INVALID,
      `Only a CONFIRMED fraud can be RECONFIRMED; the customer is ${from ?? 'not assessed'}.`,
      ['input', 'status'],
    );
  }
}

/** Sets the customer's fraud status and reason; returns the customer's id. */
export function updateFraudStatus(ctx: ServiceContext, change: FraudStatusChange): Promise<{ customerId: number }> {
  return inTransaction(ctx, async (tx) => {
    if (!FRAUD_STATUSES.includes(change.status)) {
      throw new DomainError(CommonErrorCode.INVALID_INPUT, `status must be one of ${FRAUD_STATUSES.join(', ')}.`, ['input', 'status']);
    }
    const reason = requiredText(change.reason, ['input', 'reason'], FRAUD_REASON_MAX_LENGTH);
    const customerId = await resolveCustomerId(tx, change.customer);
    const storeId = change.store ? await resolveStoreId(tx, change.store) : null;
    const refused = await applyFraudStatusChanges(tx, [{ customerId, status: change.status, reason, storeId }]);
    const refusal = refused.get(0);
    if (refusal) throw refusal;
    return { customerId };
  });
}

/** A fraud status change to apply: its values checked, its customer (and store) the org's. */
export interface FraudChange {
  readonly customerId: number;
  readonly status: FraudStatus;
  readonly reason: string;
  readonly storeId: number | null;
}

/**
 * Applies fraud status changes in order, in the caller's transaction, set-based: the customers'
 * rows are locked; each change must be a transition from the status before it (the customer's
 * earlier change in the list, or its stored status); the accepted ones are written (a customer
 * ends on its last) and audited. Returns the refused changes by their index in the list.
 */
export async function applyFraudStatusChanges(tx: ServiceContext, changes: readonly FraudChange[]): Promise<Map<number, DomainError>> {
  const refused = new Map<number, DomainError>();
  if (changes.length === 0) return refused;
  const ids = [...new Set(changes.map((change) => change.customerId))].sort((a, b) => a - b);
  const locked = await selectRows<{ id: string; fraudStatus: FraudStatus | null }>(
    tx.em,
    'select id, fraud_status from customer where org_id = ? and id = any(?::bigint[]) order by id for update',
    [tx.org.id, ids],
  );
  const current = new Map(locked.map((row) => [toId(row.id), row.fraudStatus]));
  const accepted: { change: FraudChange; from: FraudStatus | null }[] = [];
  changes.forEach((change, index) => {
    if (!current.has(change.customerId)) {
      refused.set(index, new DomainError(CustomerErrorCode.CUSTOMER_NOT_FOUND, `No customer has id ${change.customerId}.`, ['input', 'customer']));
      return;
    }
    const from = current.get(change.customerId) ?? null;
    try {
      assertTransition(from, change.status);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      refused.set(index, error);
      return;
    }
    current.set(change.customerId, change.status);
    accepted.push({ change, from });
  });
  const last = [...new Map(accepted.map(({ change }) => [change.customerId, change])).values()];
  await writeRows(
    tx.em,
    `update customer c set fraud_status = x.status, fraud_reason = x.reason, updated_at = ?
      from unnest(?::bigint[], ?::text[], ?::text[]) as x(id, status, reason) where c.org_id = ? and c.id = x.id`,
    [tx.clock.now(), last.map((change) => change.customerId), last.map((change) => change.status), last.map((change) => change.reason), tx.org.id],
  );
  await recordAudits(
    tx,
    accepted.map(({ change, from }) => ({
      action: 'customerFraudStatusUpdate',
      subjectType: 'Customer',
      subjectId: change.customerId,
      details: { from, to: change.status, reason: change.reason, storeId: change.storeId },
    })),
  );
  return refused;
}
