/*
 * Customers: finding one by any identifier, and its status label (`customerStatusUpdate`, the
 * Customer Status import profile).
 *
 * How an import sets statuses: it resolves its rows' customers and labels set-based (the org's
 * status labels by exact name, as here), then writes a batch with `writeStatusChanges(batchCtx,
 * changes)` in the batch's transaction: the same writes as `updateCustomerStatus`, which writes one.
 */
import { loadPagesForParents, type Page, type PageRequest } from '../../core/sql/paging.js';
import { selectRows, toId, writeRows } from '../../core/sql/rows.js';
import { inTransaction } from '../../core/sql/transaction.js';
import { DomainError } from '../../core/errors.js';
import type { ServiceContext } from '../context.js';
import { recordAudits } from '../audit/audit.service.js';
import { resolveStoreId, type StoreRef } from '../org/store.service.js';
import { addTimelineEvents } from '../timeline/timeline.service.js';
import { CustomerErrorCode } from './customer.errors.js';
import { customerExtraColumns, customerJoins, toCustomerRow, type CustomerRow } from './customer.rows.js';
import type { CustomerIdentifierType } from './customer-identifier.js';

/** Mobiles are stored as digits with country code; callers may type '+', spaces or dashes. */
export function normaliseMobile(value: string): string {
  return value.replace(/[\s\-()+]/g, '');
}

export const IDENTIFIER_LOOKUPS: Record<Exclude<CustomerIdentifierType, 'USER_ID'>, string> = {
  MOBILE: 'select id from customer where org_id = ? and mobile = ?',
  EMAIL: 'select id from customer where org_id = ? and email = ?',
  EXTERNAL_ID: 'select customer_id as id from customer_external_id where org_id = ? and value = ?',
  // A card identifies its customer whatever the card's status.
  CARD_NUMBER: 'select customer_id as id from card where org_id = ? and number = ? and customer_id is not null',
  CARD_EXTERNAL_ID: 'select customer_id as id from card where org_id = ? and external_id = ? and customer_id is not null',
};

export function normaliseIdentifier(type: CustomerIdentifierType, value: string): string {
  const trimmed = value.trim();
  if (type === 'MOBILE') return normaliseMobile(trimmed);
  if (type === 'EMAIL') return trimmed.toLowerCase();
  return trimmed;
}

/** The id of the org's customer with this identifier, or undefined; no loaders, so jobs can use it too. */
export async function customerIdByIdentifier(ctx: ServiceContext, type: CustomerIdentifierType, value: string): Promise<number | undefined> {
  const normalised = normaliseIdentifier(type, value);
  if (!normalised) return undefined;
  if (type === 'USER_ID') {
    if (!/^[1-9][0-9]{0,15}$/.test(normalised)) return undefined;
    const rows = await selectRows<{ id: string }>(ctx.em, 'select id from customer where org_id = ? and id = ?', [ctx.org.id, normalised]);
    return rows[0] ? toId(rows[0].id) : undefined;
  }
  const rows = await selectRows<{ id: string }>(ctx.em, IDENTIFIER_LOOKUPS[type], [ctx.org.id, normalised]);
  return rows[0] ? toId(rows[0].id) : undefined;
}

export interface CustomerIdentifier {
  readonly type: CustomerIdentifierType;
  readonly value: string;
}

/** A customer as services take it: by id (an import that resolved it already) or by any identifier. */
export type CustomerRef = { readonly id: number } | CustomerIdentifier;

/** Like `customerIdByIdentifier`, but a missing customer is a CUSTOMER_NOT_FOUND user error on `field`. */
export async function requireCustomerId(ctx: ServiceContext, identifier: CustomerIdentifier, field: readonly string[] = ['input', 'customer']): Promise<number> {
  const id = await customerIdByIdentifier(ctx, identifier.type, identifier.value);
  if (id === undefined) {
    throw new DomainError(CustomerErrorCode.CUSTOMER_NOT_FOUND, `No customer has ${identifier.type} "${identifier.value}".`, field);
  }
  return id;
}

/** The id of the org's customer `ref` names; CUSTOMER_NOT_FOUND on `field` when there is none. */
export async function resolveCustomerId(ctx: ServiceContext, ref: CustomerRef, field: readonly string[] = ['input', 'customer']): Promise<number> {
  if (!('id' in ref)) return requireCustomerId(ctx, ref, field);
  const rows = Number.isSafeInteger(ref.id) ? await selectRows(ctx.em, 'select id from customer where org_id = ? and id = ?', [ctx.org.id, ref.id]) : [];
  if (!rows[0]) throw new DomainError(CustomerErrorCode.CUSTOMER_NOT_FOUND, `No customer has id ${ref.id}.`, field);
  return ref.id;
}

export interface CustomerStatusChange {
  readonly customer: CustomerRef;
  readonly label: string;
  readonly reason?: string | null;
  /** The store the change is attributed to, if any (the Customer Status import's store code). */
  readonly store?: StoreRef | null;
}

/**
 * Sets a customer's status label and reason, and notes the change on the timeline. The label
 * must be one of the org's; returns the customer's id.
 */
export async function updateCustomerStatus(ctx: ServiceContext, change: CustomerStatusChange): Promise<number> {
  return inTransaction(ctx, async (tx) => {
    const customerId = await resolveCustomerId(tx, change.customer);
    const name = change.label.trim();
    const [label] = await selectRows<{ id: string; standardStatus: string }>(tx.em, 'select id, standard_status from status_label where org_id = ? and label = ?', [tx.org.id, name]);
    if (!label) throw new DomainError(CustomerErrorCode.STATUS_LABEL_NOT_FOUND, `The org has no status label "${change.label}".`, ['input', 'label']);
    const storeId = change.store ? await resolveStoreId(tx, change.store) : null;
    await writeStatusChanges(tx, [{ customerId, labelId: toId(label.id), label: name, standardStatus: label.standardStatus, reason: change.reason?.trim() || null, storeId }]);
    return customerId;
  });
}

/** A status change to record: its customer one of the org's, its label one of the org's. */
export interface StatusChange {
  readonly customerId: number;
  readonly labelId: number;
  readonly label: string;
  readonly standardStatus: string;
  readonly reason: string | null;
  readonly storeId: number | null;
}

/**
 * Records status changes, set-based, in the caller's transaction: each customer takes the label
 * and reason of its last change; every change is a STATUS_CHANGED event on the timeline and an
 * audit entry.
 */
export async function writeStatusChanges(tx: ServiceContext, changes: readonly StatusChange[]): Promise<void> {
  if (changes.length === 0) return;
  const now = tx.clock.now();
  const last = [...new Map(changes.map((change) => [change.customerId, change])).values()];
  await writeRows(
    tx.em,
    `update customer c set status_label_id = x.label_id, status_reason = x.reason, updated_at = ?
      from unnest(?::bigint[], ?::bigint[], ?::text[]) as x(id, label_id, reason) where c.org_id = ? and c.id = x.id`,
    [now, last.map((change) => change.customerId), last.map((change) => change.labelId), last.map((change) => change.reason), tx.org.id],
  );
  await addTimelineEvents(
    tx,
    changes.map(({ customerId, label, standardStatus, reason, storeId }) => ({
      customerId,
      type: 'STATUS_CHANGED',
      summary: `Status changed to ${label}`,
      data: { label, standardStatus, reason, storeId },
      occurredAt: now,
    })),
  );
  await recordAudits(
    tx,
    changes.map(({ customerId, label, reason, storeId }) => ({ action: 'customerStatusUpdate', subjectType: 'Customer', subjectId: customerId, details: { label, reason, storeId } })),
  );
}

