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

type StoredIdentifierType = Exclude<CustomerIdentifierType, 'USER_ID'>;

/** Where an identifier (but a user id) is kept: the table, its customer id column, the identifier's column. */
interface IdentifierSource {
  readonly from: string;
  readonly id: string;
  readonly value: string;
  readonly also?: string;
}

const IDENTIFIER_SOURCES: Record<StoredIdentifierType, IdentifierSource> = {
  MOBILE: { from: 'customer', id: 'id', value: 'mobile' },
  EMAIL: { from: 'customer', id: 'id', value: 'email' },
  EXTERNAL_ID: { from: 'customer_external_id', id: 'customer_id', value: 'value' },
  // A card identifies its customer whatever the card's status.
  CARD_NUMBER: { from: 'card', id: 'customer_id', value: 'number', also: ' and customer_id is not null' },
  CARD_EXTERNAL_ID: { from: 'card', id: 'customer_id', value: 'external_id', also: ' and customer_id is not null' },
};

function lookups(sql: (source: IdentifierSource) => string): Record<StoredIdentifierType, string> {
  return Object.fromEntries(Object.entries(IDENTIFIER_SOURCES).map(([type, source]) => [type, sql(source)])) as Record<StoredIdentifierType, string>;
}

/** The customer with one identifier: `[orgId, value]`, at most one row (each identifier is unique in an org). */
export const IDENTIFIER_LOOKUPS = lookups(({ from, id, value, also = '' }) => `select ${id} as id from ${from} where org_id = ? and ${value} = ?${also}`);

/** The customers with any of many identifiers of one type: `[orgId, values]`, rows of `id` and the `value` found. */
const IDENTIFIER_SET_LOOKUPS: Record<CustomerIdentifierType, string> = {
  ...lookups(({ from, id, value, also = '' }) => `select ${id} as id, ${value} as value from ${from} where org_id = ? and ${value} = any(?::text[])${also}`),
  USER_ID: 'select id, id::text as value from customer where org_id = ? and id = any(?::bigint[])',
};

/** A user id as typed: digits without a leading zero, short enough for a bigint. */
const USER_ID_PATTERN = /^[1-9][0-9]{0,15}$/;

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
    if (!USER_ID_PATTERN.test(normalised)) return undefined;
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

/** The user error for a customer `ref` names that the org does not have. */
export function customerNotFound(ref: CustomerRef, field: readonly string[] = ['input', 'customer']): DomainError {
  const named = 'id' in ref ? `id ${ref.id}` : `${ref.type} "${ref.value}"`;
  return new DomainError(CustomerErrorCode.CUSTOMER_NOT_FOUND, `No customer has ${named}.`, field);
}

/** Like `customerIdByIdentifier`, but a missing customer is a CUSTOMER_NOT_FOUND user error on `field`. */
export async function requireCustomerId(ctx: ServiceContext, identifier: CustomerIdentifier, field: readonly string[] = ['input', 'customer']): Promise<number> {
  const id = await customerIdByIdentifier(ctx, identifier.type, identifier.value);
  if (id === undefined) throw customerNotFound(identifier, field);
  return id;
}

/** The id of the org's customer `ref` names; CUSTOMER_NOT_FOUND on `field` when there is none. */
export async function resolveCustomerId(ctx: ServiceContext, ref: CustomerRef, field: readonly string[] = ['input', 'customer']): Promise<number> {
  if (!('id' in ref)) return requireCustomerId(ctx, ref, field);
  const rows = Number.isSafeInteger(ref.id) ? await selectRows(ctx.em, 'select id from customer where org_id = ? and id = ?', [ctx.org.id, ref.id]) : [];
  if (!rows[0]) throw customerNotFound(ref, field);
  return ref.id;
}

/**
 * The customer a service acts on (whose points it spends, whose data it changes): as
 * `resolveCustomerId`, and for a customer acting for themselves only their own record; another
 * customer's ref is answered as one that does not exist, revealing nothing.
 */
export async function resolveSubjectCustomerId(ctx: ServiceContext, ref: CustomerRef, field: readonly string[] = ['input', 'customer']): Promise<number> {
  const id = await resolveCustomerId(ctx, ref, field);
  if (ctx.ownCustomerId !== undefined && id !== ctx.ownCustomerId) throw customerNotFound(ref, field);
  return id;
}

/** What a ref is looked up by, normalised as stored; undefined when it cannot name a customer. */
function lookupOf(ref: CustomerRef): { readonly type: CustomerIdentifierType; readonly value: string } | undefined {
  if ('id' in ref) return Number.isSafeInteger(ref.id) ? { type: 'USER_ID', value: String(ref.id) } : undefined;
  const value = normaliseIdentifier(ref.type, ref.value);
  if (!value || (ref.type === 'USER_ID' && !USER_ID_PATTERN.test(value))) return undefined;
  return { type: ref.type, value };
}

/**
 * The ids of the org's customers many refs name, in their order (undefined where none), as
 * `resolveCustomerId` finds them one by one: one statement per identifier type present.
 */
export async function customerIdsByRefs(ctx: ServiceContext, refs: readonly CustomerRef[]): Promise<(number | undefined)[]> {
  const wanted = refs.map(lookupOf);
  const valuesByType = new Map<CustomerIdentifierType, Set<string>>();
  for (const lookup of wanted) {
    if (lookup) valuesByType.set(lookup.type, (valuesByType.get(lookup.type) ?? new Set()).add(lookup.value));
  }
  const found = new Map<string, number>();
  for (const [type, values] of valuesByType) {
    const rows = await selectRows<{ id: string; value: string }>(ctx.em, IDENTIFIER_SET_LOOKUPS[type], [ctx.org.id, [...values]]);
    for (const row of rows) found.set(`${type}:${row.value}`, toId(row.id));
  }
  return wanted.map((lookup) => (lookup ? found.get(`${lookup.type}:${lookup.value}`) : undefined));
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

