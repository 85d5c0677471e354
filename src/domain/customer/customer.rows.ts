import { toDate, toId, toNullableDate, toNullableId, toNullableString, type Row } from '../../core/sql/rows.js';
import type { FraudStatus, StandardStatus } from './customer.entity.js';
import type { StoreRow } from '../org/org.rows.js';

export interface CustomerRow {
  readonly __typename: 'Customer';
  readonly id: number;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly mobile: string | null;
  readonly email: string | null;
  readonly externalIds: string[];
  readonly joinedAt: Date | null;
  readonly joinStore: StoreRow | null;
  readonly statusLabel: string | null;
  readonly standardStatus: StandardStatus;
  readonly statusReason: string | null;
  readonly fraudStatus: FraudStatus | null;
  readonly fraudReason: string | null;
  readonly customFields: Record<string, string>;
  readonly extendedFields: Record<string, string>;
  readonly parentId: number | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/**
 * Extra columns every customer read selects besides `<alias>.*`: the status label, join store and
 * external ids come along in the same statement, so a customer costs one statement however it is read.
 */
export function customerExtraColumns(alias: string): string {
  return `sl.label as status_label_text, sl.standard_status,
  js.code as join_store_code, js.external_id as join_store_external_id, js.name as join_store_name,
  (select coalesce(array_agg(e.value order by e.created_at, e.value), '{}') from customer_external_id e where e.customer_id = ${alias}.id) as external_ids`;
}

export function customerJoins(alias: string): string {
  return `left join status_label sl on sl.id = ${alias}.status_label_id left join store js on js.id = ${alias}.join_store_id`;
}

export function toCustomerRow(row: Row): CustomerRow {
  const joinStoreId = toNullableId(row.joinStoreId);
  return {
    __typename: 'Customer',
    id: toId(row.id),
    firstName: toNullableString(row.firstName),
    lastName: toNullableString(row.lastName),
    mobile: toNullableString(row.mobile),
    email: toNullableString(row.email),
    externalIds: (row.externalIds as string[] | null) ?? [],
    joinedAt: toNullableDate(row.joinedAt),
    joinStore:
      joinStoreId === null
        ? null
        : {
            __typename: 'Store',
            id: joinStoreId,
            code: String(row.joinStoreCode),
            externalId: toNullableString(row.joinStoreExternalId),
            name: String(row.joinStoreName),
          },
    statusLabel: toNullableString(row.statusLabelText),
    // A customer without a label is simply active.
    standardStatus: (row.standardStatus as StandardStatus | null) ?? 'ACTIVE',
    statusReason: toNullableString(row.statusReason),
    fraudStatus: (row.fraudStatus as FraudStatus | null) ?? null,
    fraudReason: toNullableString(row.fraudReason),
    customFields: (row.customFields as Record<string, string>) ?? {},
    extendedFields: (row.extendedFields as Record<string, string>) ?? {},
    parentId: toNullableId(row.parentId),
    createdAt: toDate(row.createdAt),
    updatedAt: toDate(row.updatedAt),
  };
}
