/*
 * How purchases move customers through campaigns, and how far each customer has come.
 *
 * `advanceCampaigns` runs inside the purchase's own transaction (`addTransaction`, which both
 * `transactionAdd` and the Transactions import call), so progress and the purchase commit or roll
 * back together. The progress row's lock orders concurrent purchases of one customer: each adds
 * to the value the last one committed, and only the one whose addition reaches the goal sets
 * `completed_at` (a conditional update) and grants the reward; a unique index on the ledger keeps
 * a second grant out even if that logic were ever wrong.
 */
import { selectRows, toId, toNumber, writeRows } from '../../core/sql/rows.js';
import type { ServiceContext } from '../context.js';
import { creditLot, lockStanding } from '../points/ledger.js';
import { pointsExpiry, programRules } from '../program/program.service.js';
import { addTimelineEvent } from '../timeline/timeline.service.js';
import type { CampaignGoalKind } from './campaign.entity.js';
import { ELIGIBLE, RUNNING_AT, runningAt } from './campaign-rules.js';
import { progressColumns, toCampaignProgressRow, type CampaignProgressRow } from './campaign.rows.js';

/** A purchase as campaigns count it. */
export interface CountedPurchase {
  readonly customerId: number;
  readonly transactionId: number;
  readonly amount: number;
  /** Points the purchase earned the customer themselves (0 for a purchase made for a group). */
  readonly points: number;
  /** The program the purchase earned in, and the group it was made for (null: for the customer). */
  readonly programId: number;
  readonly groupId: number | null;
  readonly occurredAt: Date;
}

/** A campaign a purchase completed, and the reward it granted. */
export interface CampaignCompletion {
  readonly campaignId: number;
  readonly ledgerEntryId: number;
  readonly points: number;
}

function increment(kind: CampaignGoalKind, purchase: CountedPurchase): number {
  switch (kind) {
    case 'SPEND':
      return purchase.amount;
    case 'VISITS':
      return 1;
    case 'POINTS':
      return purchase.points;
  }
}

/**
 * Counts a purchase toward every campaign the customer takes part in that is running now and whose
 * window holds the purchase, completing those whose goal it reaches. Opt-in campaigns count only
 * purchases made after the customer joined; eligibility is judged as the customer stands.
 */
export async function advanceCampaigns(tx: ServiceContext, purchase: CountedPurchase): Promise<CampaignCompletion[]> {
  const now = tx.clock.now();
  const campaigns = await selectRows(
    tx.em,
    `select c.id, c.goal_kind, c.goal_target from campaign c
      join customer cu on cu.org_id = c.org_id and cu.id = ?
      left join campaign_progress cp on cp.org_id = c.org_id and cp.campaign_id = c.id and cp.customer_id = cu.id
      where c.org_id = ? and ${RUNNING_AT /* now */} and ${RUNNING_AT /* at the purchase */}
        and cp.completed_at is null and (not c.requires_opt_in or cp.joined_at <= ?::timestamptz) and ${ELIGIBLE}
      order by c.id`,
    [purchase.customerId, tx.org.id, ...runningAt(now), ...runningAt(purchase.occurredAt), purchase.occurredAt],
  );
  const counted = campaigns
    .map((row) => ({ campaignId: toId(row.id), target: toNumber(row.goalTarget), by: increment(row.goalKind as CampaignGoalKind, purchase) }))
    .filter((campaign) => campaign.by > 0);
  if (counted.length === 0) return [];

  // Every purchase locks the customer's enrolment before their progress rows (a purchase of their
  // own already holds it; one for a group holds the group's), so two purchases never wait on each other in turn.
  if (purchase.groupId !== null) {
    await selectRows(tx.em, 'select id from loyalty_enrollment where org_id = ? and program_id = ? and customer_id = ? for update', [tx.org.id, purchase.programId, purchase.customerId]);
  }
  const values = await writeRows(
    tx.em,
    `insert into campaign_progress (org_id, campaign_id, customer_id, value, updated_at)
      select ?, x.campaign_id, ?, x.by, ? from unnest(?::bigint[], ?::numeric[]) as x(campaign_id, by) order by x.campaign_id
      on conflict (org_id, campaign_id, customer_id) do update set value = campaign_progress.value + excluded.value, updated_at = excluded.updated_at
        where campaign_progress.completed_at is null
      returning campaign_id, value`,
    [tx.org.id, purchase.customerId, now, counted.map((c) => c.campaignId), counted.map((c) => c.by)],
  );
  const targets = new Map(counted.map((c) => [c.campaignId, c.target]));
  const reached = values.filter((row) => toNumber(row.value) >= (targets.get(toId(row.campaignId)) ?? Infinity)).map((row) => toId(row.campaignId));
  if (reached.length === 0) return [];

  const completed = await writeRows(
    tx.em,
    `update campaign_progress cp set completed_at = ?, updated_at = ? from campaign c
      where c.id = cp.campaign_id and cp.org_id = ? and cp.customer_id = ? and cp.campaign_id = any(?::bigint[]) and cp.completed_at is null and cp.value >= c.goal_target
      returning c.id, c.name, c.reward_program_id, c.reward_points, cp.value`,
    [now, now, tx.org.id, purchase.customerId, reached],
  );
  const completions: CampaignCompletion[] = [];
  for (const row of completed) completions.push(await grantReward(tx, purchase, { id: toId(row.id), name: String(row.name), programId: toId(row.rewardProgramId), points: Number(row.rewardPoints) }));
  return completions;
}

/** The completion's reward: a CAMPAIGN lot in the campaign's program, and the event on the customer's timeline. */
async function grantReward(tx: ServiceContext, purchase: CountedPurchase, campaign: { id: number; name: string; programId: number; points: number }): Promise<CampaignCompletion> {
  const now = tx.clock.now();
  const program = await programRules(tx, campaign.programId);
  const standing = await lockStanding(tx, { customerId: purchase.customerId }, program.id);
  const ledgerEntryId = await creditLot(tx, standing, {
    kind: 'CAMPAIGN',
    points: campaign.points,
    reason: `Completed campaign ${campaign.name}`,
    source: `campaign:${campaign.id}`,
    expiresAt: pointsExpiry(program, now),
    campaignId: campaign.id,
  });
  await addTimelineEvent(tx, {
    customerId: purchase.customerId,
    type: 'CAMPAIGN_COMPLETED',
    summary: `Completed ${campaign.name}, rewarded ${campaign.points} points`,
    data: { campaignId: campaign.id, campaign: campaign.name, points: campaign.points, ledgerEntryId, transactionId: purchase.transactionId },
  });
  return { campaignId: campaign.id, ledgerEntryId, points: campaign.points };
}

/** Pairs of campaign and customer whose progress to read. */
export interface ProgressKey {
  readonly campaignId: number;
  readonly customerId: number;
}

/** Where each customer stands in each campaign (null for a campaign or customer the org does not have), in one statement. */
export async function campaignProgressOf(ctx: ServiceContext, keys: readonly ProgressKey[]): Promise<(CampaignProgressRow | null)[]> {
  const now = ctx.clock.now();
  const rows = await selectRows(
    ctx.em,
    `select ${progressColumns(ELIGIBLE)}
      from unnest(?::bigint[], ?::bigint[]) as k(campaign_id, customer_id)
      join campaign c on c.org_id = ? and c.id = k.campaign_id
      join customer cu on cu.org_id = c.org_id and cu.id = k.customer_id
      left join campaign_progress cp on cp.org_id = c.org_id and cp.campaign_id = c.id and cp.customer_id = cu.id`,
    [keys.map((key) => key.campaignId), keys.map((key) => key.customerId), ctx.org.id],
  );
  const found = new Map(rows.map((row) => {
    const progress = toCampaignProgressRow(row, now);
    return [`${progress.campaignId}:${progress.customerId}`, progress];
  }));
  return keys.map((key) => found.get(`${key.campaignId}:${key.customerId}`) ?? null);
}
