import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { inputId, PageArgs, pageRequest, toConnection, type ConnectionValue } from '../relay.js';
import type { RequestContext } from '../context.js';
import { cardsOfCustomer } from '../card/card.loaders.js';
import { CardConnection } from '../card/card.types.js';
import type { CardRow } from '../../domain/card/card.rows.js';
import { badgesOfCustomer, EarnedBadgeConnection, type EarnedBadgeRow } from '../badge/index.js';
import { incentivesOfCustomer, IncentiveConnection, type IncentiveRow } from '../incentive/index.js';
import { interactionsOfCustomer, InteractionConnection, type InteractionRow } from '../interaction/index.js';
import { Store } from '../org/org.types.js';
import type { StoreRow } from '../../domain/org/org.rows.js';
import { membershipsOfCustomer, ProgramMembership, type ProgramMembershipRow } from '../partner-program/index.js';
import { registrationEventsOfCustomer, RegistrationEventConnection, registrationEventSortValue, type RegistrationEventRow } from '../lifecycle/index.js';
import { ledgerOfCustomer, PointsLedgerEntryConnection, type LedgerEntryRow } from '../points/index.js';
import { loyaltyOf } from '../program/program.loaders.js';
import type { ProgramLoyaltyRow } from '../../domain/program/program.rows.js';
import { ProgramLoyalty } from '../program/program.types.js';
import { timelineOfCustomer, TimelineEventConnection, type TimelineEventRow } from '../timeline/index.js';
import { transactionsOfCustomer, TransactionConnection, type TransactionRow } from '../transaction/index.js';
import { groupsOfCustomer, UserGroup, type UserGroupRow } from '../user-group/index.js';
import { InteractionsArgs, MembershipsArgs, PointsLedgerArgs, TimelineArgs } from './customer.args.js';
import { customerById, subscriptionsOfCustomer, type ChannelSubscriptionRow } from './customer.loaders.js';
import type { CustomerRow } from '../../domain/customer/customer.rows.js';
import { ChannelSubscription, Customer, CustomerFraudStatus, CustomerStatus } from './customer.types.js';

/** The single view: every field of a customer beyond its own columns, each loaded in batches. */
@Resolver(() => Customer)
export class CustomerFields {
  @FieldResolver(() => String, { description: 'The customer id used as the USER_ID identifier.' })
  userId(@Root() customer: CustomerRow): string {
    return String(customer.id);
  }

  @FieldResolver(() => CustomerStatus, { description: 'Status label mapped to a standard status, with its reason.' })
  status(@Root() customer: CustomerRow): CustomerStatus {
    return { label: customer.statusLabel, standardStatus: customer.standardStatus, reason: customer.statusReason };
  }

  @FieldResolver(() => CustomerFraudStatus, { nullable: true, description: 'Fraud status with its reason; null when never assessed.' })
  fraudStatus(@Root() customer: CustomerRow): CustomerFraudStatus | null {
    return customer.fraudStatus ? { status: customer.fraudStatus, reason: customer.fraudReason } : null;
  }

  @FieldResolver(() => Store, { nullable: true, description: 'The store the customer joined at.' })
  joinStore(@Root() customer: CustomerRow): StoreRow | null {
    return customer.joinStore;
  }

  @FieldResolver(() => Customer, { nullable: true, description: 'Parent customer of a fleet (parent–child) hierarchy.' })
  parent(@Root() customer: CustomerRow, @Ctx() ctx: RequestContext): Promise<CustomerRow | null> | null {
    return customer.parentId === null ? null : customerById(ctx).load(customer.parentId);
  }

  @FieldResolver(() => [ProgramLoyalty], { description: 'Standing in each loyalty program: tier, points balance, lifetime points and purchases.' })
  loyalty(@Root() customer: CustomerRow, @Ctx() ctx: RequestContext): Promise<ProgramLoyaltyRow[]> {
    return loyaltyOf(ctx, 'customer').load(customer.id);
  }

  @FieldResolver(() => PointsLedgerEntryConnection, { description: "The customer's points ledger, newest entry first: every credit and debit, with expiries." })
  async pointsLedger(
    @Root() customer: CustomerRow,
    @Args(() => PointsLedgerArgs) args: PointsLedgerArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<ConnectionValue<LedgerEntryRow>> {
    const page = await ledgerOfCustomer(ctx, inputId(args.programId, 'LoyaltyProgram'), pageRequest(args)).load(customer.id);
    return toConnection(page, (entry) => entry.id);
  }

  @FieldResolver(() => [ChannelSubscription], { description: 'Consent per channel, priority and account.' })
  channelSubscriptions(@Root() customer: CustomerRow, @Ctx() ctx: RequestContext): Promise<ChannelSubscriptionRow[]> {
    return subscriptionsOfCustomer(ctx).load(customer.id);
  }

  @FieldResolver(() => CardConnection, { description: 'Cards issued to the customer, newest first.' })
  async cards(@Root() customer: CustomerRow, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: RequestContext): Promise<ConnectionValue<CardRow>> {
    return toConnection(await cardsOfCustomer(ctx, pageRequest(args)).load(customer.id), (card) => card.id);
  }

  @FieldResolver(() => [UserGroup], { description: 'Groups the customer is a member of.' })
  groups(@Root() customer: CustomerRow, @Ctx() ctx: RequestContext): Promise<UserGroupRow[]> {
    return groupsOfCustomer(ctx).load(customer.id);
  }

  @FieldResolver(() => TransactionConnection, { description: "The customer's own transactions (not those made for a group), newest first." })
  async transactions(
    @Root() customer: CustomerRow,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<ConnectionValue<TransactionRow>> {
    const page = await transactionsOfCustomer(ctx, pageRequest(args)).load(customer.id);
    return toConnection(page, (transaction) => transaction.occurredAt.toISOString());
  }

  @FieldResolver(() => EarnedBadgeConnection, { description: 'Badges the customer has earned, newest first.' })
  async badges(@Root() customer: CustomerRow, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: RequestContext): Promise<ConnectionValue<EarnedBadgeRow>> {
    const page = await badgesOfCustomer(ctx, pageRequest(args)).load(customer.id);
    return toConnection(page, (badge) => badge.earnedAt.toISOString());
  }

  @FieldResolver(() => IncentiveConnection, { description: 'Coupons, promo codes and gift vouchers the customer holds, newest first.' })
  async incentives(@Root() customer: CustomerRow, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: RequestContext): Promise<ConnectionValue<IncentiveRow>> {
    const page = await incentivesOfCustomer(ctx, pageRequest(args)).load(customer.id);
    return toConnection(page, (incentive) => incentive.issuedAt.toISOString());
  }

  @FieldResolver(() => [ProgramMembership], {
    description: 'Memberships of supplementary or external partner programs: current ones, or all with `includeEnded`.',
  })
  supplementaryMemberships(
    @Root() customer: CustomerRow,
    @Args(() => MembershipsArgs) args: MembershipsArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<ProgramMembershipRow[]> {
    return membershipsOfCustomer(ctx, args.includeEnded).load(customer.id);
  }

  @FieldResolver(() => InteractionConnection, { description: 'Messages sent to the customer, newest first; times in the org time zone.' })
  async interactions(
    @Root() customer: CustomerRow,
    @Args(() => InteractionsArgs) args: InteractionsArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<ConnectionValue<InteractionRow>> {
    const page = await interactionsOfCustomer(ctx, args.channel ?? null, pageRequest(args)).load(customer.id);
    return toConnection(page, (interaction) => interaction.sentAt.toISOString());
  }

  @FieldResolver(() => RegistrationEventConnection, {
    description: "The customer's registrations through the org's sources (Entity Life Cycle imports), most recently updated first.",
  })
  async registrationEvents(
    @Root() customer: CustomerRow,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<ConnectionValue<RegistrationEventRow>> {
    return toConnection(await registrationEventsOfCustomer(ctx, pageRequest(args)).load(customer.id), registrationEventSortValue);
  }

  @FieldResolver(() => TimelineEventConnection, { description: "The customer's events, newest first, optionally only some types." })
  async timeline(
    @Root() customer: CustomerRow,
    @Args(() => TimelineArgs) args: TimelineArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<ConnectionValue<TimelineEventRow>> {
    const page = await timelineOfCustomer(ctx, args.types ?? null, pageRequest(args)).load(customer.id);
    return toConnection(page, (event) => event.occurredAt.toISOString());
  }
}
