import { toDate, toId, toNullableDate, toNullableId, toNullableString, toNumber, type Row } from '../../core/sql/rows.js';
import type { StoreRow } from '../org/org.rows.js';
import type { LedgerEntryKind } from '../points/points.entity.js';
import { toLoyaltyProgramRow, type LoyaltyProgramRow } from '../program/program.rows.js';

export interface TransactionLineItemRow {
  readonly sku: string;
  readonly description: string | null;
  readonly quantity: number;
  readonly amount: number;
}

/** A points ledger entry booked against a transaction. */
export interface PointsAwardRow {
  readonly program: LoyaltyProgramRow;
  readonly kind: LedgerEntryKind;
  readonly points: number;
  readonly expiresAt: Date | null;
}

export interface TransactionRow {
  readonly __typename: 'Transaction';
  readonly id: number;
  readonly billNumber: string;
  readonly amount: number;
  /** Stored with millisecond precision (timestamptz(3)), so the JS Date is exact and a safe cursor value. */
  readonly occurredAt: Date;
  readonly createdAt: Date;
  readonly customerId: number;
  readonly groupId: number | null;
  readonly store: StoreRow | null;
  readonly lineItems: TransactionLineItemRow[];
  readonly pointsIssued: PointsAwardRow[];
  readonly totalPoints: number;
}

/** Joins every transaction read needs besides `<alias>.*` (the store is one row, so a plain join). */
export function transactionJoins(alias: string): string {
  return `left join store st on st.id = ${alias}.store_id and st.org_id = ${alias}.org_id`;
}

/**
 * Columns every transaction read selects besides `<alias>.*`: the store and the child
 * lists folded as json. The lists are correlated subqueries in the select list rather than lateral
 * joins in FROM: in a paged read PostgreSQL then evaluates them only for the rows the window keeps
 * (a lateral join would aggregate every transaction of the parent before the page is cut).
 */
export function transactionExtraColumns(alias: string): string {
  return `st.code as store_code, st.external_id as store_external_id, st.name as store_name,
  (select coalesce(json_agg(json_build_object('sku', li.sku, 'description', li.description, 'quantity', li.quantity, 'amount', li.amount) order by li.id), '[]')
    from transaction_line_item li where li.org_id = ${alias}.org_id and li.transaction_id = ${alias}.id) as line_items,
  (select coalesce(json_agg(json_build_object('kind', pe.kind, 'points', pe.points, 'expiresAt', pe.expires_at,
      'programId', pp.id, 'programName', pp.name, 'programIsDefault', pp.is_default,
      'programPointsPerCurrencyUnit', pp.points_per_currency_unit, 'programPointsExpiryDays', pp.points_expiry_days) order by pe.id), '[]')
    from points_ledger_entry pe join loyalty_program pp on pp.id = pe.program_id and pp.org_id = pe.org_id
    where pe.org_id = ${alias}.org_id and pe.transaction_id = ${alias}.id) as points_issued`;
}

function toLineItemRow(item: Row): TransactionLineItemRow {
  return {
    sku: String(item.sku),
    description: toNullableString(item.description),
    quantity: toNumber(item.quantity),
    amount: toNumber(item.amount),
  };
}

/** json_build_object keys are already camelCase; json_agg timestamps arrive as strings. */
function toPointsAwardRow(entry: Row): PointsAwardRow {
  return {
    program: toLoyaltyProgramRow(entry),
    kind: entry.kind as LedgerEntryKind,
    points: toNumber(entry.points),
    expiresAt: toNullableDate(entry.expiresAt),
  };
}

function toStore(row: Row): StoreRow | null {
  const storeId = toNullableId(row.storeId);
  // A store of another org is not joined (its code is null): treat it as no store.
  if (storeId === null || row.storeCode === null || row.storeCode === undefined) return null;
  return { __typename: 'Store', id: storeId, code: String(row.storeCode), externalId: toNullableString(row.storeExternalId), name: String(row.storeName) };
}

export function toTransactionRow(row: Row): TransactionRow {
  const pointsIssued = ((row.pointsIssued as Row[] | null) ?? []).map(toPointsAwardRow);
  return {
    __typename: 'Transaction',
    id: toId(row.id),
    billNumber: String(row.billNumber),
    amount: toNumber(row.amount),
    occurredAt: toDate(row.occurredAt),
    createdAt: toDate(row.createdAt),
    customerId: toId(row.customerId),
    groupId: toNullableId(row.groupId),
    store: toStore(row),
    lineItems: ((row.lineItems as Row[] | null) ?? []).map(toLineItemRow),
    pointsIssued,
    totalPoints: pointsIssued.reduce((sum, award) => sum + award.points, 0),
  };
}

/** The cursor sort value of a transaction connection: what the paging query sorts by (occurred_at). */
export function transactionSortValue(row: TransactionRow): string {
  return row.occurredAt.toISOString();
}
