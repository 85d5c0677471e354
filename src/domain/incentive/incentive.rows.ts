import { toDate, toId, toNullableDate, toNullableId, toNullableString, toNumber, type Row } from '../../core/sql/rows.js';
import type { StoreRow } from '../org/org.rows.js';
import type { IncentiveKind, IncentiveStatus } from './incentive.entity.js';

export interface IncentiveSeriesRow {
  readonly __typename: 'IncentiveSeries';
  readonly id: number;
  readonly kind: IncentiveKind;
  readonly code: string;
  readonly description: string | null;
  readonly validFrom: Date | null;
  readonly validUntil: Date | null;
  readonly redemptionFrom: Date | null;
  readonly redemptionUntil: Date | null;
  readonly maxRedemptionsPerCode: number;
  readonly maxRedemptionsPerCustomer: number | null;
  readonly holderOnly: boolean;
}

export interface IncentiveRow {
  readonly __typename: 'Incentive';
  readonly id: number;
  readonly kind: IncentiveKind;
  readonly code: string;
  readonly status: IncentiveStatus;
  readonly validFrom: Date | null;
  readonly validUntil: Date | null;
  readonly redemptionCount: number;
  readonly issuedAt: Date;
  readonly series: IncentiveSeriesRow;
  readonly holderId: number | null;
}

export interface IncentiveRedemptionRow {
  readonly __typename: 'IncentiveRedemption';
  readonly id: number;
  readonly incentiveId: number;
  readonly sequence: number;
  readonly customerId: number;
  readonly transactionNumber: string;
  readonly billAmount: number;
  readonly store: StoreRow | null;
  readonly redeemedAt: Date;
  readonly createdAt: Date;
}

/** Series columns (alias `s`) prefixed `series_`, for reads that join an incentive's series. */
export const SERIES_COLUMNS = `s.kind as series_kind, s.code as series_code, s.description as series_description,
  s.valid_from as series_valid_from, s.valid_until as series_valid_until, s.redemption_from as series_redemption_from,
  s.redemption_until as series_redemption_until, s.max_redemptions_per_code as series_max_redemptions_per_code,
  s.max_redemptions_per_customer as series_max_redemptions_per_customer, s.holder_only as series_holder_only`;

/** Joins an incentive (alias `alias`) to its series; the org check keeps tenancy even on bad data. */
export function seriesJoin(alias: string): string {
  return `join incentive_series s on s.id = ${alias}.series_id and s.org_id = ${alias}.org_id`;
}

/** Store columns (alias `st`) prefixed `store_`; `store_id` itself comes with the redemption's columns. */
export const STORE_COLUMNS = 'st.code as store_code, st.external_id as store_external_id, st.name as store_name';

export function storeJoin(alias: string): string {
  return `left join store st on st.id = ${alias}.store_id and st.org_id = ${alias}.org_id`;
}

/** A series from its own columns (`prefix` '') or from `SERIES_COLUMNS` joined to an incentive (`prefix` 'series'). */
export function toIncentiveSeriesRow(row: Row, prefix: '' | 'series'): IncentiveSeriesRow {
  const get = (name: string): unknown => row[prefix ? `${prefix}${name[0].toUpperCase()}${name.slice(1)}` : name];
  const maxPerCustomer = get('maxRedemptionsPerCustomer');
  return {
    __typename: 'IncentiveSeries',
    id: toId(prefix ? row.seriesId : row.id),
    kind: get('kind') as IncentiveKind,
    code: String(get('code')),
    description: toNullableString(get('description')),
    validFrom: toNullableDate(get('validFrom')),
    validUntil: toNullableDate(get('validUntil')),
    redemptionFrom: toNullableDate(get('redemptionFrom')),
    redemptionUntil: toNullableDate(get('redemptionUntil')),
    maxRedemptionsPerCode: Number(get('maxRedemptionsPerCode')),
    maxRedemptionsPerCustomer: maxPerCustomer === null || maxPerCustomer === undefined ? null : Number(maxPerCustomer),
    holderOnly: Boolean(get('holderOnly')),
  };
}

/** An incentive row with its series selected through `SERIES_COLUMNS`. */
export function toIncentiveRow(row: Row): IncentiveRow {
  return {
    __typename: 'Incentive',
    id: toId(row.id),
    kind: row.kind as IncentiveKind,
    code: String(row.code),
    status: row.status as IncentiveStatus,
    validFrom: toNullableDate(row.validFrom),
    validUntil: toNullableDate(row.validUntil),
    redemptionCount: Number(row.redemptionCount),
    issuedAt: toDate(row.issuedAt),
    series: toIncentiveSeriesRow(row, 'series'),
    holderId: toNullableId(row.holderId),
  };
}

/** A redemption row with its store selected through `STORE_COLUMNS` (null when it has none). */
export function toIncentiveRedemptionRow(row: Row): IncentiveRedemptionRow {
  const storeId = toNullableId(row.storeId);
  return {
    __typename: 'IncentiveRedemption',
    id: toId(row.id),
    incentiveId: toId(row.incentiveId),
    sequence: Number(row.sequence),
    customerId: toId(row.customerId),
    transactionNumber: String(row.transactionNumber),
    billAmount: toNumber(row.billAmount),
    store:
      storeId === null || row.storeCode === null
        ? null
        : { __typename: 'Store', id: storeId, code: String(row.storeCode), externalId: toNullableString(row.storeExternalId), name: String(row.storeName) },
    redeemedAt: toDate(row.redeemedAt),
    createdAt: toDate(row.createdAt),
  };
}

/** The cursor sort value of an incentive: what `incentivesOfCustomer` sorts by. */
export function incentiveSortValue(row: IncentiveRow): string {
  return row.issuedAt.toISOString();
}
