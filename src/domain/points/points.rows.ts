import { toDate, toId, toNullableDate, toNullableId, toNullableString, toNumber, type Row } from '../../core/sql/rows.js';
import type { LedgerEntryKind } from './points.entity.js';

export interface LedgerEntryRow {
  readonly __typename: 'PointsLedgerEntry';
  readonly id: number;
  readonly programId: number;
  readonly customerId: number | null;
  readonly groupId: number | null;
  readonly transactionId: number | null;
  readonly kind: LedgerEntryKind;
  readonly points: number;
  readonly reason: string | null;
  readonly source: string;
  readonly expiresAt: Date | null;
  readonly expiredLotId: number | null;
  /** For a TRANSFER_IN lot: the sender's TRANSFER_OUT entry it came from. */
  readonly transferOutId: number | null;
  /** For a CAMPAIGN lot: the campaign it rewards. */
  readonly campaignId: number | null;
  /** For a credit (a lot): its points not yet spent or expired; null for a debit. */
  readonly remainingPoints: number | null;
  readonly createdBy: string | null;
  readonly createdAt: Date;
}

/** What a ledger read selects besides `<alias>.*`: the rest of a lot, from its allocations. */
export function ledgerExtraColumns(alias: string): string {
  return `case when ${alias}.points > 0 then ${alias}.points - coalesce((select sum(a.points) from points_allocation a where a.credit_entry_id = ${alias}.id), 0) end as remaining_points`;
}

export function toLedgerEntryRow(row: Row): LedgerEntryRow {
  return {
    __typename: 'PointsLedgerEntry',
    id: toId(row.id),
    programId: toId(row.programId),
    customerId: toNullableId(row.customerId),
    groupId: toNullableId(row.groupId),
    transactionId: toNullableId(row.transactionId),
    kind: row.kind as LedgerEntryKind,
    points: toNumber(row.points),
    reason: toNullableString(row.reason),
    source: String(row.source),
    expiresAt: toNullableDate(row.expiresAt),
    expiredLotId: toNullableId(row.expiredLotId),
    transferOutId: toNullableId(row.transferOutId),
    campaignId: toNullableId(row.campaignId),
    remainingPoints: row.remainingPoints === null || row.remainingPoints === undefined ? null : toNumber(row.remainingPoints),
    createdBy: toNullableString(row.createdBy),
    createdAt: toDate(row.createdAt),
  };
}

/** Points of an owner in a program whose lots expire within a window, and the first such expiry. */
export interface ExpiringPointsRow {
  readonly points: number;
  readonly earliestExpiresAt: Date | null;
  readonly withinDays: number;
}
