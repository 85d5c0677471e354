/*
 * Campaigns as ADMIN keys define them (create, update, end), and joining one.
 *
 * What can change depends on where a campaign stands: before it starts, everything; while it
 * runs, its name, description, end and eligibility (which judge purchases from then on), but not
 * its start, goal, reward or opt-in, which customers already count on; once ended, nothing.
 */
import { CommonErrorCode, DomainError, refusedOnConflict } from '../../core/errors.js';
import { moneyAmount, optionalText, positiveInteger, requiredText, type FieldPath } from '../../core/input-rules.js';
import { selectRows, toId, writeRows } from '../../core/sql/rows.js';
import { inTransaction } from '../../core/sql/transaction.js';
import { recordAudit } from '../audit/audit.service.js';
import type { ServiceContext } from '../context.js';
import { STANDARD_STATUSES, type StandardStatus } from '../customer/customer.entity.js';
import { resolveSubjectCustomerId, type CustomerRef } from '../customer/customer.service.js';
import { programRules } from '../program/program.service.js';
import { CAMPAIGN_GOAL_KINDS, type CampaignGoalKind } from './campaign.entity.js';
import { CampaignErrorCode } from './campaign.errors.js';
import { ELIGIBLE } from './campaign-rules.js';
import { CAMPAIGN_COLUMNS, campaignStatusAt, toCampaignRow, type CampaignRow } from './campaign.rows.js';

/** Most tiers one campaign's eligibility names. */
export const MAX_CAMPAIGN_TIERS = 50;
/** Largest goal: spend (with cents), visits or points. */
export const MAX_CAMPAIGN_GOAL_TARGET = 1_000_000_000;
/** Most points one completion rewards. */
export const MAX_CAMPAIGN_REWARD_POINTS = 10_000_000;
/** Longest campaign code (the column's length). */
export const MAX_CAMPAIGN_CODE_CHARS = 64;

export interface CampaignEligibilityInput {
  /** Tiers (any of the org's programs) a customer must hold one of; null or empty for any. */
  readonly tierIds?: readonly number[] | null;
  /** Standard statuses a customer must have one of; ACTIVE alone by default. */
  readonly statuses?: readonly string[] | null;
  readonly joinedAfter?: Date | null;
  readonly joinedBefore?: Date | null;
}

export interface CampaignGoalInput {
  readonly kind: string;
  readonly target: number;
}

export interface CampaignRewardInput {
  readonly points: number;
  /** The program the points go to; the org's default program when null. */
  readonly programId?: number | null;
}

export interface CampaignCreate {
  readonly code: string;
  readonly name: string;
  readonly description?: string | null;
  /** Now by default. */
  readonly startsAt?: Date | null;
  /** Open-ended by default. */
  readonly endsAt?: Date | null;
  readonly requiresOptIn?: boolean | null;
  readonly eligibility?: CampaignEligibilityInput | null;
  readonly goal: CampaignGoalInput;
  readonly reward: CampaignRewardInput;
}

/** What `campaignUpdate` changes: a field left undefined stays as it is (`endsAt: null` makes it open-ended). */
export interface CampaignChanges {
  readonly name?: string | null;
  readonly description?: string | null;
  readonly startsAt?: Date | null;
  readonly endsAt?: Date | null;
  readonly requiresOptIn?: boolean | null;
  readonly eligibility?: CampaignEligibilityInput | null;
  readonly goal?: CampaignGoalInput | null;
  readonly reward?: CampaignRewardInput | null;
}

interface CampaignRules {
  readonly startsAt: Date;
  readonly endsAt: Date | null;
  readonly requiresOptIn: boolean;
  readonly eligibleTierIds: number[] | null;
  readonly eligibleStatuses: StandardStatus[];
  readonly joinedAfter: Date | null;
  readonly joinedBefore: Date | null;
  readonly goalKind: CampaignGoalKind;
  readonly goalTarget: number;
  readonly rewardProgramId: number;
  readonly rewardPoints: number;
}

function invalid(message: string, field: FieldPath): DomainError {
  return new DomainError(CommonErrorCode.INVALID_INPUT, message, field);
}

async function eligibleTierIds(ctx: ServiceContext, tierIds: readonly number[] | null | undefined): Promise<number[] | null> {
  const field = ['input', 'eligibility', 'tierIds'];
  if (!tierIds || tierIds.length === 0) return null;
  if (tierIds.length > MAX_CAMPAIGN_TIERS) throw invalid(`A campaign names at most ${MAX_CAMPAIGN_TIERS} tiers.`, field);
  const wanted = [...new Set(tierIds)].sort((a, b) => a - b);
  const rows = await selectRows(ctx.em, 'select id from tier where org_id = ? and id = any(?::bigint[])', [ctx.org.id, wanted.filter(Number.isSafeInteger)]);
  const found = new Set(rows.map((row) => toId(row.id)));
  const missing = tierIds.findIndex((id) => !found.has(id));
  if (missing >= 0) throw new DomainError(CommonErrorCode.NOT_FOUND, 'The org has no tier with that id.', [...field, String(missing)]);
  return wanted;
}

function eligibleStatuses(statuses: readonly string[] | null | undefined): StandardStatus[] {
  if (statuses === null || statuses === undefined) return ['ACTIVE'];
  const unique = [...new Set(statuses)].sort();
  const unknown = unique.find((status) => !(STANDARD_STATUSES as readonly string[]).includes(status));
  if (unique.length === 0 || unknown !== undefined) {
    throw invalid(`statuses must list at least one of ${STANDARD_STATUSES.join(', ')}.`, ['input', 'eligibility', 'statuses']);
  }
  return unique as StandardStatus[];
}

function goalOf(goal: CampaignGoalInput): { goalKind: CampaignGoalKind; goalTarget: number } {
  const field = ['input', 'goal', 'target'];
  if (!(CAMPAIGN_GOAL_KINDS as readonly string[]).includes(goal.kind)) throw invalid(`kind must be one of ${CAMPAIGN_GOAL_KINDS.join(', ')}.`, ['input', 'goal', 'kind']);
  const goalKind = goal.kind as CampaignGoalKind;
  // Spend is money (cents allowed); visits and points are counted whole.
  const goalTarget = goalKind === 'SPEND' ? moneyAmount(goal.target, field, { max: MAX_CAMPAIGN_GOAL_TARGET }) : positiveInteger(goal.target, field, MAX_CAMPAIGN_GOAL_TARGET);
  return { goalKind, goalTarget };
}

async function rewardOf(ctx: ServiceContext, reward: CampaignRewardInput): Promise<{ rewardProgramId: number; rewardPoints: number }> {
  const rewardPoints = positiveInteger(reward.points, ['input', 'reward', 'points'], MAX_CAMPAIGN_REWARD_POINTS);
  const program = await programRules(ctx, reward.programId, ['input', 'reward', 'programId']);
  return { rewardProgramId: program.id, rewardPoints };
}

function checkJoinBounds(rules: Pick<CampaignRules, 'joinedAfter' | 'joinedBefore'>): void {
  if (rules.joinedAfter && rules.joinedBefore && rules.joinedAfter.getTime() >= rules.joinedBefore.getTime()) {
    throw invalid('joinedAfter must be before joinedBefore.', ['input', 'eligibility', 'joinedBefore']);
  }
}

/** A window must end after it starts; a new end may not lie in the past. */
function checkWindow(startsAt: Date, endsAt: Date | null, now: Date, endChanged: boolean): void {
  if (endsAt === null) return;
  if (endsAt.getTime() <= startsAt.getTime()) throw new DomainError(CampaignErrorCode.CAMPAIGN_WINDOW_INVALID, 'endsAt must be after startsAt.', ['input', 'endsAt']);
  if (endChanged && endsAt.getTime() <= now.getTime()) {
    throw new DomainError(CampaignErrorCode.CAMPAIGN_WINDOW_INVALID, 'endsAt must lie in the future (use campaignEnd to end a campaign now).', ['input', 'endsAt']);
  }
}

async function eligibilityOf(ctx: ServiceContext, input: CampaignEligibilityInput): Promise<Pick<CampaignRules, 'eligibleTierIds' | 'eligibleStatuses' | 'joinedAfter' | 'joinedBefore'>> {
  const rules = {
    eligibleTierIds: await eligibleTierIds(ctx, input.tierIds),
    eligibleStatuses: eligibleStatuses(input.statuses),
    joinedAfter: input.joinedAfter ?? null,
    joinedBefore: input.joinedBefore ?? null,
  };
  checkJoinBounds(rules);
  return rules;
}

function codeTaken(code: string): DomainError {
  return new DomainError(CampaignErrorCode.CAMPAIGN_CODE_TAKEN, `Your org already has a campaign with code "${code}".`, ['input', 'code']);
}

function campaignNotFound(field: FieldPath = ['input', 'campaignId']): DomainError {
  return new DomainError(CampaignErrorCode.CAMPAIGN_NOT_FOUND, 'Your org has no campaign with that id.', field);
}

/** The rule columns a write sets, in the order `ruleValues` gives their values. */
const RULE_COLUMNS = [
  'starts_at',
  'ends_at',
  'requires_opt_in',
  'eligible_tier_ids',
  'eligible_statuses',
  'joined_after',
  'joined_before',
  'goal_kind',
  'goal_target',
  'reward_program_id',
  'reward_points',
] as const;
const JSON_COLUMNS: ReadonlySet<string> = new Set(['eligible_tier_ids', 'eligible_statuses']);
const rulePlaceholder = (column: string): string => (JSON_COLUMNS.has(column) ? '?::jsonb' : '?');

function ruleValues(rules: CampaignRules): unknown[] {
  return [
    rules.startsAt,
    rules.endsAt,
    rules.requiresOptIn,
    rules.eligibleTierIds === null ? null : JSON.stringify(rules.eligibleTierIds),
    JSON.stringify(rules.eligibleStatuses),
    rules.joinedAfter,
    rules.joinedBefore,
    rules.goalKind,
    rules.goalTarget,
    rules.rewardProgramId,
    rules.rewardPoints,
  ];
}

function rulesForAudit(rules: CampaignRules): Record<string, unknown> {
  return { ...rules, startsAt: rules.startsAt.toISOString(), endsAt: rules.endsAt?.toISOString() ?? null };
}

/** Defines a campaign: its code is new to the org, its window ends in the future. */
export async function createCampaign(ctx: ServiceContext, input: CampaignCreate): Promise<CampaignRow> {
  const code = requiredText(input.code, ['input', 'code'], MAX_CAMPAIGN_CODE_CHARS);
  const name = requiredText(input.name, ['input', 'name'], 200);
  const description = optionalText(input.description, ['input', 'description'], 1000);
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    const startsAt = input.startsAt ?? now;
    const endsAt = input.endsAt ?? null;
    checkWindow(startsAt, endsAt, now, true);
    const rules: CampaignRules = {
      startsAt,
      endsAt,
      requiresOptIn: input.requiresOptIn ?? false,
      ...(await eligibilityOf(tx, input.eligibility ?? {})),
      ...goalOf(input.goal),
      ...(await rewardOf(tx, input.reward)),
    };
    const [row] = await refusedOnConflict('campaign_org_id_code_unique', () => codeTaken(code), () =>
      writeRows(
        tx.em,
        `insert into campaign as c (org_id, code, name, description, ${RULE_COLUMNS.join(', ')}, created_at, updated_at)
          values (?, ?, ?, ?, ${RULE_COLUMNS.map(rulePlaceholder).join(', ')}, ?, ?) returning ${CAMPAIGN_COLUMNS}`,
        [tx.org.id, code, name, description, ...ruleValues(rules), now, now],
      ),
    );
    const campaign = toCampaignRow(row);
    await recordAudit(tx, { action: 'campaignCreate', subjectType: 'Campaign', subjectId: campaign.id, details: { code, name, ...rulesForAudit(rules) } });
    return campaign;
  });
}

async function lockCampaign(tx: ServiceContext, campaignId: number): Promise<CampaignRow> {
  const [row] = Number.isSafeInteger(campaignId)
    ? await selectRows(tx.em, `select ${CAMPAIGN_COLUMNS} from campaign c where c.org_id = ? and c.id = ? for update`, [tx.org.id, campaignId])
    : [];
  if (!row) throw campaignNotFound();
  return toCampaignRow(row);
}

function ended(campaign: CampaignRow): DomainError {
  return new DomainError(CampaignErrorCode.CAMPAIGN_ENDED, `The campaign "${campaign.name}" has ended.`, ['input', 'campaignId']);
}

/** Changes a campaign that has not ended; its start, goal, reward and opt-in only before it starts. */
export async function updateCampaign(ctx: ServiceContext, campaignId: number, changes: CampaignChanges): Promise<CampaignRow> {
  const name = changes.name === undefined || changes.name === null ? undefined : requiredText(changes.name, ['input', 'name'], 200);
  const description = changes.description === undefined ? undefined : optionalText(changes.description, ['input', 'description'], 1000);
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    const campaign = await lockCampaign(tx, campaignId);
    const status = campaignStatusAt(campaign, now);
    if (status === 'ENDED') throw ended(campaign);
    const startsAt = changes.startsAt ?? campaign.startsAt;
    const endsAt = changes.endsAt === undefined ? campaign.endsAt : changes.endsAt;
    checkWindow(startsAt, endsAt, now, changes.endsAt !== undefined || changes.startsAt !== undefined);
    const rules: CampaignRules = {
      startsAt,
      endsAt,
      requiresOptIn: changes.requiresOptIn ?? campaign.requiresOptIn,
      ...(changes.eligibility
        ? await eligibilityOf(tx, changes.eligibility)
        : { eligibleTierIds: campaign.eligibleTierIds ? [...campaign.eligibleTierIds] : null, eligibleStatuses: [...campaign.eligibleStatuses], joinedAfter: campaign.joinedAfter, joinedBefore: campaign.joinedBefore }),
      ...(changes.goal ? goalOf(changes.goal) : { goalKind: campaign.goalKind, goalTarget: campaign.goalTarget }),
      ...(changes.reward ? await rewardOf(tx, changes.reward) : { rewardProgramId: campaign.rewardProgramId, rewardPoints: campaign.rewardPoints }),
    };
    // A form that sends these unchanged is fine; changing them once customers count on them is not.
    const changedOnceStarted = [
      rules.startsAt.getTime() !== campaign.startsAt.getTime() && 'startsAt',
      (rules.goalKind !== campaign.goalKind || rules.goalTarget !== campaign.goalTarget) && 'goal',
      (rules.rewardProgramId !== campaign.rewardProgramId || rules.rewardPoints !== campaign.rewardPoints) && 'reward',
      rules.requiresOptIn !== campaign.requiresOptIn && 'requiresOptIn',
    ].find((field): field is string => field !== false);
    if (status === 'RUNNING' && changedOnceStarted) {
      throw new DomainError(CampaignErrorCode.CAMPAIGN_ALREADY_STARTED, `The campaign has started: its ${changedOnceStarted} can no longer change.`, ['input', changedOnceStarted]);
    }
    const [row] = await writeRows(
      tx.em,
      `update campaign c set name = ?, description = ?, ${RULE_COLUMNS.map((column) => `${column} = ${rulePlaceholder(column)}`).join(', ')}, updated_at = ?
        where c.org_id = ? and c.id = ? returning ${CAMPAIGN_COLUMNS}`,
      [name ?? campaign.name, description === undefined ? campaign.description : description, ...ruleValues(rules), now, tx.org.id, campaign.id],
    );
    const updated = toCampaignRow(row);
    await recordAudit(tx, { action: 'campaignUpdate', subjectType: 'Campaign', subjectId: updated.id, details: { name: updated.name, ...rulesForAudit(rules) } });
    return updated;
  });
}

/**
 * Ends a campaign now: purchases from now on no longer count, and nobody can join it. A campaign
 * that had not started ends with an empty window.
 */
export async function endCampaign(ctx: ServiceContext, campaignId: number): Promise<CampaignRow> {
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    const campaign = await lockCampaign(tx, campaignId);
    const status = campaignStatusAt(campaign, now);
    if (status === 'ENDED') throw ended(campaign);
    const [row] = await writeRows(
      tx.em,
      `update campaign c set starts_at = least(c.starts_at, ?::timestamptz), ends_at = ?, updated_at = ? where c.org_id = ? and c.id = ? returning ${CAMPAIGN_COLUMNS}`,
      [now, now, now, tx.org.id, campaign.id],
    );
    const endedCampaign = toCampaignRow(row);
    await recordAudit(tx, { action: 'campaignEnd', subjectType: 'Campaign', subjectId: campaign.id, details: { name: campaign.name, wasStatus: status, endsAt: now.toISOString() } });
    return endedCampaign;
  });
}

export interface CampaignJoin {
  readonly campaignId: number;
  /** Whose: with a customer's token, their own (a customer named must be them). */
  readonly customer: CustomerRef | null;
}

/**
 * Joins a running campaign the customer is eligible for; purchases from then on count. Joining
 * again changes nothing; joining a campaign open to all only records when they joined.
 */
export async function joinCampaign(ctx: ServiceContext, join: CampaignJoin): Promise<{ campaignId: number; customerId: number }> {
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    let customerId: number;
    if (join.customer) customerId = await resolveSubjectCustomerId(tx, join.customer);
    else if (tx.ownCustomerId !== undefined) customerId = tx.ownCustomerId;
    else throw invalid('customer is required with a staff key.', ['input', 'customer']);
    const [row] = Number.isSafeInteger(join.campaignId)
      ? await selectRows(
          tx.em,
          `select ${CAMPAIGN_COLUMNS}, ${ELIGIBLE} as eligible,
              exists (select 1 from campaign_progress cp where cp.org_id = c.org_id and cp.campaign_id = c.id and cp.customer_id = cu.id) as tracked
            from campaign c join customer cu on cu.org_id = c.org_id and cu.id = ? where c.org_id = ? and c.id = ?`,
          [customerId, tx.org.id, join.campaignId],
        )
      : [];
    if (!row) throw campaignNotFound();
    // A customer's token finds only the campaigns `campaign(id)` shows them: one that never
    // included them is not found, rather than named in a refusal.
    if (tx.ownCustomerId !== undefined && !row.eligible && !row.tracked) throw campaignNotFound();
    const campaign = toCampaignRow(row);
    const status = campaignStatusAt(campaign, now);
    if (status === 'ENDED') throw ended(campaign);
    if (status === 'SCHEDULED') throw new DomainError(CampaignErrorCode.CAMPAIGN_NOT_STARTED, `The campaign "${campaign.name}" has not started yet.`, ['input', 'campaignId']);
    if (!row.eligible) throw new DomainError(CampaignErrorCode.CAMPAIGN_NOT_ELIGIBLE, `The customer cannot take part in "${campaign.name}": its tier, status or join date rules do not include them.`, ['input', 'campaignId']);
    const [joined] = await writeRows(
      tx.em,
      `insert into campaign_progress (org_id, campaign_id, customer_id, value, joined_at, updated_at) values (?, ?, ?, 0, ?, ?)
        on conflict (org_id, campaign_id, customer_id) do update set joined_at = coalesce(campaign_progress.joined_at, excluded.joined_at)
        returning joined_at = ?::timestamptz as newly_joined`,
      [tx.org.id, campaign.id, customerId, now, now, now],
    );
    if (joined?.newlyJoined) await recordAudit(tx, { action: 'campaignJoin', subjectType: 'Campaign', subjectId: campaign.id, details: { customerId } });
    return { campaignId: campaign.id, customerId };
  });
}

/** The org's campaigns with these ids (an id it has none of finds nothing). */
export async function findCampaigns(ctx: ServiceContext, ids: readonly number[]): Promise<CampaignRow[]> {
  const rows = await selectRows(ctx.em, `select ${CAMPAIGN_COLUMNS} from campaign c where c.org_id = ? and c.id = any(?::bigint[])`, [ctx.org.id, ids]);
  return rows.map(toCampaignRow);
}
