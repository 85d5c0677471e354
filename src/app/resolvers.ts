import type { NonEmptyArray } from 'type-graphql';
import { EarnedBadgeFields } from '../api/badge/badge.fields.js';
import { BadgeResolver } from '../api/badge/badge.resolver.js';
import { CustomerBadgeFields } from '../api/badge/customer-badges.fields.js';
import { CardFields, CardSeriesFields } from '../api/card/card.fields.js';
import { CardResolver } from '../api/card/card.resolver.js';
import { CustomerCardFields } from '../api/card/customer-cards.fields.js';
import { CustomerFields } from '../api/customer/customer.fields.js';
import { CustomerResolver } from '../api/customer/customer.resolver.js';
import { ImportJobFields } from '../api/import/import-job.fields.js';
import { ImportJobResolver } from '../api/import/import-job.resolver.js';
import { ImportTemplateFields } from '../api/import/template.fields.js';
import { ImportTemplateResolver } from '../api/import/template.resolver.js';
import { CustomerIncentiveFields } from '../api/incentive/customer-incentives.fields.js';
import { IncentiveFields, IncentiveRedemptionFields } from '../api/incentive/incentive.fields.js';
import { IncentiveResolver } from '../api/incentive/incentive.resolver.js';
import { CustomerInteractionFields } from '../api/interaction/customer-interactions.fields.js';
import { InteractionFields } from '../api/interaction/interaction.fields.js';
import { CustomerRegistrationEventFields } from '../api/lifecycle/customer-registration-events.fields.js';
import { NodeResolver } from '../api/node/node.resolver.js';
import { CustomerJoinStoreFields } from '../api/org/customer-join-store.fields.js';
import { OrgResolver } from '../api/org/org.resolver.js';
import { OAuthClientResolver } from '../api/oauth/oauth-client.resolver.js';
import { StaffIdentityProviderResolver } from '../api/org/staff-identity-provider.resolver.js';
import { CustomerMembershipFields } from '../api/partner-program/customer-memberships.fields.js';
import { CustomerPointsLedgerFields } from '../api/points/customer-points-ledger.fields.js';
import { PointsLedgerEntryFields, ProgramLoyaltyPointsFields } from '../api/points/points.fields.js';
import { PointsResolver } from '../api/points/points.resolver.js';
import { EmailResolver } from '../api/message/email.resolver.js';
import { SmsResolver } from '../api/message/sms.resolver.js';
import { InteractionUpdatesResolver } from '../api/message/interaction-updates.resolver.js';
import { CustomerLoyaltyFields } from '../api/program/customer-loyalty.fields.js';
import { UserGroupLoyaltyFields } from '../api/program/user-group-loyalty.fields.js';
import { CustomerTimelineFields } from '../api/timeline/customer-timeline.fields.js';
import { CampaignResolver } from '../api/campaign/campaign.resolver.js';
import { CustomerCampaignFields } from '../api/campaign/customer-campaigns.fields.js';
import { LedgerEntryCampaignFields } from '../api/campaign/ledger-campaign.fields.js';
import { TimelineViewResolver } from '../api/timeline/timeline-view.resolver.js';
import { CustomerTransactionFields } from '../api/transaction/customer-transactions.fields.js';
import { TransactionFields } from '../api/transaction/transaction.fields.js';
import { TransactionResolver } from '../api/transaction/transaction.resolver.js';
import { UserGroupTransactionFields } from '../api/transaction/user-group-transactions.fields.js';
import { CustomerGroupFields } from '../api/user-group/customer-groups.fields.js';
import { UserGroupFields } from '../api/user-group/user-group.fields.js';
import { UserGroupResolver } from '../api/user-group/user-group.resolver.js';

/**
 * Every resolver class of the schema, by feature. A relation field is resolved in the feature
 * that owns its rows, so a type's fields may come from several classes (`@Resolver(() => Customer)`).
 */
export const RESOLVERS = [
  // org
  OrgResolver,
  StaffIdentityProviderResolver,
  // oauth (partner apps)
  OAuthClientResolver,
  CustomerJoinStoreFields,
  // node
  NodeResolver,
  // customer
  CustomerResolver,
  CustomerFields,
  // card
  CardResolver,
  CardFields,
  CardSeriesFields,
  CustomerCardFields,
  // program
  CustomerLoyaltyFields,
  UserGroupLoyaltyFields,
  // points
  PointsResolver,
  PointsLedgerEntryFields,
  ProgramLoyaltyPointsFields,
  CustomerPointsLedgerFields,
  // message
  SmsResolver,
  EmailResolver,
  InteractionUpdatesResolver,
  // user-group
  UserGroupResolver,
  UserGroupFields,
  CustomerGroupFields,
  // transaction
  TransactionResolver,
  TransactionFields,
  CustomerTransactionFields,
  UserGroupTransactionFields,
  // incentive
  IncentiveResolver,
  IncentiveFields,
  IncentiveRedemptionFields,
  CustomerIncentiveFields,
  // badge
  BadgeResolver,
  EarnedBadgeFields,
  CustomerBadgeFields,
  // partner-program
  CustomerMembershipFields,
  // interaction
  InteractionFields,
  CustomerInteractionFields,
  // timeline
  CustomerTimelineFields,
  TimelineViewResolver,
  // campaign
  CampaignResolver,
  CustomerCampaignFields,
  LedgerEntryCampaignFields,
  // lifecycle
  CustomerRegistrationEventFields,
  // import
  ImportTemplateResolver,
  ImportTemplateFields,
  ImportJobResolver,
  ImportJobFields,
] as unknown as NonEmptyArray<Function>;
