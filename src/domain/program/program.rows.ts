import { toId, toNullableDate, toNumber, type Row } from '../../core/sql/rows.js';

export interface LoyaltyProgramRow {
  readonly __typename: 'LoyaltyProgram';
  readonly id: number;
  readonly name: string;
  readonly isDefault: boolean;
  readonly pointsPerCurrencyUnit: number;
  readonly pointsExpiryDays: number;
}

export interface TierRow {
  readonly __typename: 'Tier';
  readonly id: number;
  readonly programId: number;
  readonly name: string;
  readonly rank: number;
  readonly purchaseThreshold: number;
  readonly pointsMultiplier: number;
}

export interface ProgramLoyaltyRow {
  /** Whose standing: a customer's or a group's; null for the standing of someone not enrolled yet. */
  readonly ownerType: 'customer' | 'group' | null;
  readonly ownerId: number;
  readonly program: LoyaltyProgramRow;
  readonly tier: TierRow;
  readonly pointsBalance: number;
  readonly lifetimePoints: number;
  readonly lifetimePurchases: number;
  readonly enrolledAt: Date | null;
}

/** Program columns prefixed `program_` and tier columns prefixed `tier_`, as selected by the loaders. */
export function toProgramLoyaltyRow(row: Row, ownerId: number, ownerType: ProgramLoyaltyRow['ownerType'] = null): ProgramLoyaltyRow {
  return {
    ownerType,
    ownerId,
    program: {
      __typename: 'LoyaltyProgram',
      id: toId(row.programId),
      name: String(row.programName),
      isDefault: Boolean(row.programIsDefault),
      pointsPerCurrencyUnit: toNumber(row.programPointsPerCurrencyUnit),
      pointsExpiryDays: Number(row.programPointsExpiryDays),
    },
    tier: {
      __typename: 'Tier',
      id: toId(row.tierId),
      programId: toId(row.programId),
      name: String(row.tierName),
      rank: Number(row.tierRank),
      purchaseThreshold: toNumber(row.tierPurchaseThreshold),
      pointsMultiplier: toNumber(row.tierPointsMultiplier),
    },
    pointsBalance: toNumber(row.pointsBalance),
    lifetimePoints: toNumber(row.lifetimePoints),
    lifetimePurchases: toNumber(row.lifetimePurchases),
    enrolledAt: toNullableDate(row.enrolledAt),
  };
}

export const PROGRAM_COLUMNS = `p.id as program_id, p.name as program_name, p.is_default as program_is_default,
  p.points_per_currency_unit as program_points_per_currency_unit, p.points_expiry_days as program_points_expiry_days`;

export const TIER_COLUMNS = `t.id as tier_id, t.name as tier_name, t.rank as tier_rank,
  t.purchase_threshold as tier_purchase_threshold, t.points_multiplier as tier_points_multiplier`;

export function toLoyaltyProgramRow(row: Row): LoyaltyProgramRow {
  return toProgramLoyaltyRow({ ...row, tierId: 0, tierName: '', tierRank: 0 }, 0).program;
}
