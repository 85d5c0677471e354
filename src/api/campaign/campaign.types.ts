import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { UserError } from '../../core/errors.js';
import type { StandardStatus } from '../../domain/customer/customer.entity.js';
import { CAMPAIGN_GOAL_KINDS, type CampaignGoalKind } from '../../domain/campaign/campaign.entity.js';
import type { CampaignProgressStatus, CampaignStatus } from '../../domain/campaign/campaign.rows.js';
import { MAX_CAMPAIGN_CODE_CHARS, MAX_CAMPAIGN_GOAL_TARGET, MAX_CAMPAIGN_REWARD_POINTS, MAX_CAMPAIGN_TIERS } from '../../domain/campaign/campaign.service.js';
import { CustomerIdentifierInput } from '../customer/dto/customer-identifier.input.js';
import { StandardStatusEnum } from '../customer/customer.types.js';
import { graphqlEnum } from '../enums.js';
import { LoyaltyProgram, Tier } from '../program/program.types.js';
import { connectionType, Node } from '../relay.js';
import { DateTimeScalar } from '../scalars.js';
import { UserErrorType } from '../user-error.type.js';

export const CampaignGoalKindEnum = graphqlEnum(CAMPAIGN_GOAL_KINDS, 'CampaignGoalKind', "What a campaign counts toward its goal, among purchases within its window.", {
  SPEND: 'Money spent (bill amounts).',
  VISITS: 'Purchases made, one per bill.',
  POINTS: 'Points the purchases earned the customer (points earned for a group do not count).',
});

export const CampaignStatusEnum = graphqlEnum(['SCHEDULED', 'RUNNING', 'ENDED'] as const satisfies readonly CampaignStatus[], 'CampaignStatus', 'Where a campaign stands now.', {
  SCHEDULED: 'It starts later.',
  RUNNING: 'Purchases count toward it now.',
  ENDED: 'Its window is over (or it was ended).',
});

export const CampaignProgressStatusEnum = graphqlEnum(
  ['NOT_ELIGIBLE', 'NOT_JOINED', 'IN_PROGRESS', 'COMPLETED', 'MISSED'] as const satisfies readonly CampaignProgressStatus[],
  'CampaignProgressStatus',
  'Where a customer stands in a campaign.',
  {
    NOT_ELIGIBLE: "The campaign's tier, status or join date rules do not include the customer.",
    NOT_JOINED: 'The campaign needs customers to opt in, and the customer has not joined (see `campaignJoin`).',
    IN_PROGRESS: 'Their purchases count toward the goal.',
    COMPLETED: 'They reached the goal and got the reward.',
    MISSED: 'The campaign ended before they reached the goal.',
  },
);

export const CampaignListEnum = graphqlEnum(['ACTIVE', 'ELIGIBLE', 'COMPLETED'] as const, 'CampaignList', "Which of a customer's campaigns to list.", {
  ACTIVE: 'Running campaigns the customer takes part in and has not completed (open to all, or joined).',
  ELIGIBLE: 'Running opt-in campaigns the customer may join and has not.',
  COMPLETED: 'Campaigns the customer completed, most recent completion first.',
});
export type CampaignList = keyof typeof CampaignListEnum;

@ObjectType({ description: 'Who may take part in a campaign; a customer must meet every rule.' })
export class CampaignEligibility {
  @Field(() => [Tier], { description: 'Tiers a customer must hold one of (in any program); empty for any tier.' })
  tiers!: Tier[];

  @Field(() => [StandardStatusEnum], { description: 'Standard statuses a customer must have one of.' })
  statuses!: StandardStatus[];

  @Field(() => DateTimeScalar, { nullable: true, description: 'Only customers who joined at or after this instant.' })
  joinedAfter!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Only customers who joined before this instant.' })
  joinedBefore!: Date | null;
}

@ObjectType({ description: "A campaign's goal." })
export class CampaignGoal {
  @Field(() => CampaignGoalKindEnum, { description: 'What counts.' })
  kind!: CampaignGoalKind;

  @Field(() => Float, { description: 'How much of it reaches the goal.' })
  target!: number;
}

@ObjectType({ description: "A campaign's reward for reaching its goal, once per customer." })
export class CampaignReward {
  @Field(() => Int, { description: 'Points granted.' })
  points!: number;

  @Field(() => LoyaltyProgram, { description: 'The program they go to.' })
  program!: LoyaltyProgram;
}

@ObjectType({ description: "A customer's progress in a campaign." })
export class CampaignProgress {
  @Field(() => Float, { description: 'Spend, visits or points counted so far.' })
  value!: number;

  @Field(() => Float, { description: "The goal's target." })
  target!: number;

  @Field(() => Int, { description: 'How far along, 0 to 100 (rounded down; 100 once completed).' })
  percent!: number;

  @Field(() => CampaignProgressStatusEnum, { description: 'Where the customer stands.' })
  status!: CampaignProgressStatus;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When they joined (opt-in campaigns, or a campaign joined although open to all).' })
  joinedAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the purchase that reached the goal was recorded.' })
  completedAt!: Date | null;
}

@ObjectType({ implements: Node, description: 'A campaign: a goal customers reach with purchases within a window, rewarded with points.' })
export class Campaign extends Node {
  @Field(() => String, { description: 'The code integrations know it by, unique in the org.' })
  code!: string;

  @Field(() => String, { description: 'Name shown to customers.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Description shown to customers.' })
  description!: string | null;

  @Field(() => DateTimeScalar, { description: 'When purchases start to count.' })
  startsAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it ends; null for open-ended.' })
  endsAt!: Date | null;

  @Field(() => Boolean, { description: 'Whether customers must join it (`campaignJoin`) for their purchases to count.' })
  requiresOptIn!: boolean;

  @Field(() => DateTimeScalar, { description: 'When it was defined.' })
  createdAt!: Date;
}

export const CampaignConnection = connectionType(Campaign, 'Campaign');

@InputType({ description: 'Who may take part in a campaign.' })
export class CampaignEligibilityInput {
  @Field(() => [ID], { nullable: true, description: `Tiers (global ids, any program of the org) a customer must hold one of; any tier when absent or empty (at most ${MAX_CAMPAIGN_TIERS}).` })
  tierIds?: string[] | null;

  @Field(() => [StandardStatusEnum], { nullable: true, description: 'Standard statuses a customer must have one of; ACTIVE alone when absent.' })
  statuses?: StandardStatus[] | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Only customers who joined at or after this instant.' })
  joinedAfter?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Only customers who joined before this instant.' })
  joinedBefore?: Date | null;
}

@InputType({ description: "A campaign's goal." })
export class CampaignGoalInput {
  @Field(() => CampaignGoalKindEnum, { description: 'What counts.' })
  kind!: CampaignGoalKind;

  @Field(() => Float, { description: `How much of it reaches the goal: positive, at most ${MAX_CAMPAIGN_GOAL_TARGET}; whole for VISITS and POINTS, two decimals at most for SPEND.` })
  target!: number;
}

@InputType({ description: "A campaign's reward for reaching its goal." })
export class CampaignRewardInput {
  @Field(() => Int, { description: `Points granted once per customer (1 to ${MAX_CAMPAIGN_REWARD_POINTS}).` })
  points!: number;

  @Field(() => ID, { nullable: true, description: "The program the points go to; the org's default program when absent." })
  programId?: string | null;
}

@InputType({ description: 'A new campaign.' })
export class CampaignCreateInput {
  @Field(() => String, { description: `Code integrations know it by, unique in the org (1 to ${MAX_CAMPAIGN_CODE_CHARS} characters).` })
  code!: string;

  @Field(() => String, { description: 'Name shown to customers (at most 200 characters).' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Description shown to customers (at most 1,000 characters).' })
  description?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When purchases start to count; now when absent.' })
  startsAt?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it ends (after the start, in the future); open-ended when absent.' })
  endsAt?: Date | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether customers must join it for their purchases to count; false when absent.' })
  requiresOptIn?: boolean | null;

  @Field(() => CampaignEligibilityInput, { nullable: true, description: 'Who may take part; every ACTIVE customer when absent.' })
  eligibility?: CampaignEligibilityInput | null;

  @Field(() => CampaignGoalInput, { description: 'The goal.' })
  goal!: CampaignGoalInput;

  @Field(() => CampaignRewardInput, { description: 'The reward.' })
  reward!: CampaignRewardInput;
}

@InputType({ description: 'Changes to a campaign: fields left out stay as they are. Start, goal, reward and opt-in change only before it starts.' })
export class CampaignUpdateInput {
  @Field(() => ID, { description: 'The campaign.' })
  campaignId!: string;

  @Field(() => String, { nullable: true, description: 'New name.' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'New description; an empty one removes it.' })
  description?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'New start (before the campaign starts only).' })
  startsAt?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'New end, in the future; an explicit null makes it open-ended.' })
  endsAt?: Date | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether customers must join (before the campaign starts only).' })
  requiresOptIn?: boolean | null;

  @Field(() => CampaignEligibilityInput, { nullable: true, description: 'New eligibility, replacing the old whole; it judges purchases from now on.' })
  eligibility?: CampaignEligibilityInput | null;

  @Field(() => CampaignGoalInput, { nullable: true, description: 'New goal (before the campaign starts only).' })
  goal?: CampaignGoalInput | null;

  @Field(() => CampaignRewardInput, { nullable: true, description: 'New reward (before the campaign starts only).' })
  reward?: CampaignRewardInput | null;
}

@InputType({ description: 'A campaign to end now.' })
export class CampaignEndInput {
  @Field(() => ID, { description: 'The campaign.' })
  campaignId!: string;
}

@InputType({ description: 'A campaign to join.' })
export class CampaignJoinInput {
  @Field(() => ID, { description: 'The campaign.' })
  campaignId!: string;

  @Field(() => CustomerIdentifierInput, { nullable: true, description: "Who joins: required with a staff key; with a customer's token, the customer themselves (when given, it must be them)." })
  customer?: CustomerIdentifierInput | null;
}

@ObjectType({ description: 'Result of `campaignCreate`, `campaignUpdate` and `campaignEnd`.' })
export class CampaignPayload {
  @Field(() => Campaign, { nullable: true, description: 'The campaign as it now stands.' })
  campaign?: Campaign | null;

  @Field(() => [UserErrorType], { description: 'Why nothing changed; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of `campaignJoin`.' })
export class CampaignJoinPayload {
  @Field(() => Campaign, { nullable: true, description: 'The campaign joined.' })
  campaign?: Campaign | null;

  @Field(() => CampaignProgress, { nullable: true, description: "The customer's progress in it." })
  progress?: CampaignProgress | null;

  @Field(() => [UserErrorType], { description: 'Why the customer did not join; empty on success.' })
  userErrors!: UserError[];
}
