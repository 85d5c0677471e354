/*
 * A customer's fraud status, for `customerFraudStatusUpdate` and the Fraud Status import profile.
 *
 * How an import calls it: `updateFraudStatus(batchCtx, { customer: { id }, status, reason, store: { id } })`
 * per row, inside the import's transaction (each call nests in a SAVEPOINT: a DomainError undoes
 * that row alone) or standalone (its own transaction).
 */
import { selectRows } from '../../db/rows.js';
import { inTransaction } from '../../db/transaction.js';
import { CommonErrorCode, DomainError } from '../../graphql/user-errors.js';
import type { ServiceContext } from '../../server/context.js';
import { recordAudit } from '../audit/audit.service.js';
import { requiredText } from '../common/input-rules.js';
import { resolveStoreId, type StoreRef } from '../org/store.service.js';
import { FRAUD_STATUSES, type FraudStatus } from './customer.entity.js';
import { CustomerErrorCode } from './customer.errors.js';
import { resolveCustomerId, type CustomerRef } from './customer.service.js';

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
    const reason = requiredText(change.reason, ['input', 'reason'], 500);
    const customerId = await resolveCustomerId(tx, change.customer);
    const storeId = change.store ? await resolveStoreId(tx, change.store) : null;
    const [current] = await selectRows(tx.em, 'select fraud_status from customer where org_id = ? and id = ? for update', [tx.org.id, customerId]);
    const from = (current?.fraudStatus as FraudStatus | null) ?? null;
    assertTransition(from, change.status);
    await tx.em.execute('update customer set fraud_status = ?, fraud_reason = ?, updated_at = ? where org_id = ? and id = ?', [
      change.status,
      reason,
      tx.clock.now(),
      tx.org.id,
      customerId,
    ]);
    await recordAudit(tx, { action: 'customerFraudStatusUpdate', subjectType: 'Customer', subjectId: customerId, details: { from, to: change.status, reason, storeId } });
    return { customerId };
  });
}
