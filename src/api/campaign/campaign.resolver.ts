import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { payload, type Payload } from '../../core/errors.js';
import { campaignStatusAt, type CampaignProgressRow, type CampaignRow, type CampaignStatus } from '../../domain/campaign/campaign.rows.js';
import { createCampaign, endCampaign, joinCampaign, updateCampaign, type CampaignEligibilityInput as EligibilityInput } from '../../domain/campaign/campaign.service.js';
import { AllowRoles, AllowWriters } from '../allow.js';
import type { RequestContext } from '../context.js';
import { programById, tierById } from '../program/program.loaders.js';
import type { LoyaltyProgramRow, TierRow } from '../../domain/program/program.rows.js';
import { idOfType, inputId, PageArgs, pageRequest, toConnection, type ConnectionValue } from '../relay.js';
import { campaignById, listCampaigns, loadCampaignProgress, type CampaignNode } from './campaign.loaders.js';
import {
  Campaign,
  CampaignConnection,
  CampaignCreateInput,
  CampaignEligibility,
  CampaignEligibilityInput,
  CampaignEndInput,
  CampaignGoal,
  CampaignJoinInput,
  CampaignJoinPayload,
  CampaignPayload,
  CampaignProgress,
  CampaignReward,
  CampaignStatusEnum,
  CampaignUpdateInput,
} from './campaign.types.js';

@ArgsType()
class CampaignsArgs extends PageArgs {
  @Field(() => CampaignStatusEnum, { nullable: true, description: 'Only campaigns in this status now; all when absent.' })
  status?: CampaignStatus | null;
}

function eligibilityInput(input: CampaignEligibilityInput | null | undefined): EligibilityInput | null | undefined {
  if (!input) return input;
  return { ...input, tierIds: input.tierIds?.map((id) => inputId(id, 'Tier') ?? 0) ?? null };
}

function rewardInput<T extends { points: number; programId?: string | null }>(reward: T): { points: number; programId: number | null } {
  return { points: reward.points, programId: inputId(reward.programId, 'LoyaltyProgram') };
}

/** The GraphQL shape of a progress row. */
export function toCampaignProgress(progress: CampaignProgressRow): CampaignProgress {
  const percent = progress.status === 'COMPLETED' ? 100 : Math.min(99, Math.floor((progress.value / progress.target) * 100 + 1e-9));
  return { value: progress.value, target: progress.target, percent, status: progress.status, joinedAt: progress.joinedAt, completedAt: progress.completedAt };
}

type CampaignResult = Payload<{ campaign: CampaignRow | null }>;

/**
 * Campaigns: ADMIN keys define them, any staff key reads them, customers read the ones open to
 * them (through `me.campaigns` and `campaign`) and join opt-in ones.
 */
@Resolver(() => Campaign)
export class CampaignResolver {
  @Query(() => Campaign, {
    nullable: true,
    description: "A campaign of the org by its id; null when there is none. A customer's token finds only campaigns open to them or that they took part in.",
  })
  async campaign(@Arg('id', () => ID, { description: "The campaign's global id." }) id: string, @Ctx() ctx: RequestContext): Promise<CampaignRow | null> {
    const campaignId = idOfType(id, 'Campaign');
    if (campaignId === undefined) return null;
    const campaign = await campaignById(ctx).load(campaignId);
    if (!campaign || !ctx.customer) return campaign;
    const progress = await loadCampaignProgress(ctx, campaign.id, ctx.customer.customerId);
    return progress && (progress.eligible || progress.tracked) ? campaign : null;
  }

  @Query(() => CampaignConnection, { description: "The org's campaigns, newest first." })
  async campaigns(@Args(() => CampaignsArgs) args: CampaignsArgs, @Ctx() ctx: RequestContext): Promise<ConnectionValue<CampaignRow>> {
    return toConnection(await listCampaigns(ctx, args.status ?? null, pageRequest(args)), (campaign) => campaign.id);
  }

  @AllowRoles(['ADMIN'], 'define campaigns')
  @Mutation(() => CampaignPayload, { description: 'Defines a campaign: who may take part, the goal, the reward and the window (ADMIN keys only).' })
  campaignCreate(@Arg('input', () => CampaignCreateInput, { description: 'The campaign.' }) input: CampaignCreateInput, @Ctx() ctx: RequestContext): Promise<CampaignResult> {
    return payload(async () => ({
      campaign: await createCampaign(ctx, { ...input, eligibility: eligibilityInput(input.eligibility), reward: rewardInput(input.reward) }),
    }));
  }

  @AllowRoles(['ADMIN'], 'change campaigns')
  @Mutation(() => CampaignPayload, { description: 'Changes a campaign that has not ended; its start, goal, reward and opt-in only before it starts (ADMIN keys only).' })
  campaignUpdate(@Arg('input', () => CampaignUpdateInput, { description: 'The campaign and its changes.' }) input: CampaignUpdateInput, @Ctx() ctx: RequestContext): Promise<CampaignResult> {
    const { campaignId, eligibility, reward, ...changes } = input;
    return payload(async () => ({
      campaign: await updateCampaign(ctx, inputId(campaignId, 'Campaign') ?? 0, {
        ...changes,
        eligibility: eligibilityInput(eligibility),
        reward: reward ? rewardInput(reward) : reward,
      }),
    }));
  }

  @AllowRoles(['ADMIN'], 'end campaigns')
  @Mutation(() => CampaignPayload, { description: 'Ends a campaign now: later purchases do not count and nobody can join (ADMIN keys only).' })
  campaignEnd(@Arg('input', () => CampaignEndInput, { description: 'The campaign.' }) input: CampaignEndInput, @Ctx() ctx: RequestContext): Promise<CampaignResult> {
    return payload(async () => ({ campaign: await endCampaign(ctx, inputId(input.campaignId, 'Campaign') ?? 0) }));
  }

  @AllowWriters()
  @Mutation(() => CampaignJoinPayload, { description: 'Joins a customer to a running campaign they are eligible for; their purchases from now on count. Joining again changes nothing.' })
  async campaignJoin(@Arg('input', () => CampaignJoinInput, { description: 'The campaign, and who joins.' }) input: CampaignJoinInput, @Ctx() ctx: RequestContext) {
    return payload(async () => {
      const joined = await joinCampaign(ctx, { campaignId: inputId(input.campaignId, 'Campaign') ?? 0, customer: input.customer ?? null });
      const [campaign, progress] = await Promise.all([campaignById(ctx).load(joined.campaignId), loadCampaignProgress(ctx, joined.campaignId, joined.customerId)]);
      return { campaign, progress: progress && toCampaignProgress(progress) };
    });
  }

  @FieldResolver(() => CampaignStatusEnum, { description: 'Where the campaign stands now.' })
  status(@Root() campaign: CampaignRow, @Ctx() ctx: RequestContext): CampaignStatus {
    return campaignStatusAt(campaign, ctx.clock.now());
  }

  @FieldResolver(() => CampaignEligibility, { description: 'Who may take part.' })
  async eligibility(@Root() campaign: CampaignRow, @Ctx() ctx: RequestContext): Promise<Omit<CampaignEligibility, 'tiers'> & { tiers: TierRow[] }> {
    const tiers = await Promise.all((campaign.eligibleTierIds ?? []).map((id) => tierById(ctx).load(id)));
    return {
      tiers: tiers.filter((tier) => tier !== null),
      statuses: [...campaign.eligibleStatuses],
      joinedAfter: campaign.joinedAfter,
      joinedBefore: campaign.joinedBefore,
    };
  }

  @FieldResolver(() => CampaignGoal, { description: 'The goal.' })
  goal(@Root() campaign: CampaignRow): CampaignGoal {
    return { kind: campaign.goalKind, target: campaign.goalTarget };
  }

  @FieldResolver(() => CampaignReward, { description: 'The reward for reaching the goal.' })
  async reward(@Root() campaign: CampaignRow, @Ctx() ctx: RequestContext): Promise<{ points: number; program: LoyaltyProgramRow | null }> {
    return { points: campaign.rewardPoints, program: await programById(ctx).load(campaign.rewardProgramId) };
  }

  @FieldResolver(() => CampaignProgress, {
    nullable: true,
    description:
      "A customer's progress: with a customer's token, their own; otherwise the customer named, or the one whose `campaigns` list this campaign was reached through. Null when there is no such customer.",
  })
  async progress(
    @Root() campaign: CampaignNode,
    @Arg('customerId', () => ID, { nullable: true, description: "A customer's global id (staff keys); a customer's token may name only themselves." }) customerId: string | null | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<CampaignProgress | null> {
    const named = customerId ? (idOfType(customerId, 'Customer') ?? 0) : undefined;
    const own = ctx.customer?.customerId;
    const whose = own !== undefined ? (named === undefined || named === own ? own : undefined) : (named ?? campaign.viaCustomerId);
    if (whose === undefined) return null;
    const progress = await loadCampaignProgress(ctx, campaign.id, whose);
    return progress && toCampaignProgress(progress);
  }
}
