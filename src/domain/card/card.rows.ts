import { toDate, toId, toNullableDate, toNullableId, toNullableString, type Row } from '../../core/sql/rows.js';
import type { CardSystemStatus, CardType } from './card.entity.js';

export interface CardSeriesRow {
  readonly __typename: 'CardSeries';
  readonly id: number;
  readonly code: string;
  readonly description: string | null;
  readonly type: CardType;
  readonly prefix: string;
  readonly suffix: string;
  readonly numberLength: number | null;
  readonly autoGenerate: boolean;
  readonly expiryDays: number | null;
  readonly storeId: number | null;
  readonly programId: number;
}

export interface CardRow {
  readonly __typename: 'Card';
  readonly id: number;
  readonly number: string;
  readonly externalId: string | null;
  readonly status: { label: string; systemStatus: CardSystemStatus };
  readonly series: CardSeriesRow;
  readonly customerId: number | null;
  readonly storeId: number | null;
  readonly issuedAt: Date | null;
  readonly expiresAt: Date | null;
  readonly createdAt: Date;
}

/** Series columns (alias `s`) prefixed `series_`, for reads that join a card's series. */
export const SERIES_COLUMNS = `s.code as series_code, s.description as series_description, s.type as series_type,
  s.prefix as series_prefix, s.suffix as series_suffix, s.number_length as series_number_length,
  s.auto_generate as series_auto_generate, s.expiry_days as series_expiry_days, s.store_id as series_store_id,
  s.program_id as series_program_id`;

/** Everything a card read needs besides `<alias>.*`, joined in the same statement. */
export function cardJoins(alias: string): string {
  return `join card_series s on s.id = ${alias}.series_id join card_status_label csl on csl.id = ${alias}.status_label_id`;
}

export const CARD_EXTRA_COLUMNS = `${SERIES_COLUMNS}, csl.label as status_label_text, csl.system_status`;

export function toCardSeriesRow(row: Row, prefix: '' | 'series'): CardSeriesRow {
  const get = (name: string): unknown => row[prefix ? `${prefix}${name[0].toUpperCase()}${name.slice(1)}` : name];
  return {
    __typename: 'CardSeries',
    id: toId(prefix ? row.seriesId : row.id),
    code: String(get('code')),
    description: toNullableString(get('description')),
    type: get('type') as CardType,
    prefix: String(get('prefix') ?? ''),
    suffix: String(get('suffix') ?? ''),
    numberLength: get('numberLength') === null ? null : Number(get('numberLength')),
    autoGenerate: Boolean(get('autoGenerate')),
    expiryDays: get('expiryDays') === null ? null : Number(get('expiryDays')),
    storeId: toNullableId(get('storeId')),
    programId: toId(get('programId')),
  };
}

export function toCardRow(row: Row): CardRow {
  return {
    __typename: 'Card',
    id: toId(row.id),
    number: String(row.number),
    externalId: toNullableString(row.externalId),
    status: { label: String(row.statusLabelText), systemStatus: row.systemStatus as CardSystemStatus },
    series: toCardSeriesRow(row, 'series'),
    customerId: toNullableId(row.customerId),
    storeId: toNullableId(row.storeId),
    issuedAt: toNullableDate(row.issuedAt),
    expiresAt: toNullableDate(row.expiresAt),
    createdAt: toDate(row.createdAt),
  };
}
