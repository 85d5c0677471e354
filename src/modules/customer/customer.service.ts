/*
 * Customers: finding one by any identifier, and its status label (`customerStatusUpdate`, the
 * Customer Status import profile).
 *
 * How an import calls `updateCustomerStatus`: `updateCustomerStatus(batchCtx, { customer: { id },
 * label, reason, store: { id } })` per row, inside the import's transaction (each call nests in a SAVEPOINT: a
 * DomainError undoes that row alone) or standalone (its own transaction).
 */
import { loadPagesForParents, type Page, type PageRequest } from '../../db/paging.js';
import { selectRows, toId } from '../../db/rows.js';
import { inTransaction } from '../../db/transaction.js';
import { DomainError } from '../../graphql/user-errors.js';
import type { RequestContext, ServiceContext } from '../../server/context.js';
import { recordAudit } from '../audit/audit.service.js';
import { resolveStoreId, type StoreRef } from '../org/store.service.js';
import { addTimelineEvent } from '../timeline/timeline.service.js';
import { CustomerErrorCode } from './customer.errors.js';
import { customerById } from './customer.loaders.js';
import { customerExtraColumns, customerJoins, toCustomerRow, type CustomerRow } from './customer.rows.js';
import type { CustomerIdentifierType } from './customer.types.js';

/** Mobiles are stored as digits with country code; callers may type '+', spaces or dashes. */
export function normaliseMobile(value: string): string {
  return value.replace(/[\s\-()+]/g, '');
}

const IDENTIFIER_LOOKUPS: Record<Exclude<CustomerIdentifierType, 'USER_ID'>, string> = {
  MOBILE: 'select id from customer where org_id = ? and mobile = ?',
  EMAIL: 'select id from customer where org_id = ? and email = ?',
  EXTERNAL_ID: 'select customer_id as id from customer_external_id where org_id = ? and value = ?',
  // A card identifies its customer whatever the card's status.
  CARD_NUMBER: 'select customer_id as id from card where org_id = ? and number = ? and customer_id is not null',
  CARD_EXTERNAL_ID: 'select customer_id as id from card where org_id = ? and external_id = ? and customer_id is not null',
};

function normaliseIdentifier(type: CustomerIdentifierType, value: string): string {
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
    const labels = await selectRows<{ id: string; standardStatus: string }>(
      tx.em,
      'select id, standard_status from status_label where org_id = ? and label = ?',
      [tx.org.id, change.label.trim()],
    );
    const label = labels[0];
    if (!label) throw new DomainError(CustomerErrorCode.STATUS_LABEL_NOT_FOUND, `The org has no status label "${change.label}".`, ['input', 'label']);
    const reason = change.reason?.trim() || null;
    const storeId = change.store ? await resolveStoreId(tx, change.store) : null;
    const now = tx.clock.now();
    await tx.em.execute('update customer set status_label_id = ?, status_reason = ?, updated_at = ? where org_id = ? and id = ?', [
      label.id,
      reason,
      now,
      tx.org.id,
      customerId,
    ]);
    await addTimelineEvent(tx, {
      customerId,
      type: 'STATUS_CHANGED',
      summary: `Status changed to ${change.label.trim()}`,
      data: { label: change.label.trim(), standardStatus: label.standardStatus, reason, storeId },
      occurredAt: now,
    });
    await recordAudit(tx, { action: 'customerStatusUpdate', subjectType: 'Customer', subjectId: customerId, details: { label: change.label.trim(), reason, storeId } });
    return customerId;
  });
}

/** Finds a customer of the caller's org by any identifier; null when there is none. */
export async function findCustomerByIdentifier(
  ctx: RequestContext,
  type: CustomerIdentifierType,
  value: string,
): Promise<CustomerRow | null> {
  const normalised = normaliseIdentifier(type, value);
  if (!normalised) return null;
  if (type === 'USER_ID') {
    return /^[1-9][0-9]{0,15}$/.test(normalised) ? customerById(ctx).load(Number(normalised)) : null;
  }
  const rows = await selectRows<{ id: string }>(ctx.em, IDENTIFIER_LOOKUPS[type], [ctx.org.id, normalised]);
  return rows[0] ? customerById(ctx).load(Number(rows[0].id)) : null;
}

/**
 * Customers of the org in id order, optionally matching a search: an exact mobile, email or
 * external id, or a name starting with the text.
 */
export async function searchCustomers(ctx: RequestContext, search: string | null | undefined, page: PageRequest): Promise<Page<CustomerRow>> {
  const text = search?.trim() ?? '';
  const params: unknown[] = [ctx.org.id];
  let where = 'x.org_id = ?';
  if (text) {
    where += ` and (x.mobile = ? or x.email = ? or exists (select 1 from customer_external_id e where e.org_id = x.org_id and e.customer_id = x.id and e.value = ?)
      or (coalesce(x.first_name, '') || ' ' || coalesce(x.last_name, '')) ilike ? or x.last_name ilike ?)`;
    const prefix = `${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    params.push(normaliseMobile(text), text.toLowerCase(), text, prefix, prefix);
  }
  // One "parent" (the org), so the shared paging helper applies.
  const pages = await loadPagesForParents(
    ctx.em,
    {
      from: `customer x ${customerJoins('x')}`,
      extraSelect: customerExtraColumns('x'),
      parentColumn: 'org_id',
      sortColumn: 'id',
      descending: false,
      where,
      params,
      sortCast: '?::bigint',
    },
    [ctx.org.id],
    page,
  );
  const orgPage = pages.get(ctx.org.id) ?? { rows: [], hasNextPage: false };
  const customers = orgPage.rows.map(toCustomerRow);
  for (const customer of customers) customerById(ctx).prime(customer.id, customer);
  return { rows: customers, hasNextPage: orgPage.hasNextPage };
}
