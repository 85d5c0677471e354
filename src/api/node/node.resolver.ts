import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { fromGlobalId, Node, type NodeRow } from '../relay.js';
import type { RequestContext } from '../context.js';
import { badgeById, earnedBadgeById } from '../badge/index.js';
import { campaignById } from '../campaign/index.js';
import { cardById, cardSeriesById } from '../card/index.js';
import { customerById } from '../customer/index.js';
import { importJobById, importTemplateById } from '../import/index.js';
import { incentiveById, incentiveRedemptionById, incentiveSeriesById } from '../incentive/index.js';
import { interactionById } from '../interaction/index.js';
import { storeById } from '../org/index.js';
import { programMembershipById, supplementaryProgramById } from '../partner-program/index.js';
import { ledgerEntryById } from '../points/index.js';
import { programById, tierById } from '../program/index.js';
import { timelineEventById } from '../timeline/index.js';
import { transactionById } from '../transaction/index.js';
import { userGroupById } from '../user-group/index.js';

type NodeLoader = (ctx: RequestContext) => { load(id: number): Promise<NodeRow | null> };

/** How each refetchable type loads by id; every loader is scoped to the caller's org. */
const NODE_LOADERS: Record<string, NodeLoader> = {
  Customer: customerById,
  Card: cardById,
  CardSeries: cardSeriesById,
  Store: storeById,
  LoyaltyProgram: programById,
  Tier: tierById,
  UserGroup: userGroupById,
  Transaction: transactionById,
  Incentive: incentiveById,
  IncentiveSeries: incentiveSeriesById,
  IncentiveRedemption: incentiveRedemptionById,
  Badge: badgeById,
  EarnedBadge: earnedBadgeById,
  SupplementaryProgram: supplementaryProgramById,
  ProgramMembership: programMembershipById,
  Interaction: interactionById,
  TimelineEvent: timelineEventById,
  ImportTemplate: importTemplateById,
  ImportJob: importJobById,
  PointsLedgerEntry: ledgerEntryById,
  Campaign: campaignById,
};

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: 'Any object by its global id; null when it does not exist in your org.' })
  async node(@Arg('id', () => ID, { description: 'A global id.' }) id: string, @Ctx() ctx: RequestContext): Promise<NodeRow | null> {
    const decoded = fromGlobalId(id);
    if (!decoded) return null;
    if (decoded.typeName === 'Org') return decoded.id === ctx.org.id ? ctx.org : null;
    const loader = NODE_LOADERS[decoded.typeName];
    return loader ? loader(ctx).load(decoded.id) : null;
  }
}
