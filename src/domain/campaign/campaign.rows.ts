import { toDate, toId, toNullableDate, toNullableString, toNumber, type Row } from '../../core/sql/rows.js';
import type { StandardStatus } from '../customer/customer.entity.js';
import type { CampaignGoalKind } from './campaign.entity.js';

/** Where a campaign stands at a given moment. */
export type CampaignStatus = 'SCHEDULED' | 'RUNNING' | 'ENDED';

export interface CampaignRow {
  readonly __typename: 'Campaign';
  readonly id: number;
  readonly code: string;
  readonly name: string;
  readonly description: string | null;
  readonly startsAt: Date;
  readonly endsAt: Date | null;
  readonly requiresOptIn: boolean;
  /** Null: any tier (or none). */
  readonly eligibleTierIds: readonly number[] | null;
  readonly eligibleStatuses: readonly StandardStatus[];
  readonly joinedAfter: Date | null;
  readonly joinedBefore: Date | null;
  readonly goalKind: CampaignGoalKind;
  readonly goalTarget: number;
  readonly rewardProgramId: number;
  readonly rewardPoints: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** The columns of a campaign (alias `c`), as `toCampaignRow` reads them. */
export const CAMPAIGN_COLUMNS = `c.id, c.code, c.name, c.description, c.starts_at, c.ends_at, c.requires_opt_in, c.eligible_tier_ids,
  c.eligible_statuses, c.joined_after, c.joined_before, c.goal_kind, c.goal_target, c.reward_program_id, c.reward_points, c.created_at, c.updated_at`;

export function toCampaignRow(row: Row): CampaignRow {
  return {
    __typename: 'Campaign',
    id: toId(row.id),
    code: String(row.code),
    name: String(row.name),
    description: toNullableString(row.description),
    startsAt: toDate(row.startsAt),
    endsAt: toNullableDate(row.endsAt),
    requiresOptIn: Boolean(row.requiresOptIn),
    eligibleTierIds: row.eligibleTierIds === null || row.eligibleTierIds === undefined ? null : (row.eligibleTierIds as number[]).map(Number),
    eligibleStatuses: row.eligibleStatuses as StandardStatus[],
    joinedAfter: toNullableDate(row.joinedAfter),
    joinedBefore: toNullableDate(row.joinedBefore),
    goalKind: row.goalKind as CampaignGoalKind,
    goalTarget: toNumber(row.goalTarget),
    rewardProgramId: toId(row.rewardProgramId),
    rewardPoints: Number(row.rewardPoints),
    createdAt: toDate(row.createdAt),
    updatedAt: toDate(row.updatedAt),
  };
}

export function campaignStatusAt(campaign: Pick<CampaignRow, 'startsAt' | 'endsAt'>, now: Date): CampaignStatus {
  if (campaign.endsAt !== null && campaign.endsAt.getTime() <= now.getTime()) return 'ENDED';
  return campaign.startsAt.getTime() <= now.getTime() ? 'RUNNING' : 'SCHEDULED';
}

/**
 * Where a customer stands in a campaign: NOT_ELIGIBLE (tier, status or join date rule them out),
 * NOT_JOINED (an opt-in campaign they have not joined), IN_PROGRESS, COMPLETED, or MISSED (it
 * ended before they reached the goal).
 */
export type CampaignProgressStatus = 'NOT_ELIGIBLE' | 'NOT_JOINED' | 'IN_PROGRESS' | 'COMPLETED' | 'MISSED';

export interface CampaignProgressRow {
  readonly campaignId: number;
  readonly customerId: number;
  readonly value: number;
  readonly target: number;
  readonly status: CampaignProgressStatus;
  readonly joinedAt: Date | null;
  readonly completedAt: Date | null;
  /** Whether the customer has a progress record: a purchase counted, or they joined. */
  readonly tracked: boolean;
  /**
   * Whether the campaign's rules include the customer as they stand now. Kept apart from `status`,
   * which says COMPLETED or MISSED first: an ended campaign is MISSED even for a customer it never
   * included, and a customer's token must still not find it.
   */
  readonly eligible: boolean;
}

/**
 * The columns a progress read selects (campaign `c`, customer `cu`, progress `cp`, left-joined),
 * as `toCampaignProgressRow` reads them; `eligible` is the campaign's eligibility rule.
 */
export function progressColumns(eligible: string): string {
  return `cu.id as progress_customer_id, c.id as progress_campaign_id, coalesce(cp.value, 0) as progress_value, c.goal_target as progress_target,
    cp.joined_at as progress_joined_at, cp.completed_at as progress_completed_at, c.requires_opt_in as progress_requires_opt_in,
    c.ends_at as progress_ends_at, (${eligible}) as progress_eligible, cp.id is not null as progress_tracked`;
}

export function toCampaignProgressRow(row: Row, now: Date): CampaignProgressRow {
  const completedAt = toNullableDate(row.progressCompletedAt);
  const joinedAt = toNullableDate(row.progressJoinedAt);
  const endsAt = toNullableDate(row.progressEndsAt);
  const tracked = Boolean(row.progressTracked);
  // A customer the campaign never included did not miss it; one who took part and fell out of it did.
  const status: CampaignProgressStatus =
    completedAt !== null
      ? 'COMPLETED'
      : !row.progressEligible && !tracked
        ? 'NOT_ELIGIBLE'
        : endsAt !== null && endsAt.getTime() <= now.getTime()
          ? 'MISSED'
          : !row.progressEligible
            ? 'NOT_ELIGIBLE'
            : row.progressRequiresOptIn && joinedAt === null
              ? 'NOT_JOINED'
              : 'IN_PROGRESS';
  return {
    campaignId: toId(row.progressCampaignId),
    customerId: toId(row.progressCustomerId),
    value: toNumber(row.progressValue),
    target: toNumber(row.progressTarget),
    status,
    joinedAt,
    completedAt,
    tracked,
    eligible: Boolean(row.progressEligible),
  };
}
