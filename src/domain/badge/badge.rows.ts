import { toDate, toId, toNullableString, type Row } from '../../core/sql/rows.js';

export interface BadgeRow {
  readonly __typename: 'Badge';
  readonly id: number;
  readonly metaId: string;
  readonly name: string;
  readonly description: string | null;
}

export interface EarnedBadgeRow {
  readonly __typename: 'EarnedBadge';
  readonly id: number;
  readonly badge: BadgeRow;
  readonly customerId: number;
  readonly earnedAt: Date;
  readonly expiresAt: Date;
  readonly createdAt: Date;
}

/**
 * Definition columns (alias `b`) prefixed `badge_`, so they never clash with the earned badge's own
 * columns (`x.*` in a paged read, which includes `badge_id`).
 */
export const BADGE_COLUMNS = 'b.meta_id as badge_meta_id, b.name as badge_name, b.description as badge_description';

/** Joins an earned badge (alias `alias`) to its definition; the org check keeps tenancy even on bad data. */
export function badgeJoin(alias: string): string {
  return `join badge_definition b on b.id = ${alias}.badge_id and b.org_id = ${alias}.org_id`;
}

export function toBadgeRow(row: Row): BadgeRow {
  return {
    __typename: 'Badge',
    id: toId(row.id),
    metaId: String(row.metaId),
    name: String(row.name),
    description: toNullableString(row.description),
  };
}

/** An earned badge row with its definition selected through `BADGE_COLUMNS`. */
export function toEarnedBadgeRow(row: Row): EarnedBadgeRow {
  return {
    __typename: 'EarnedBadge',
    id: toId(row.id),
    badge: toBadgeRow({ id: row.badgeId, metaId: row.badgeMetaId, name: row.badgeName, description: row.badgeDescription }),
    customerId: toId(row.customerId),
    earnedAt: toDate(row.earnedAt),
    expiresAt: toDate(row.expiresAt),
    createdAt: toDate(row.createdAt),
  };
}

/** The cursor sort value of an earned badge: what `badgesOfCustomer` sorts by. */
export function earnedBadgeSortValue(row: EarnedBadgeRow): string {
  return row.earnedAt.toISOString();
}
