export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An instant as ISO-8601 with a UTC offset, e.g. `2022-03-01T12:30:00+08:00`. Returned in the time zone of the org; accepted with any offset. */
  DateTime: { input: string; output: string; }
  /** The `JSONObject` scalar type represents JSON objects as specified by [ECMA-404](http://www.ecma-international.org/publications/files/ECMA-ST/ECMA-404.pdf). */
  JSONObject: { input: Record<string, unknown>; output: Record<string, unknown>; }
  /** The `Upload` scalar type represents a file upload. */
  Upload: { input: File; output: File; }
};

/** A badge customers can earn. */
export type Badge = Node & {
  __typename?: 'Badge';
  /** Description. */
  description?: Maybe<Scalars['String']['output']>;
  /** Globally unique, opaque id. */
  id: Scalars['ID']['output'];
  /** The id imports and integrations refer to the badge by (badgeMetaId). */
  metaId: Scalars['String']['output'];
  /** Badge name. */
  name: Scalars['String']['output'];
};

/** A badge earned by a customer, possibly in the past (a retro issue). */
export type BadgeIssueInput = {
  /** The badge definition’s meta id (badgeMetaId). */
  badgeMetaId: Scalars['String']['input'];
  /** The customer. */
  customer: CustomerIdentifierInput;
  /** When the badge was earned: now or in the past. */
  earnEventDate: Scalars['DateTime']['input'];
  /** When the badge expires: after `earnEventDate`. */
  earnExpiresOn: Scalars['DateTime']['input'];
};

/** Result of `badgeIssue`. */
export type BadgeIssuePayload = {
  __typename?: 'BadgeIssuePayload';
  /** The customer, with the badge among its badges. */
  customer?: Maybe<Customer>;
  /** The badge earned. */
  earnedBadge?: Maybe<EarnedBadge>;
  /** Why no badge was issued; empty on success. */
  userErrors: Array<UserError>;
};

/** A campaign: a goal customers reach with purchases within a window, rewarded with points. */
export type Campaign = Node & {
  __typename?: 'Campaign';
  /** The code integrations know it by, unique in the org. */
  code: Scalars['String']['output'];
  /** When it was defined. */
  createdAt: Scalars['DateTime']['output'];
  /** Description shown to customers. */
  description?: Maybe<Scalars['String']['output']>;
  /** Who may take part. */
  eligibility: CampaignEligibility;
  /** When it ends; null for open-ended. */
  endsAt?: Maybe<Scalars['DateTime']['output']>;
  /** The goal. */
  goal: CampaignGoal;
  /** Globally unique, opaque id. */
  id: Scalars['ID']['output'];
  /** Name shown to customers. */
  name: Scalars['String']['output'];
  /** A customer's progress: with a customer's token, their own; otherwise the customer named, or the one whose `campaigns` list this campaign was reached through. Null when there is no such customer. */
  progress?: Maybe<CampaignProgress>;
  /** Whether customers must join it (`campaignJoin`) for their purchases to count. */
  requiresOptIn: Scalars['Boolean']['output'];
  /** The reward for reaching the goal. */
  reward: CampaignReward;
  /** When purchases start to count. */
  startsAt: Scalars['DateTime']['output'];
  /** Where the campaign stands now. */
  status: CampaignStatus;
};


/** A campaign: a goal customers reach with purchases within a window, rewarded with points. */
export type CampaignProgressArgs = {
  customerId?: InputMaybe<Scalars['ID']['input']>;
};

/** A page of Campaign items. */
export type CampaignConnection = {
  __typename?: 'CampaignConnection';
  /** Edges of this page. */
  edges: Array<CampaignEdge>;
  /** The nodes of this page, without cursors. */
  nodes: Array<Campaign>;
  /** Pagination state. */
  pageInfo: PageInfo;
};

/** A new campaign. */
export type CampaignCreateInput = {
  /** Code integrations know it by, unique in the org (1 to 64 characters). */
  code: Scalars['String']['input'];
  /** Description shown to customers (at most 1,000 characters). */
  description?: InputMaybe<Scalars['String']['input']>;
  /** Who may take part; every ACTIVE customer when absent. */
  eligibility?: InputMaybe<CampaignEligibilityInput>;
  /** When it ends (after the start, in the future); open-ended when absent. */
  endsAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** The goal. */
  goal: CampaignGoalInput;
  /** Name shown to customers (at most 200 characters). */
  name: Scalars['String']['input'];
  /** Whether customers must join it for their purchases to count; false when absent. */
  requiresOptIn?: InputMaybe<Scalars['Boolean']['input']>;
  /** The reward. */
  reward: CampaignRewardInput;
  /** When purchases start to count; now when absent. */
  startsAt?: InputMaybe<Scalars['DateTime']['input']>;
};

/** An edge to a Campaign. */
export type CampaignEdge = {
  __typename?: 'CampaignEdge';
  /** Opaque cursor of this edge. */
  cursor: Scalars['String']['output'];
  /** The Campaign. */
  node: Campaign;
};

/** Who may take part in a campaign; a customer must meet every rule. */
export type CampaignEligibility = {
  __typename?: 'CampaignEligibility';
  /** Only customers who joined at or after this instant. */
  joinedAfter?: Maybe<Scalars['DateTime']['output']>;
  /** Only customers who joined before this instant. */
  joinedBefore?: Maybe<Scalars['DateTime']['output']>;
  /** Standard statuses a customer must have one of. */
  statuses: Array<StandardStatus>;
  /** Tiers a customer must hold one of (in any program); empty for any tier. */
  tiers: Array<Tier>;
};

/** Who may take part in a campaign. */
export type CampaignEligibilityInput = {
  /** Only customers who joined at or after this instant. */
  joinedAfter?: InputMaybe<Scalars['DateTime']['input']>;
  /** Only customers who joined before this instant. */
  joinedBefore?: InputMaybe<Scalars['DateTime']['input']>;
  /** Standard statuses a customer must have one of; ACTIVE alone when absent. */
  statuses?: InputMaybe<Array<StandardStatus>>;
  /** Tiers (global ids, any program of the org) a customer must hold one of; any tier when absent or empty (at most 50). */
  tierIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};

/** A campaign to end now. */
export type CampaignEndInput = {
  /** The campaign. */
  campaignId: Scalars['ID']['input'];
};

/** A campaign's goal. */
export type CampaignGoal = {
  __typename?: 'CampaignGoal';
  /** What counts. */
  kind: CampaignGoalKind;
  /** How much of it reaches the goal. */
  target: Scalars['Float']['output'];
};

/** A campaign's goal. */
export type CampaignGoalInput = {
  /** What counts. */
  kind: CampaignGoalKind;
  /** How much of it reaches the goal: positive, at most 1000000000; whole for VISITS and POINTS, two decimals at most for SPEND. */
  target: Scalars['Float']['input'];
};

/** What a campaign counts toward its goal, among purchases within its window. */
export type CampaignGoalKind =
  /** Points the purchases earned the customer (points earned for a group do not count). */
  | 'POINTS'
  /** Money spent (bill amounts). */
  | 'SPEND'
  /** Purchases made, one per bill. */
  | 'VISITS';

/** A campaign to join. */
export type CampaignJoinInput = {
  /** The campaign. */
  campaignId: Scalars['ID']['input'];
  /** Who joins: required with a staff key; with a customer's token, the customer themselves (when given, it must be them). */
  customer?: InputMaybe<CustomerIdentifierInput>;
};

/** Result of `campaignJoin`. */
export type CampaignJoinPayload = {
  __typename?: 'CampaignJoinPayload';
  /** The campaign joined. */
  campaign?: Maybe<Campaign>;
  /** The customer's progress in it. */
  progress?: Maybe<CampaignProgress>;
  /** Why the customer did not join; empty on success. */
  userErrors: Array<UserError>;
};

/** Which of a customer's campaigns to list. */
export type CampaignList =
  /** Running campaigns the customer takes part in and has not completed (open to all, or joined). */
  | 'ACTIVE'
  /** Campaigns the customer completed, most recent completion first. */
  | 'COMPLETED'
  /** Running opt-in campaigns the customer may join and has not. */
  | 'ELIGIBLE';

/** Result of `campaignCreate`, `campaignUpdate` and `campaignEnd`. */
export type CampaignPayload = {
  __typename?: 'CampaignPayload';
  /** The campaign as it now stands. */
  campaign?: Maybe<Campaign>;
  /** Why nothing changed; empty on success. */
  userErrors: Array<UserError>;
};

/** A customer's progress in a campaign. */
export type CampaignProgress = {
  __typename?: 'CampaignProgress';
  /** When the purchase that reached the goal was recorded. */
  completedAt?: Maybe<Scalars['DateTime']['output']>;
  /** When they joined (opt-in campaigns, or a campaign joined although open to all). */
  joinedAt?: Maybe<Scalars['DateTime']['output']>;
  /** How far along, 0 to 100 (rounded down; 100 once completed). */
  percent: Scalars['Int']['output'];
  /** Where the customer stands. */
  status: CampaignProgressStatus;
  /** The goal's target. */
  target: Scalars['Float']['output'];
  /** Spend, visits or points counted so far. */
  value: Scalars['Float']['output'];
};

/** Where a customer stands in a campaign. */
export type CampaignProgressStatus =
  /** They reached the goal and got the reward. */
  | 'COMPLETED'
  /** Their purchases count toward the goal. */
  | 'IN_PROGRESS'
  /** The campaign ended before they reached the goal. */
  | 'MISSED'
  /** The campaign's tier, status or join date rules do not include the customer. */
  | 'NOT_ELIGIBLE'
  /** The campaign needs customers to opt in, and the customer has not joined (see `campaignJoin`). */
  | 'NOT_JOINED';

/** A campaign's reward for reaching its goal, once per customer. */
export type CampaignReward = {
  __typename?: 'CampaignReward';
  /** Points granted. */
  points: Scalars['Int']['output'];
  /** The program they go to. */
  program: LoyaltyProgram;
};

/** A campaign's reward for reaching its goal. */
export type CampaignRewardInput = {
  /** Points granted once per customer (1 to 10000000). */
  points: Scalars['Int']['input'];
  /** The program the points go to; the org's default program when absent. */
  programId?: InputMaybe<Scalars['ID']['input']>;
};

/** Where a campaign stands now. */
export type CampaignStatus =
  /** Its window is over (or it was ended). */
  | 'ENDED'
  /** Purchases count toward it now. */
  | 'RUNNING'
  /** It starts later. */
  | 'SCHEDULED';

/** Changes to a campaign: fields left out stay as they are. Start, goal, reward and opt-in change only before it starts. */
export type CampaignUpdateInput = {
  /** The campaign. */
  campaignId: Scalars['ID']['input'];
  /** New description; an empty one removes it. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** New eligibility, replacing the old whole; it judges purchases from now on. */
  eligibility?: InputMaybe<CampaignEligibilityInput>;
  /** New end, in the future; an explicit null makes it open-ended. */
  endsAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** New goal (before the campaign starts only). */
  goal?: InputMaybe<CampaignGoalInput>;
  /** New name. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** Whether customers must join (before the campaign starts only). */
  requiresOptIn?: InputMaybe<Scalars['Boolean']['input']>;
  /** New reward (before the campaign starts only). */
  reward?: InputMaybe<CampaignRewardInput>;
  /** New start (before the campaign starts only). */
  startsAt?: InputMaybe<Scalars['DateTime']['input']>;
};

/** A loyalty card. It identifies its customer whatever its status. */
export type Card = Node & {
  __typename?: 'Card';
  /** When the card was created. */
  createdAt: Scalars['DateTime']['output'];
  /** The customer the card is issued to; null while not issued. */
  customer?: Maybe<Customer>;
  /** When the card expires. */
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  /** The org's external reference of the card. */
  externalId?: Maybe<Scalars['String']['output']>;
  /** Globally unique, opaque id. */
  id: Scalars['ID']['output'];
  /** When the card was issued to its customer. */
  issuedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Card number. */
  number: Scalars['String']['output'];
  /** The series the card belongs to. */
  series: CardSeries;
  /** Status label and system status. */
  status: CardStatus;
  /** The store (till) the card is tagged to; null when none was named. */
  store?: Maybe<Store>;
};

/** A page of Card items. */
export type CardConnection = {
  __typename?: 'CardConnection';
  /** Edges of this page. */
  edges: Array<CardEdge>;
  /** The nodes of this page, without cursors. */
  nodes: Array<Card>;
  /** Pagination state. */
  pageInfo: PageInfo;
};

/** An edge to a Card. */
export type CardEdge = {
  __typename?: 'CardEdge';
  /** Opaque cursor of this edge. */
  cursor: Scalars['String']['output'];
  /** The Card. */
  node: Card;
};

/** A card issued to a customer. */
export type CardIssueInput = {
  /** The card number. */
  cardNumber: Scalars['String']['input'];
  /** The customer to issue it to. */
  customer: CustomerIdentifierInput;
  /** The org's external reference of the card. */
  externalId?: InputMaybe<Scalars['String']['input']>;
  /** When the card does not exist yet: the series to create it in (the number must fit its rules). */
  seriesCode?: InputMaybe<Scalars['String']['input']>;
  /** The status label to give the card; the org's first ACTIVE label by default. */
  statusLabel?: InputMaybe<Scalars['String']['input']>;
};

/** Result of `cardIssue`. */
export type CardIssuePayload = {
  __typename?: 'CardIssuePayload';
  /** The card, issued. */
  card?: Maybe<Card>;
  /** The customer it is issued to. */
  customer?: Maybe<Customer>;
  /** Why nothing changed; empty on success. */
  userErrors: Array<UserError>;
};

/** A card series: numbering rules, expiry, and the program its cards are linked to. */
export type CardSeries = Node & {
  __typename?: 'CardSeries';
  /** Whether card numbers are generated automatically. */
  autoGenerate: Scalars['Boolean']['output'];
  /** Alphanumeric code, unique in the org (≤ 50 characters). */
  code: Scalars['String']['output'];
  /** Description. */
  description?: Maybe<Scalars['String']['output']>;
  /** Days a card stays valid after issue. */
  expiryDays?: Maybe<Scalars['Int']['output']>;
  /** Globally unique, opaque id. */
  id: Scalars['ID']['output'];
  /** Length of a card number, prefix and suffix included. */
  numberLength?: Maybe<Scalars['Int']['output']>;
  /** Characters every generated card number starts with. */
  prefix: Scalars['String']['output'];
  /** The loyalty program the series' cards are linked to. */
  program: LoyaltyProgram;
  /** The store the series is tagged to. */
  store?: Maybe<Store>;
  /** Characters every generated card number ends with. */
  suffix: Scalars['String']['output'];
  /** Physical or digital. */
  type: CardType;
};

/** A new card series: numbering rules, expiry, store and program. */
export type CardSeriesCreateInput = {
  /** Whether card numbers are generated (`cardsGenerate`); false by default. */
  autoGenerate?: InputMaybe<Scalars['Boolean']['input']>;
  /** Code: letters and digits, at most 50, unique in the org. */
  code: Scalars['String']['input'];
  /** Description. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** Days a card stays valid after it is issued. */
  expiryDays?: InputMaybe<Scalars['Int']['input']>;
  /** Length of a card number, prefix and suffix included (1–64); needed to generate numbers. */
  numberLength?: InputMaybe<Scalars['Int']['input']>;
  /** Letters or digits every card number starts with (at most 20). */
  prefix?: InputMaybe<Scalars['String']['input']>;
  /** The program the series' cards are linked to; the org's default program by default. */
  programId?: InputMaybe<Scalars['ID']['input']>;
  /** Code or external id of the store the series is tagged to. */
  storeCode?: InputMaybe<Scalars['String']['input']>;
  /** Letters or digits every card number ends with (at most 20). */
  suffix?: InputMaybe<Scalars['String']['input']>;
  /** Physical or digital. */
  type: CardType;
};

/** Result of `cardSeriesCreate`. */
export type CardSeriesCreatePayload = {
  __typename?: 'CardSeriesCreatePayload';
  /** The new series. */
  cardSeries?: Maybe<CardSeries>;
  /** Why nothing was created; empty on success. */
  userErrors: Array<UserError>;
};

/** A card's status: the brand label over a system status. */
export type CardStatus = {
  __typename?: 'CardStatus';
  /** Brand label. */
  label: Scalars['String']['output'];
  /** System status. */
  systemStatus: CardSystemStatus;
};

/** A card given another status label. */
export type CardStatusChangeInput = {
  /** The card number. */
  cardNumber: Scalars['String']['input'];
  /** Why the status changes. */
  reason?: InputMaybe<Scalars['String']['input']>;
  /** One of the org's card status labels. */
  statusLabel: Scalars['String']['input'];
};

/** Result of `cardStatusChange`. */
export type CardStatusChangePayload = {
  __typename?: 'CardStatusChangePayload';
  /** The card with its new status. */
  card?: Maybe<Card>;
  /** Why nothing changed; empty on success. */
  userErrors: Array<UserError>;
};

/** System status a card status label maps to. */
export type CardSystemStatus =
  /** Issued and in use. */
  | 'ACTIVE'
  /** Deleted; it stays deleted. */
  | 'DELETED'
  /** Past its validity. */
  | 'EXPIRED'
  /** Issued but blocked or paused. */
  | 'INACTIVE'
  /** Made but not issued to anyone yet. */
  | 'NOT_ISSUED';

/** Physical or digital card. */
export type CardType =
  /** A card in an app or wallet. */
  | 'DIGITAL'
  /** A plastic card. */
  | 'PHYSICAL';

/** Cards to generate in a series. */
export type CardsGenerateInput = {
  /** How many cards (1–1000). */
  count: Scalars['Int']['input'];
  /** Code of a series that generates card numbers. */
  seriesCode: Scalars['String']['input'];
};

/** Result of `cardsGenerate`. */
export type CardsGeneratePayload = {
  __typename?: 'CardsGeneratePayload';
  /** The series. */
  cardSeries?: Maybe<CardSeries>;
  /** The cards generated, not issued yet, in number order (as many as `count`). */
  cards?: Maybe<Array<Card>>;
  /** Why no card was generated; empty on success. */
  userErrors: Array<UserError>;
};

/** A communication channel a customer can subscribe to. */
export type Channel =
  /** Android app notifications. */
  | 'ANDROID'
  /** Email. */
  | 'EMAIL'
  /** iOS app notifications. */
  | 'IOS'
  /** LINE messages. */
  | 'LINE'
  /** SMS to the mobile number. */
  | 'MOBILE'
  /** Mobile push notifications. */
  | 'MOBILE_PUSH'
  /** Letters by post. */
  | 'POSTMAIL'
  /** WhatsApp messages. */
  | 'WHATSAPP';

/** Consent for one channel, message priority and account. */
export type ChannelSubscription = {
  __typename?: 'ChannelSubscription';
  /** The account, for channels with several accounts. */
  account?: Maybe<Scalars['String']['output']>;
  /** The channel. */
  channel: Channel;
  /** The org unit (concept) the consent is for; null for the whole org. */
  orgUnitCode?: Maybe<Scalars['String']['output']>;
  /** Transactional or bulk messages. */
  priority: MessagePriority;
  /** Opted in or out. */
  status: SubscriptionStatus;
  /** When the consent last changed. */
  updatedAt: Scalars['DateTime']['output'];
};

/** A coupon redeemed by a customer in a bill. */
export type CouponRedeemInput = {
  /** Amount of that bill: positive, at most two decimals. */
  billAmount: Scalars['Float']['input'];
  /** The coupon code. */
  code: Scalars['String']['input'];
  /** The customer redeeming it (any identifier). */
  customer: CustomerIdentifierInput;
  /** Chosen by the client, unique per redemption: a repeat with the same key returns the first result. */
  idempotencyKey: Scalars['String']['input'];
  /** When it was redeemed (not in the future); now by default. */
  redemptionTime?: InputMaybe<Scalars['DateTime']['input']>;
  /** Code or external id of the store to attribute the redemption to. */
  storeCode?: InputMaybe<Scalars['String']['input']>;
  /** Number of the bill the coupon is redeemed in. */
  transactionNumber: Scalars['String']['input'];
};

/** Result of `couponRedeem`. */
export type CouponRedeemPayload = {
  __typename?: 'CouponRedeemPayload';
  /** The coupon, with its redemption count and status after the redemption. */
  incentive?: Maybe<Incentive>;
  /** The redemption (or, for a repeated key, the first one). */
  redemption?: Maybe<IncentiveRedemption>;
  /** True when the idempotency key repeated an earlier request: nothing was written this time. */
  replayed?: Maybe<Scalars['Boolean']['output']>;
  /** Why nothing was redeemed; empty on success. */
  userErrors: Array<UserError>;
};

/** A loyalty member of the org: the single view of member care. */
export type Customer = Node & {
  __typename?: 'Customer';
  /** Badges the customer has earned, newest first. */
  badges: EarnedBadgeConnection;
  /** The customer's campaigns in one list, each with their `progress`: the rewards page's active, eligible and completed campaigns. */
  campaigns: CampaignConnection;
  /** Cards issued to the customer, newest first. */
  cards: CardConnection;
  /** Consent per channel, priority and account. */
  channelSubscriptions: Array<ChannelSubscription>;
  /** When the customer record was created. */
  createdAt: Scalars['DateTime']['output'];
  /** Custom fields (name → value). */
  customFields: Scalars['JSONObject']['output'];
  /** Email address. */
  email?: Maybe<Scalars['String']['output']>;
  /** Extended fields (name → value). */
  extendedFields: Scalars['JSONObject']['output'];
  /** External ids of the customer (there may be several). */
  externalIds: Array<Scalars['String']['output']>;
  /** First name. */
  firstName?: Maybe<Scalars['String']['output']>;
  /** Fraud status with its reason; null when never assessed. */
  fraudStatus?: Maybe<CustomerFraudStatus>;
  /** Groups the customer is a member of. */
  groups: Array<UserGroup>;
  /** Globally unique, opaque id. */
  id: Scalars['ID']['output'];
  /** Coupons, promo codes and gift vouchers the customer holds, newest first. */
  incentives: IncentiveConnection;
  /** Messages sent to the customer, newest first; times in the org time zone. */
  interactions: InteractionConnection;
  /** The store the customer joined at. */
  joinStore?: Maybe<Store>;
  /** When the customer joined the program. */
  joinedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Last name. */
  lastName?: Maybe<Scalars['String']['output']>;
  /** Standing in each loyalty program: tier, points balance, lifetime points and purchases. */
  loyalty: Array<ProgramLoyalty>;
  /** Mobile number with country code, digits only. */
  mobile?: Maybe<Scalars['String']['output']>;
  /** Parent customer of a fleet (parent–child) hierarchy. */
  parent?: Maybe<Customer>;
  /** The customer's points ledger, newest entry first: every credit and debit, with expiries. */
  pointsLedger: PointsLedgerEntryConnection;
  /** The customer's registrations through the org's sources (Entity Life Cycle imports), most recently updated first. */
  registrationEvents: RegistrationEventConnection;
  /** Status label mapped to a standard status, with its reason. */
  status: CustomerStatus;
  /** Memberships of supplementary or external partner programs: current ones, or all with `includeEnded`. */
  supplementaryMemberships: Array<ProgramMembership>;
  /** The customer's events, newest first: all of them, or only some types within a window of time. */
  timeline: TimelineEventConnection;
  /** The customer's events as a named view of the org shows them: its event types within its last `windowDays` days (as of now), newest first. A name the org has no view of is a BAD_USER_INPUT error on this field (which is then null). */
  timelineView?: Maybe<TimelineEventConnection>;
  /** The customer's own transactions (not those made for a group), newest first. */
  transactions: TransactionConnection;
  /** When the customer record last changed. */
  updatedAt: Scalars['DateTime']['output'];
  /** The customer id used as the USER_ID identifier. */
  userId: Scalars['String']['output'];
};


/** A loyalty member of the org: the single view of member care. */
export type CustomerBadgesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** A loyalty member of the org: the single view of member care. */
export type CustomerCampaignsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter: CampaignList;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** A loyalty member of the org: the single view of member care. */
export type CustomerCardsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** A loyalty member of the org: the single view of member care. */
export type CustomerIncentivesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** A loyalty member of the org: the single view of member care. */
export type CustomerInteractionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  channel?: InputMaybe<InteractionChannel>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** A loyalty member of the org: the single view of member care. */
export type CustomerPointsLedgerArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  programId?: InputMaybe<Scalars['ID']['input']>;
};


/** A loyalty member of the org: the single view of member care. */
export type CustomerRegistrationEventsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** A loyalty member of the org: the single view of member care. */
export type CustomerSupplementaryMembershipsArgs = {
  includeEnded?: Scalars['Boolean']['input'];
};


/** A loyalty member of the org: the single view of member care. */
export type CustomerTimelineArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  since?: InputMaybe<Scalars['DateTime']['input']>;
  types?: InputMaybe<Array<TimelineEventType>>;
  until?: InputMaybe<Scalars['DateTime']['input']>;
};


/** A loyalty member of the org: the single view of member care. */
export type CustomerTimelineViewArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  name: Scalars['String']['input'];
};


/** A loyalty member of the org: the single view of member care. */
export type CustomerTransactionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** A page of Customer items. */
export type CustomerConnection = {
  __typename?: 'CustomerConnection';
  /** Edges of this page. */
  edges: Array<CustomerEdge>;
  /** The nodes of this page, without cursors. */
  nodes: Array<Customer>;
  /** Pagination state. */
  pageInfo: PageInfo;
};

/** An edge to a Customer. */
export type CustomerEdge = {
  __typename?: 'CustomerEdge';
  /** Opaque cursor of this edge. */
  cursor: Scalars['String']['output'];
  /** The Customer. */
  node: Customer;
};

/** A customer's fraud assessment. */
export type CustomerFraudStatus = {
  __typename?: 'CustomerFraudStatus';
  /** Why it was set. */
  reason?: Maybe<Scalars['String']['output']>;
  /** The fraud status. */
  status: FraudStatus;
};

/** Sets a customer's fraud status. */
export type CustomerFraudStatusUpdateInput = {
  /** The customer. */
  customer: CustomerIdentifierInput;
  /** Why (required, at most 500 characters). */
  reason: Scalars['String']['input'];
  /** The new fraud status; RECONFIRMED only after CONFIRMED. */
  status: FraudStatus;
  /** Code or external id of the store the change is attributed to. */
  storeCode?: InputMaybe<Scalars['String']['input']>;
};

/** Result of `customerFraudStatusUpdate`. */
export type CustomerFraudStatusUpdatePayload = {
  __typename?: 'CustomerFraudStatusUpdatePayload';
  /** The customer with its new fraud status. */
  customer?: Maybe<Customer>;
  /** Why nothing changed; empty on success. */
  userErrors: Array<UserError>;
};

/** Identifies one customer of the org by any of its identifiers; a card (of any status) identifies its customer. */
export type CustomerIdentifierInput = {
  /** Which identifier `value` is. */
  type: CustomerIdentifierType;
  /** The identifier: a user id, mobile, email, external id, card number or card external id. */
  value: Scalars['String']['input'];
};

/** How a customer is identified: by user id, mobile, email, external id, or a card (of any status) by number or external id. */
export type CustomerIdentifierType =
  /** The external id of a card issued to the customer, whatever its status. */
  | 'CARD_EXTERNAL_ID'
  /** The number of a card issued to the customer, whatever its status. */
  | 'CARD_NUMBER'
  /** Email address, in any case. */
  | 'EMAIL'
  /** One of the customer’s external ids. */
  | 'EXTERNAL_ID'
  /** Mobile number with country code; spaces, dashes and a leading + are ignored. */
  | 'MOBILE'
  /** The customer id (`Customer.userId`). */
  | 'USER_ID';

/** What a partner app may do for a signed-in customer (the OAuth scope in brackets). */
export type CustomerScope =
  /** Join campaigns (`campaigns:join`). */
  | 'CAMPAIGNS_JOIN'
  /** See campaigns (`campaigns:read`). */
  | 'CAMPAIGNS_READ'
  /** See points, tier and transactions (`points:read`). */
  | 'POINTS_READ'
  /** Spend points (`points:redeem`). */
  | 'POINTS_REDEEM'
  /** Transfer points to another customer (`points:transfer`). */
  | 'POINTS_TRANSFER'
  /** See the customer's name and contact details (`profile`). */
  | 'PROFILE';

/** A customer's status: a brand label over a standard status, with a reason. */
export type CustomerStatus = {
  __typename?: 'CustomerStatus';
  /** The brand-defined label; null when none was ever set (the customer is active). */
  label?: Maybe<Scalars['String']['output']>;
  /** Why the status was set. */
  reason?: Maybe<Scalars['String']['output']>;
  /** The standard status the label maps to. */
  standardStatus: StandardStatus;
};

/** Sets a customer's status label (a brand label over a standard status). */
export type CustomerStatusUpdateInput = {
  /** The customer. */
  customer: CustomerIdentifierInput;
  /** One of the org's status labels, e.g. `on-hold`. */
  label: Scalars['String']['input'];
  /** Why the status changes. */
  reason?: InputMaybe<Scalars['String']['input']>;
};

/** Result of `customerStatusUpdate`. */
export type CustomerStatusUpdatePayload = {
  __typename?: 'CustomerStatusUpdatePayload';
  /** The customer with its new status; null when the update failed. */
  customer?: Maybe<Customer>;
  /** Why the update failed; empty on success. */
  userErrors: Array<UserError>;
};

/** Sets a customer's consent for one channel, message priority and account, for the whole org or one org unit. */
export type CustomerSubscriptionUpdateInput = {
  /** The account, for channels with several accounts. */
  account?: InputMaybe<Scalars['String']['input']>;
  /** The channel. */
  channel: Channel;
  /** The customer. */
  customer: CustomerIdentifierInput;
  /** The org unit (concept) code the consent is for; none for the whole org. */
  orgUnitCode?: InputMaybe<Scalars['String']['input']>;
  /** Transactional or bulk messages. */
  priority: MessagePriority;
  /** Opt in or out. */
  status: SubscriptionStatus;
};

/** Result of `customerSubscriptionUpdate`. */
export type CustomerSubscriptionUpdatePayload = {
  __typename?: 'CustomerSubscriptionUpdatePayload';
  /** The customer with its channel subscriptions. */
  customer?: Maybe<Customer>;
  /** Why nothing changed; empty on success. */
  userErrors: Array<UserError>;
};

/** A badge earned by a customer. */
export type EarnedBadge = Node & {
  __typename?: 'EarnedBadge';
  /** The badge earned. */
  badge: Badge;
  /** When the badge was recorded. */
  createdAt: Scalars['DateTime']['output'];
  /** The customer who earned the badge. */
  customer: Customer;
  /** When the badge was earned (may precede its creation for a retro issue). */
  earnedAt: Scalars['DateTime']['output'];
  /** When the badge expires. */
  expiresAt: Scalars['DateTime']['output'];
  /** Globally unique, opaque id. */
  id: Scalars['ID']['output'];
};

/** A page of EarnedBadge items. */
export type EarnedBadgeConnection = {
  __typename?: 'EarnedBadgeConnection';
  /** Edges of this page. */
  edges: Array<EarnedBadgeEdge>;
  /** The nodes of this page, without cursors. */
  nodes: Array<EarnedBadge>;
  /** Pagination state. */
  pageInfo: PageInfo;
};

/** An edge to a EarnedBadge. */
export type EarnedBadgeEdge = {
  __typename?: 'EarnedBadgeEdge';
  /** Opaque cursor of this edge. */
  cursor: Scalars['String']['output'];
  /** The EarnedBadge. */
  node: EarnedBadge;
};

/** A file to attach to an email. */
export type EmailAttachmentInput = {
  /** MIME type, e.g. `image/png`, `application/pdf`, `text/plain`. An image or PDF must start with that type’s bytes (ATTACHMENT_TYPE_MISMATCH). */
  contentType: Scalars['String']['input'];
  /** The file: base64 of its bytes (BASE64) or its text (NONE). */
  fileData: Scalars['String']['input'];
  /** How `fileData` is written; absent means NONE. Images (jpg, jpeg, png, gif, by content type or extension) must be BASE64 (ATTACHMENT_ENCODING_REQUIRED). */
  fileEncodingType?: InputMaybe<FileEncodingType>;
  /** File name shown to the customer (at most 255 characters, no "/" or "\"). */
  fileName: Scalars['String']['input'];
};

/** An email for a customer, found by any identifier. */
export type EmailSendInput = {
  /** At most 10 files, together at most the org's `emailMaxAttachmentBytes` once decoded (and the request body at most 1 MB). */
  attachments?: InputMaybe<Array<EmailAttachmentInput>>;
  /** The customer; they must have an email address and must not have opted out of email at this priority. */
  customer: CustomerIdentifierInput;
  /** HTML part (at most 500,000 characters); `html`, `text` or both. */
  html?: InputMaybe<Scalars['String']['input']>;
  /** Chosen by the client, unique per message: a repeat with the same key returns the first interaction and sends nothing. */
  idempotencyKey: Scalars['String']['input'];
  /** The org unit (concept) the email is sent for, by its code: the customer's email consent recorded for that unit governs, when there is one, else the org's (NOT_FOUND for a code the org does not have). Absent: the org's. */
  orgUnitCode?: InputMaybe<Scalars['String']['input']>;
  /** TRANS (transactional) or BULK (promotional); the customer’s email consent is checked at this priority. */
  priority: MessagePriority;
  /** Subject: one line, at most 500 characters. */
  subject: Scalars['String']['input'];
  /** Plain-text part (at most 100,000 characters); `html`, `text` or both. */
  text?: InputMaybe<Scalars['String']['input']>;
};

/** Result of `emailSend`. */
export type EmailSendPayload = {
  __typename?: 'EmailSendPayload';
  /** The message, QUEUED until a worker hands it to the mail server (or, for a repeated key, the first one). */
  interaction?: Maybe<Interaction>;
  /** True when the idempotency key repeated an earlier request: nothing was sent this time. */
  replayed?: Maybe<Scalars['Boolean']['output']>;
  /** Why nothing was sent; empty on success. */
  userErrors: Array<UserError>;
};

/** Points of a standing that expire soon. */
export type ExpiringPoints = {
  __typename?: 'ExpiringPoints';
  /** When the first of those lots expires; null when none does. */
  earliestExpiresAt?: Maybe<Scalars['DateTime']['output']>;
  /** Points left in lots that expire within the window (or are already due). */
  points: Scalars['Int']['output'];
  /** The window, in days from now. */
  withinDays: Scalars['Int']['output'];
};

/** How an attachment's `fileData` is written. */
export type FileEncodingType =
  /** Base64 of the file’s bytes; required for images (jpg, jpeg, png, gif). */
  | 'BASE64'
  /** The text of the file as is (sent as its UTF-8 bytes), e.g. for txt or csv. */
  | 'NONE';

/** Fraud assessment of a customer. */
export type FraudStatus =
  /** Fraud confirmed. */
  | 'CONFIRMED'
  /** An internal customer (staff, tests), not a fraud case. */
  | 'INTERNAL'
  /** Marked as a suspected fraud. */
  | 'MARKED'
  /** Assessed and cleared. */
  | 'NOT_FRAUD'
  /** A confirmed fraud confirmed again. */
  | 'RECONFIRMED';

/** Goodwill points for a customer, found by any identifier. */
export type GoodwillPointsIssueInput = {
  /** The customer. A card (number or external id, any status) also picks its program. */
  customer: CustomerIdentifierInput;
  /** Chosen by the client, unique per issue: a repeat with the same key returns the first result and writes nothing. */
  idempotencyKey: Scalars['String']['input'];
  /** Points to grant: positive, at most the org's `goodwillPointsCap`. */
  points: Scalars['Int']['input'];
  /** The program to credit. By default the program of the card that identifies the customer, otherwise the org's default program. */
  programId?: InputMaybe<Scalars['ID']['input']>;
  /** Why the points are granted (required, at most 500 characters). */
  reason: Scalars['String']['input'];
};

/** How an import's date columns are written. Seconds and the time may be left out; a value with an offset (Z, +08:00) is read at that offset, any other in the org time zone. */
export type ImportDateFormat =
  /** `dd-MMM-yy HH:mm:ss`, e.g. `03-Feb-22 19:00:00`. */
  | 'DMON_YY'
  /** `dd-MM-yyyy HH:mm:ss`, e.g. `03-02-2022 19:00:00`. */
  | 'DMY_DASH'
  /** `D/M/YY HH:mm:ss`, e.g. `3/2/22 19:00:00`. */
  | 'DMY_SHORT'
  /** `dd/MM/yyyy HH:mm:ss`, e.g. `03/02/2022 19:00:00`. */
  | 'DMY_SLASH'
  /** `MM/DD/YY HH:mm:ss`, e.g. `02/03/22 19:00:00`. */
  | 'MDY_PADDED'
  /** `M/D/YY HH:mm:ss`, e.g. `2/3/22 19:00:00`. */
  | 'MDY_SHORT'
  /** `yyyy-MM-dd HH:mm:ss`, e.g. `2022-02-03 19:00:00`. */
  | 'YMD_DASH'
  /** `yyyy-MM-dd HH:mm:ssXXX`, e.g. `2022-02-03 12:08:56.235-07:00`. */
  | 'YMD_DASH_XXX'
  /** `yyyy-MM-dd HH:mm:ss Z`, e.g. `2017-05-11 15:46:48 Z`. */
  | 'YMD_DASH_Z';

/** Row errors of a job, streamed in batches as they are found. */
export type ImportErrorBatch = {
  __typename?: 'ImportErrorBatch';
  /** The errors of this batch, in the order they were found. */
  errors: Array<ImportRowIssue>;
  /** The job. */
  jobId: Scalars['ID']['output'];
};

/** Why a job failed as a whole. */
export type ImportFailure = {
  __typename?: 'ImportFailure';
  /** Stable code. */
  code: ImportFailureCode;
  /** What happened and what to do. */
  message: Scalars['String']['output'];
};

/** Why a whole import job failed. */
export type ImportFailureCode =
  /** A mapped header appears more than once in the file. */
  | 'FILE_DUPLICATE_HEADERS'
  /** The file is empty. */
  | 'FILE_EMPTY'
  /** The file is not UTF-8 text (UTF-16, Latin-1, …). */
  | 'FILE_ENCODING'
  /** The file is not well-formed CSV (a stray quote, …). */
  | 'FILE_MALFORMED_CSV'
  /** The file lacks the header of a mandatory field of the template's mapping. */
  | 'FILE_MISSING_HEADERS'
  /** The file is not a CSV text file (binary data). */
  | 'FILE_NOT_CSV'
  /** A record is longer than the limit (usually a missing closing quote). */
  | 'FILE_RECORD_TOO_LARGE'
  /** A quoted value is never closed. */
  | 'FILE_UNTERMINATED_QUOTE'
  /** The job kept failing after its automatic retries (a database or infrastructure problem): it may be replayed for 7 days. */
  | 'JOB_FAILED'
  /** A pattern the import runs (the template's row filter, the org's mobile pattern) cannot run on the linear-time engine: it was saved before patterns were checked. Change it and upload the file again. */
  | 'PATTERN_UNSUPPORTED';

/** Which CSV column feeds which field of the profile. */
export type ImportFieldMapping = {
  __typename?: 'ImportFieldMapping';
  /** The profile field, e.g. `mobile`, `custom.shoe_size`, `subscription.EMAIL.BULK`. */
  field: Scalars['String']['output'];
  /** The CSV header. */
  header: Scalars['String']['output'];
};

/** Maps one CSV header to a field of the profile. */
export type ImportFieldMappingInput = {
  /** The profile field (see `importProfiles`), e.g. `mobile` or `custom.shoe_size`. */
  field: Scalars['String']['input'];
  /** The CSV header (compared without surrounding spaces). */
  header: Scalars['String']['input'];
};

/** How the rows of an import identify their customer. */
export type ImportIdentifierType =
  /** The email address. */
  | 'EMAIL'
  /** An external id. */
  | 'EXTERNAL_ID'
  /** The mobile number. */
  | 'MOBILE'
  /** The customer id: such rows only update existing customers. */
  | 'USER_ID';

/** Why a row was rejected (errors) or what was changed in it (corrections). Stable: key on them. */
export type ImportIssueCode =
  /** The customer already earned this badge at that time. */
  | 'BADGE_ALREADY_EARNED'
  /** earnExpiresOn must be after earnEventDate. */
  | 'BADGE_EXPIRY_NOT_AFTER_EARN_DATE'
  /** The badge meta id is not a badge of the org. */
  | 'BADGE_UNKNOWN'
  /** The bill number is not well formed: letters, digits and - _ / . only, starting with a letter or digit (validateTransactionNumbers). */
  | 'BILL_NUMBER_INVALID'
  /** The card (or its external id) is already registered to another customer. */
  | 'CARD_BELONGS_TO_OTHER_CUSTOMER'
  /** Another card of the org already has that external id. */
  | 'CARD_EXTERNAL_ID_TAKEN'
  /** The card exists in another card series than the one named. */
  | 'CARD_IN_OTHER_SERIES'
  /** The card is deleted or expired and cannot be issued. */
  | 'CARD_NOT_ISSUABLE'
  /** The card number does not follow its series' prefix, suffix and length. */
  | 'CARD_NUMBER_INVALID'
  /** A card series code has letters and digits only, up to 50. */
  | 'CARD_SERIES_CODE_INVALID'
  /** The org already has a card series with that code. */
  | 'CARD_SERIES_CODE_TAKEN'
  /** The card series has cards: its prefix, suffix and length cannot change. */
  | 'CARD_SERIES_NUMBERING_IN_USE'
  /** The card series is not one of the org. */
  | 'CARD_SERIES_UNKNOWN'
  /** The card status label is not one of the org. */
  | 'CARD_STATUS_LABEL_UNKNOWN'
  /** The card cannot take that status now, e.g. a deleted card stays deleted. */
  | 'CARD_STATUS_TRANSITION_INVALID'
  /** The org's country calling code was prefixed to the mobile. */
  | 'COUNTRY_CODE_APPENDED'
  /** The coupon has been redeemed as often as its series allows. */
  | 'COUPON_ALREADY_REDEEMED'
  /** The customer has redeemed codes of this series as often as the series allows one customer. */
  | 'COUPON_CUSTOMER_LIMIT_REACHED'
  /** The coupon is revoked or expired, or the redemption time is outside its validity. */
  | 'COUPON_NOT_ACTIVE'
  /** The org has no coupon with that code (in that series, when one is named). */
  | 'COUPON_NOT_FOUND'
  /** The coupon's series lets only the customer holding a code redeem it, and this customer does not hold it. */
  | 'COUPON_NOT_HELD_BY_CUSTOMER'
  /** The redemption time is outside the series' redemption window. */
  | 'COUPON_OUTSIDE_REDEMPTION_RANGE'
  /** An unknown coupon series was replaced by the template's replacement series. */
  | 'COUPON_SERIES_REPLACED'
  /** The coupon series is not one of the org. */
  | 'COUPON_SERIES_UNKNOWN'
  /** The customer is marked as fraud and cannot be changed by an import. */
  | 'CUSTOMER_FRAUD'
  /** The customer is deactivated (suspended or deleted) and cannot be changed by an import. */
  | 'CUSTOMER_INACTIVE'
  /** No customer of the org has the identifier of the row. */
  | 'CUSTOMER_NOT_FOUND'
  /** The customer is not a member of the group. */
  | 'CUSTOMER_NOT_IN_GROUP'
  /** The customer exists and the template does not allow updates. */
  | 'CUSTOMER_UPDATE_DISABLED'
  /** A date does not follow the template date format, or is not a real date. */
  | 'DATE_INVALID'
  /** A date that must lie in the past (a purchase, a redemption, an earned badge) is in the future. */
  | 'DATE_IN_FUTURE'
  /** The bill number appears on several rows of the file for the same store and day. */
  | 'DUPLICATE_BILL_IN_FILE'
  /** The card external id appears on several rows of the file: every row carrying it is rejected. */
  | 'DUPLICATE_CARD_EXTERNAL_ID_IN_FILE'
  /** The card number appears on several rows of the file: every row carrying it is rejected. */
  | 'DUPLICATE_CARD_NUMBER_IN_FILE'
  /** The email appears on several rows of the file: every row carrying it is rejected. */
  | 'DUPLICATE_EMAIL_IN_FILE'
  /** The external id appears on several rows of the file: every row carrying it is rejected. */
  | 'DUPLICATE_EXTERNAL_ID_IN_FILE'
  /** The mobile appears on several rows of the file: every row carrying it is rejected. */
  | 'DUPLICATE_MOBILE_IN_FILE'
  /** The reference id appears on several rows of the file for the same source. */
  | 'DUPLICATE_REFERENCE_IN_FILE'
  /** The card series code appears on several rows of the file: every row carrying it is rejected. */
  | 'DUPLICATE_SERIES_CODE_IN_FILE'
  /** The same customer, channel, priority and account appear on several rows of the file: every such row is rejected. */
  | 'DUPLICATE_SUBSCRIPTION_IN_FILE'
  /** The email is already registered to another customer. */
  | 'EMAIL_BELONGS_TO_OTHER_CUSTOMER'
  /** The email was written in lower case. */
  | 'EMAIL_LOWERCASED'
  /** The entity type is not supported (CUSTOMER is). */
  | 'ENTITY_TYPE_UNSUPPORTED'
  /** The external id is already associated with another customer. */
  | 'EXTERNAL_ID_BELONGS_TO_OTHER_CUSTOMER'
  /** The fraud status is not INTERNAL, MARKED, CONFIRMED, RECONFIRMED or NOT_FRAUD. */
  | 'FRAUD_STATUS_INVALID'
  /** The fraud status cannot change that way, e.g. only a CONFIRMED fraud can be RECONFIRMED. */
  | 'FRAUD_STATUS_TRANSITION_INVALID'
  /** The user group is not one of the org. */
  | 'GROUP_NOT_FOUND'
  /** The email is not a valid address. */
  | 'INVALID_EMAIL'
  /** The mobile does not match the org's mobile pattern. */
  | 'INVALID_MOBILE'
  /** The join date does not follow the template date format, or is not a real date. */
  | 'JOIN_DATE_INVALID'
  /** The join date is in the future. */
  | 'JOIN_DATE_IN_FUTURE'
  /** The join date is empty. */
  | 'JOIN_DATE_MISSING'
  /** The mobile is already registered to another customer. */
  | 'MOBILE_BELONGS_TO_OTHER_CUSTOMER'
  /** An existing customer's mobile cannot be changed by an import. */
  | 'MOBILE_CHANGE_NOT_ALLOWED'
  /** The mobile's spaces, dashes, brackets and leading + were removed. */
  | 'MOBILE_NORMALISED'
  /** A name may only contain letters, spaces, apostrophes, hyphens and periods. */
  | 'NAME_HAS_SPECIAL_CHARACTERS'
  /** The points to carry over exceed the org's cap for an opening balance (`Org.importOpeningPointsCap`). */
  | 'OPENING_POINTS_OVER_CAP'
  /** The org unit is not one of the org. */
  | 'ORG_UNIT_UNKNOWN'
  /** A customer cannot be its own fleet parent. */
  | 'PARENT_IS_SELF'
  /** The fleet parent is not a customer of the org (nor a new customer of the file). */
  | 'PARENT_NOT_FOUND'
  /** An existing customer's points are its ledger's: an import carries points over for the customers it creates, and refuses other values for an existing one. */
  | 'POINTS_CHANGE_NOT_ALLOWED'
  /** Points must be whole numbers, not negative; lifetime points at least the balance. */
  | 'POINTS_INVALID'
  /** The record exists and the template does not allow updates. */
  | 'RECORD_UPDATE_DISABLED'
  /** The source's reference id is already recorded for another customer. */
  | 'REFERENCE_BELONGS_TO_OTHER_CUSTOMER'
  /** The row has a different number of columns than the header. */
  | 'ROW_COLUMN_COUNT'
  /** The customer status label is not one of the org. */
  | 'STATUS_LABEL_UNKNOWN'
  /** An unknown store was replaced by the template's replacement store. */
  | 'STORE_REPLACED'
  /** The store is not a store of the org. */
  | 'STORE_UNKNOWN'
  /** The channel, priority or subscription status is not one of the allowed values. */
  | 'SUBSCRIPTION_INVALID'
  /** The tier (slab) is not a tier of the org's default program. */
  | 'TIER_UNKNOWN'
  /** The store already has a bill with that number on that business day. */
  | 'TRANSACTION_DUPLICATE'
  /** No transaction of the customer has this number (validateTransactionNumbers). */
  | 'TRANSACTION_NOT_FOUND'
  /** A value is not of the expected kind (a number, a date, one of a list of values). */
  | 'VALUE_INVALID'
  /** A mandatory value is empty. */
  | 'VALUE_MISSING'
  /** A value is longer than the field allows. */
  | 'VALUE_TOO_LONG'
  /** Spaces around the value were removed. */
  | 'WHITESPACE_TRIMMED';

/** How many rows of a job have an error (or a correction) of one code. */
export type ImportIssueCount = {
  __typename?: 'ImportIssueCount';
  /** Stable code. */
  code: ImportIssueCode;
  /** Rows with an issue of this code. */
  rows: Scalars['Int']['output'];
};

/** One run of an import template over a file: its state, counters, timings, errors and report. */
export type ImportJob = Node & {
  __typename?: 'ImportJob';
  /** Failed attempts so far (a failed run is retried automatically up to 3 times). */
  attempts: Scalars['Int']['output'];
  /** Corrected rows per correction code, most frequent first. */
  correctionCounts: Array<ImportIssueCount>;
  /** Auto-corrections made to rows (value before and after), optionally of one code. */
  corrections: ImportRowIssueConnection;
  /** When the job was created. */
  createdAt: Scalars['DateTime']['output'];
  /** A dry run checks everything and writes nothing to the main tables. */
  dryRun: Scalars['Boolean']['output'];
  /** Rejected rows per error code, most frequent first: the whole job, however many errors it has. */
  errorCounts: Array<ImportIssueCount>;
  /** Rejected rows: every error, in the order found, optionally of one code. */
  errors: ImportRowIssueConnection;
  /** Why the job failed, when it did. */
  failure?: Maybe<ImportFailure>;
  /** Name of the uploaded file. */
  fileName: Scalars['String']['output'];
  /** Size of the file in bytes. */
  fileSizeBytes: Scalars['Float']['output'];
  /** When it ended. */
  finishedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Globally unique, opaque id. */
  id: Scalars['ID']['output'];
  /** The mapping the job runs with. */
  mapping: Array<ImportFieldMapping>;
  /** The options the job runs with. */
  options: ImportOptions;
  /** When each phase started and ended. */
  phases: Array<ImportPhaseTiming>;
  /** What it imports. */
  profile: ImportProfile;
  /** Counters, rate and ETA, as `importProgress` streams them. */
  progress: ImportProgress;
  /** When retention removed the uploaded file and the row errors and corrections (IMPORT_RETENTION_DAYS after the job was created, 30 by default). The job stays with its progress counts, timings and counts by code (`errorCounts`, `correctionCounts`); `errors` and `corrections` are empty from then on, and the report can no longer be downloaded. */
  purgedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Until when `importReplay` may run the job again; null when it may not. */
  replayableUntil?: Maybe<Scalars['DateTime']['output']>;
  /** Where to download the report (send the same Authorization header): every input row with its outcome, error codes, messages and corrections, as CSV. */
  reportUrl: Scalars['String']['output'];
  /** When a worker started it. */
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Where the job is. */
  state: ImportJobState;
  /** The template the job was started with (it may have changed since: see mapping and options). */
  template?: Maybe<ImportTemplate>;
  /** Name of the template, as it was when the job started. */
  templateName: Scalars['String']['output'];
};


/** One run of an import template over a file: its state, counters, timings, errors and report. */
export type ImportJobCorrectionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  code?: InputMaybe<ImportIssueCode>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** One run of an import template over a file: its state, counters, timings, errors and report. */
export type ImportJobErrorsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  code?: InputMaybe<ImportIssueCode>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** A page of ImportJob items. */
export type ImportJobConnection = {
  __typename?: 'ImportJobConnection';
  /** Edges of this page. */
  edges: Array<ImportJobEdge>;
  /** The nodes of this page, without cursors. */
  nodes: Array<ImportJob>;
  /** Pagination state. */
  pageInfo: PageInfo;
};

/** An edge to a ImportJob. */
export type ImportJobEdge = {
  __typename?: 'ImportJobEdge';
  /** Opaque cursor of this edge. */
  cursor: Scalars['String']['output'];
  /** The ImportJob. */
  node: ImportJob;
};

/** The job to act on. */
export type ImportJobInput = {
  /** The import job. */
  id: Scalars['ID']['input'];
};

/** Result of starting, cancelling or replaying an import. */
export type ImportJobPayload = {
  __typename?: 'ImportJobPayload';
  /** The job; null when the request failed. */
  job?: Maybe<ImportJob>;
  /** Why it failed; empty on success. */
  userErrors: Array<UserError>;
};

/** Where an import job is; the last four are final. */
export type ImportJobState =
  /** Cancelled; batches merged before that stay merged. */
  | 'CANCELLED'
  /** Every row was accepted (a dry run: would be). */
  | 'COMPLETED'
  /** Done; some rows were rejected (see `errors` and the report). */
  | 'COMPLETED_WITH_ERRORS'
  /** The file could not be read, or the job kept failing (then it may be replayed for 7 days). */
  | 'FAILED'
  /** Writing the accepted rows into the main tables, batch by batch. */
  | 'MERGING'
  /** Reading the file: each row is checked on its own (and corrected where the template allows) and staged. */
  | 'PARSING'
  /** Waiting for a worker. */
  | 'QUEUED'
  /** Every check done; the accepted rows wait to be merged. */
  | 'STAGED'
  /** Checks across rows (values duplicated in the file) and against existing data. */
  | 'VALIDATING';

/** A template's options; each does what the reference's option table says. Options a profile does not take are left at their defaults. */
export type ImportOptions = {
  __typename?: 'ImportOptions';
  /** The org's calling code is prefixed to mobiles without one. */
  appendCountryCode: Scalars['Boolean']['output'];
  /** Which identifier rows use to find their customer. */
  customerIdentifierType?: Maybe<ImportIdentifierType>;
  /** How date columns are written. */
  dateFormat: ImportDateFormat;
  /** Existing records are not changed: their rows are rejected. */
  disableUpdate: Scalars['Boolean']['output'];
  /** Empty CSV values do not erase existing custom or extended fields. */
  keepCustomFieldsWhenEmpty: Scalars['Boolean']['output'];
  /** Card imports link each card to its customer. */
  linkCustomer: Scalars['Boolean']['output'];
  /** The coupon series used instead of an unknown one. */
  replacementCouponSeries?: Maybe<IncentiveSeries>;
  /** The store used instead of an unknown store. */
  replacementStore?: Maybe<Store>;
  /** Only rows matching every condition are imported. */
  rowFilter: Array<ImportRowCondition>;
  /** Emails are not checked against the standard pattern. */
  skipEmailValidation: Scalars['Boolean']['output'];
  /** Mobiles are not checked against the org's pattern. */
  skipMobileValidation: Scalars['Boolean']['output'];
  /** The coupon series' redemption range is not checked. */
  skipRedemptionRangeCheck: Scalars['Boolean']['output'];
  /** Store columns hold the stores' external ids. */
  storesByExternalId: Scalars['Boolean']['output'];
  /** Fields an import may change on existing records; null for every mapped field. */
  updatableFields?: Maybe<Array<Scalars['String']['output']>>;
  /** Coupon redemptions: transaction numbers must be bills of the row's customer. Transactions: bill numbers must be well formed and new for their store and day. */
  validateTransactionNumbers: Scalars['Boolean']['output'];
};

/** Options of a template; only those its profile takes may be set (see `importProfiles`). */
export type ImportOptionsInput = {
  /** Prefix the org's calling code to mobiles without one. */
  appendCountryCode?: InputMaybe<Scalars['Boolean']['input']>;
  /** Which identifier rows use to find (or create) their customer. */
  customerIdentifierType?: InputMaybe<ImportIdentifierType>;
  /** How date columns are written (default YMD_DASH). */
  dateFormat?: InputMaybe<ImportDateFormat>;
  /** Do not change existing records: their rows are rejected. */
  disableUpdate?: InputMaybe<Scalars['Boolean']['input']>;
  /** Empty CSV values do not erase existing custom or extended fields. */
  keepCustomFieldsWhenEmpty?: InputMaybe<Scalars['Boolean']['input']>;
  /** Card imports: link each card to the customer its row identifies. */
  linkCustomer?: InputMaybe<Scalars['Boolean']['input']>;
  /** Code of a coupon series to use instead of an unknown one. */
  replacementCouponSeriesCode?: InputMaybe<Scalars['String']['input']>;
  /** Code (or external id) of a store to use instead of an unknown store. */
  replacementStoreCode?: InputMaybe<Scalars['String']['input']>;
  /** Import only rows matching every condition. */
  rowFilter?: InputMaybe<Array<ImportRowConditionInput>>;
  /** Do not check emails against the standard pattern. */
  skipEmailValidation?: InputMaybe<Scalars['Boolean']['input']>;
  /** Do not check mobiles against the org's pattern. */
  skipMobileValidation?: InputMaybe<Scalars['Boolean']['input']>;
  /** Do not check the coupon series' redemption range. */
  skipRedemptionRangeCheck?: InputMaybe<Scalars['Boolean']['input']>;
  /** Store columns hold the stores' external ids. */
  storesByExternalId?: InputMaybe<Scalars['Boolean']['input']>;
  /** Only these fields may change on existing records. */
  updatableFields?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Coupon redemptions: transaction numbers must be bills of the row's customer. Transactions: bill numbers must be well formed and new for their store and day. */
  validateTransactionNumbers?: InputMaybe<Scalars['Boolean']['input']>;
};

/** How long a phase of a job took. */
export type ImportPhaseTiming = {
  __typename?: 'ImportPhaseTiming';
  /** When it ended; null while running. */
  finishedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The phase. */
  phase: ImportJobState;
  /** Its duration in seconds; null while running. */
  seconds?: Maybe<Scalars['Float']['output']>;
  /** When it started. */
  startedAt: Scalars['DateTime']['output'];
};

/** What an import loads: each profile has its own fields and options (see `importProfiles`). */
export type ImportProfile =
  /** Imports customers' cards (historical card data), optionally linking each card to its customer. */
  | 'CARDS'
  /** Creates card series (and updates existing ones): numbering, type, expiry and store. */
  | 'CARD_SERIES'
  /** Redeems coupons offline in bulk, with the same rules as `couponRedeem`. */
  | 'COUPON_REDEMPTIONS'
  /** Updates customers' status labels. */
  | 'CUSTOMER_STATUS'
  /** Issues badges to customers in bulk, also for past (retro) events. */
  | 'EARNED_BADGES'
  /** Maps customer registrations to the org's source registration events (e.g. WeChat Follow, WeChat Register). */
  | 'ENTITY_LIFE_CYCLE'
  /** Updates customers' fraud status. */
  | 'FRAUD_STATUS'
  /** Adds new loyalty customers and updates existing ones' profiles, status, subscriptions, fleet parent, custom and extended fields. */
  | 'LOYALTY_CUSTOMERS'
  /** Adds transactions with the same rules as `transactionAdd` (points, lifetime purchases, tier upgrades). */
  | 'TRANSACTIONS'
  /** Updates customers' subscription status per channel and priority. */
  | 'USER_SUBSCRIPTIONS';

/** An import profile: what it loads, its fields and the options it takes. */
export type ImportProfileDescription = {
  __typename?: 'ImportProfileDescription';
  /** What it does. */
  description: Scalars['String']['output'];
  /** Its fields. */
  fields: Array<ImportProfileField>;
  /** Names of the `ImportOptionsInput` fields it takes. */
  options: Array<Scalars['String']['output']>;
  /** The profile. */
  profile: ImportProfile;
};

/** A field of an import profile: a target a template can map a CSV header to. */
export type ImportProfileField = {
  __typename?: 'ImportProfileField';
  /** What it holds and how it is read. */
  description: Scalars['String']['output'];
  /** Whether the key is a prefix of a family of fields (custom., extended., subscription.). */
  family: Scalars['Boolean']['output'];
  /** The key used in mappings; for families (ending in `.`) append a name. */
  key: Scalars['String']['output'];
  /** The field's name in the reference documents. */
  label: Scalars['String']['output'];
  /** Whether a template must map it (with the profile's default options). */
  mandatory: Scalars['Boolean']['output'];
};

/** A snapshot of a running (or ended) import: its phase and counters. */
export type ImportProgress = {
  __typename?: 'ImportProgress';
  /** Merge batches done. */
  batchesMerged: Scalars['Int']['output'];
  /** Merge batches in all (known from STAGED on). */
  batchesTotal: Scalars['Int']['output'];
  /** Bytes of the file read so far. */
  bytesRead: Scalars['Float']['output'];
  /** Size of the file in bytes. */
  bytesTotal: Scalars['Float']['output'];
  /** Estimated seconds until the current phase ends; null when unknown. */
  etaSeconds?: Maybe<Scalars['Int']['output']>;
  /** Why the job failed, when it did. */
  failure?: Maybe<ImportFailure>;
  /** The job. */
  jobId: Scalars['ID']['output'];
  /** Rows merged into the main tables so far (in a dry run: rows that would be). */
  rowsAccepted: Scalars['Int']['output'];
  /** Rows with at least one auto-correction. */
  rowsCorrected: Scalars['Int']['output'];
  /** Rows skipped by the template's row filter. */
  rowsFiltered: Scalars['Int']['output'];
  /** Rows per second in the current phase (for an ended job: over the whole run). */
  rowsPerSecond?: Maybe<Scalars['Float']['output']>;
  /** Data rows read from the file so far. */
  rowsRead: Scalars['Int']['output'];
  /** Rows rejected with at least one error. */
  rowsRejected: Scalars['Int']['output'];
  /** Rows that passed every check (known from VALIDATING on). */
  rowsValid: Scalars['Int']['output'];
  /** The phase (or terminal state). */
  state: ImportJobState;
  /** When this snapshot was taken. */
  updatedAt: Scalars['DateTime']['output'];
};

/** A condition of a row filter. */
export type ImportRowCondition = {
  __typename?: 'ImportRowCondition';
  /** The CSV header whose value is compared. */
  column: Scalars['String']['output'];
  /** How it is compared. */
  operator: RowFilterOperator;
  /** What it is compared with (a regular expression for MATCHES). */
  values: Array<Scalars['String']['output']>;
};

/** A condition of a row filter: rows that do not match are skipped. */
export type ImportRowConditionInput = {
  /** The CSV header whose value is compared. */
  column: Scalars['String']['input'];
  /** How it is compared. */
  operator: RowFilterOperator;
  /** What it is compared with (a regular expression for MATCHES); none for EMPTY and NOT_EMPTY. */
  values?: InputMaybe<Array<Scalars['String']['input']>>;
};

/** An error or auto-correction of one input row. */
export type ImportRowIssue = {
  __typename?: 'ImportRowIssue';
  /** Stable code. */
  code: ImportIssueCode;
  /** For a correction: the value after it. */
  correctedValue?: Maybe<Scalars['String']['output']>;
  /** The profile field concerned. */
  field?: Maybe<Scalars['String']['output']>;
  /** Line of the file the row starts on. */
  line: Scalars['Int']['output'];
  /** What is wrong, or what was changed. */
  message: Scalars['String']['output'];
  /** Data row number: 1 is the first row after the header. */
  row: Scalars['Int']['output'];
  /** The value as read (for a correction: before it). */
  value?: Maybe<Scalars['String']['output']>;
};

/** A page of ImportRowIssue items. */
export type ImportRowIssueConnection = {
  __typename?: 'ImportRowIssueConnection';
  /** Edges of this page. */
  edges: Array<ImportRowIssueEdge>;
  /** The nodes of this page, without cursors. */
  nodes: Array<ImportRowIssue>;
  /** Pagination state. */
  pageInfo: PageInfo;
};

/** An edge to a ImportRowIssue. */
export type ImportRowIssueEdge = {
  __typename?: 'ImportRowIssueEdge';
  /** Opaque cursor of this edge. */
  cursor: Scalars['String']['output'];
  /** The ImportRowIssue. */
  node: ImportRowIssue;
};

/** Starts an import: a template and a CSV, sent either as a multipart upload (`file`) or inline (`csv`, for small files). */
export type ImportStartInput = {
  /** The CSV as text, for small files (up to IMPORT_MAX_INLINE_KB, 512 KB by default). */
  csv?: InputMaybe<Scalars['String']['input']>;
  /** Check and report everything without writing to the main tables. */
  dryRun?: InputMaybe<Scalars['Boolean']['input']>;
  /** The CSV, by the GraphQL multipart request spec (send the `apollo-require-preflight: true` header). For files of hundreds of MB, `POST /imports` streams too. */
  file?: InputMaybe<Scalars['Upload']['input']>;
  /** A name for an inline CSV (default `inline.csv`). */
  fileName?: InputMaybe<Scalars['String']['input']>;
  /** The template to run. */
  templateId: Scalars['ID']['input'];
};

/** How an import reads a CSV: a profile, a mapping from CSV headers to its fields, and options. */
export type ImportTemplate = Node & {
  __typename?: 'ImportTemplate';
  /** When it was created. */
  createdAt: Scalars['DateTime']['output'];
  /** Globally unique, opaque id. */
  id: Scalars['ID']['output'];
  /** CSV header → profile field. */
  mapping: Array<ImportFieldMapping>;
  /** Name, unique in the org. */
  name: Scalars['String']['output'];
  /** The profile's options as the template sets them. */
  options: ImportOptions;
  /** What it imports. */
  profile: ImportProfile;
  /** When it last changed. */
  updatedAt: Scalars['DateTime']['output'];
};

/** A page of ImportTemplate items. */
export type ImportTemplateConnection = {
  __typename?: 'ImportTemplateConnection';
  /** Edges of this page. */
  edges: Array<ImportTemplateEdge>;
  /** The nodes of this page, without cursors. */
  nodes: Array<ImportTemplate>;
  /** Pagination state. */
  pageInfo: PageInfo;
};

/** A new import template. */
export type ImportTemplateCreateInput = {
  /** CSV header → field; every mandatory field of the profile must be mapped. */
  mapping: Array<ImportFieldMappingInput>;
  /** Name, unique in the org. */
  name: Scalars['String']['input'];
  /** The profile's options. */
  options?: InputMaybe<ImportOptionsInput>;
  /** What it imports. */
  profile: ImportProfile;
};

/** The template to retire. */
export type ImportTemplateDeleteInput = {
  /** The template. */
  id: Scalars['ID']['input'];
};

/** Result of `importTemplateDelete`. */
export type ImportTemplateDeletePayload = {
  __typename?: 'ImportTemplateDeletePayload';
  /** Id of the retired template. */
  deletedTemplateId?: Maybe<Scalars['ID']['output']>;
  /** Why it failed; empty on success. */
  userErrors: Array<UserError>;
};

/** An edge to a ImportTemplate. */
export type ImportTemplateEdge = {
  __typename?: 'ImportTemplateEdge';
  /** Opaque cursor of this edge. */
  cursor: Scalars['String']['output'];
  /** The ImportTemplate. */
  node: ImportTemplate;
};

/** Result of creating or changing an import template. */
export type ImportTemplatePayload = {
  __typename?: 'ImportTemplatePayload';
  /** The template; null when the change failed. */
  template?: Maybe<ImportTemplate>;
  /** Every problem found; empty on success. */
  userErrors: Array<UserError>;
};

/** Changes to an import template; what is left out stays as it is. */
export type ImportTemplateUpdateInput = {
  /** The template. */
  id: Scalars['ID']['input'];
  /** A new mapping (replaces the whole mapping). */
  mapping?: InputMaybe<Array<ImportFieldMappingInput>>;
  /** A new name. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** New options (replace every option). */
  options?: InputMaybe<ImportOptionsInput>;
};

/** One code: a coupon, promo code or gift voucher. */
export type Incentive = Node & {
  __typename?: 'Incentive';
  /** The code, unique per kind in the org. */
  code: Scalars['String']['output'];
  /** The customer holding the code; null for a code not issued to anyone. */
  holder?: Maybe<Customer>;
  /** Globally unique, opaque id. */
  id: Scalars['ID']['output'];
  /** When the code was issued. */
  issuedAt: Scalars['DateTime']['output'];
  /** Coupon, promo code or gift voucher. */
  kind: IncentiveKind;
  /** Times this code has been redeemed. */
  redemptionCount: Scalars['Int']['output'];
  /** Redemptions of the code, newest first. */
  redemptions: Array<IncentiveRedemption>;
  /** The series the code belongs to. */
  series: IncentiveSeries;
  /** Lifecycle status. */
  status: IncentiveStatus;
  /** Why the code cannot be redeemed now; empty when it can. */
  unusableReasons: Array<IncentiveUnusableReason>;
  /** Whether the code could be redeemed now (by its holder, for a holder-only series). */
  usableNow: Scalars['Boolean']['output'];
  /** Start of validity of this code; null for no start. */
  validFrom?: Maybe<Scalars['DateTime']['output']>;
  /** End of validity of this code; null for no end. */
  validUntil?: Maybe<Scalars['DateTime']['output']>;
};

/** A page of Incentive items. */
export type IncentiveConnection = {
  __typename?: 'IncentiveConnection';
  /** Edges of this page. */
  edges: Array<IncentiveEdge>;
  /** The nodes of this page, without cursors. */
  nodes: Array<Incentive>;
  /** Pagination state. */
  pageInfo: PageInfo;
};

/** An edge to a Incentive. */
export type IncentiveEdge = {
  __typename?: 'IncentiveEdge';
  /** Opaque cursor of this edge. */
  cursor: Scalars['String']['output'];
  /** The Incentive. */
  node: Incentive;
};

/** Coupon, promo code or gift voucher. */
export type IncentiveKind =
  /** A coupon, usually issued to one customer. */
  | 'COUPON'
  /** A gift voucher. */
  | 'GIFT_VOUCHER'
  /** A promo code, usually shared by many customers. */
  | 'PROMO_CODE';

/** One redemption of an incentive code in a transaction. */
export type IncentiveRedemption = Node & {
  __typename?: 'IncentiveRedemption';
  /** Amount of that bill. */
  billAmount: Scalars['Float']['output'];
  /** When the redemption was recorded. */
  createdAt: Scalars['DateTime']['output'];
  /** The customer who redeemed the code. */
  customer: Customer;
  /** Globally unique, opaque id. */
  id: Scalars['ID']['output'];
  /** When the code was redeemed. */
  redeemedAt: Scalars['DateTime']['output'];
  /** Which redemption of the code this is: 1 for the first. */
  sequence: Scalars['Int']['output'];
  /** Store the code was redeemed at, when known. */
  store?: Maybe<Store>;
  /** Number of the transaction (bill) the code was redeemed in. */
  transactionNumber: Scalars['String']['output'];
};

/** The incentive a searched code belongs to, or an explicit invalid-code answer. */
export type IncentiveSearchResult = Incentive | InvalidIncentiveCode;

/** A series of coupons, promo codes or gift vouchers and the rules their codes share. */
export type IncentiveSeries = Node & {
  __typename?: 'IncentiveSeries';
  /** Series code, unique in the org. */
  code: Scalars['String']['output'];
  /** Description. */
  description?: Maybe<Scalars['String']['output']>;
  /** Whether a code may only be redeemed by the customer holding it. */
  holderOnly: Scalars['Boolean']['output'];
  /** Globally unique, opaque id. */
  id: Scalars['ID']['output'];
  /** Kind of the codes of this series. */
  kind: IncentiveKind;
  /** Times one code may be redeemed in all. */
  maxRedemptionsPerCode: Scalars['Int']['output'];
  /** Times one customer may redeem codes of this series; null for no limit. */
  maxRedemptionsPerCustomer?: Maybe<Scalars['Int']['output']>;
  /** Start of the redemption window; null for no start. */
  redemptionFrom?: Maybe<Scalars['DateTime']['output']>;
  /** End of the redemption window; null for no end. */
  redemptionUntil?: Maybe<Scalars['DateTime']['output']>;
  /** Start of the validity of the codes; null for no start. */
  validFrom?: Maybe<Scalars['DateTime']['output']>;
  /** End of the validity of the codes; null for no end. */
  validUntil?: Maybe<Scalars['DateTime']['output']>;
};

/** Lifecycle status of an incentive code. */
export type IncentiveStatus =
  /** Can be redeemed (within its validity and redemption window). */
  | 'ACTIVE'
  /** Marked expired. */
  | 'EXPIRED'
  /** Redeemed as often as its series allows. */
  | 'REDEEMED'
  /** Withdrawn by the brand. */
  | 'REVOKED';

/** Why a code cannot be redeemed now: revoked, expired, redeemed as often as allowed, outside its validity, or outside its series' redemption window. */
export type IncentiveUnusableReason =
  /** The series' redemption window has closed. */
  | 'AFTER_REDEMPTION_WINDOW'
  /** The series' redemption window has not opened yet. */
  | 'BEFORE_REDEMPTION_WINDOW'
  /** The code was marked expired. */
  | 'EXPIRED'
  /** The code has been redeemed as often as its series allows. */
  | 'FULLY_REDEEMED'
  /** Its validity has not started yet. */
  | 'NOT_YET_VALID'
  /** The code was revoked. */
  | 'REVOKED'
  /** Its validity has ended. */
  | 'VALIDITY_ENDED';

/** A message sent to a customer. */
export type Interaction = Node & {
  __typename?: 'Interaction';
  /** An email's attachments (empty when it has none); null for other channels and for messages recorded before attachments were. */
  attachments?: Maybe<Array<InteractionAttachment>>;
  /** Channel the message was sent through. */
  channel: InteractionChannel;
  /** Message content: the text (for an email, its plain-text part; empty when it has only HTML). */
  content: Scalars['String']['output'];
  /** Length of an SMS text in its encoding: GSM-7 septets or UCS-2 units; null for other channels. */
  contentLength?: Maybe<Scalars['Int']['output']>;
  /** When the message was recorded. */
  createdAt: Scalars['DateTime']['output'];
  /** The customer the message was sent to. */
  customer: Customer;
  /** When the message was delivered, if known. */
  deliveredAt?: Maybe<Scalars['DateTime']['output']>;
  /** Encoding of an SMS text; null for other channels. */
  encoding?: Maybe<SmsEncoding>;
  /** When delivery was given up on; null unless FAILED. */
  failedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Why delivery failed (the gateway’s reason); null unless FAILED. */
  failureReason?: Maybe<Scalars['String']['output']>;
  /** Globally unique, opaque id. */
  id: Scalars['ID']['output'];
  /** Priority the message was sent at; null when not recorded. */
  priority?: Maybe<MessagePriority>;
  /** When the message was accepted for delivery; null when not recorded. */
  queuedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Sender id the caller asked for; null when none was. */
  requestedSenderId?: Maybe<Scalars['String']['output']>;
  /** Parts an SMS is sent in; null for other channels. */
  segments?: Maybe<Scalars['Int']['output']>;
  /** Why `senderId` is the org's default instead of the one asked for; null when it is the one asked for (or not recorded). */
  senderFallback?: Maybe<SenderFallback>;
  /** Sender id the message went out under (SMS sender, email address, app or account). */
  senderId: Scalars['String']['output'];
  /** When the message was sent; while it is QUEUED, or once FAILED, when it was accepted. */
  sentAt: Scalars['DateTime']['output'];
  /** Delivery status. */
  status: InteractionStatus;
  /** Subject, for channels that have one. */
  subject?: Maybe<Scalars['String']['output']>;
};

/** A file attached to an email. */
export type InteractionAttachment = {
  __typename?: 'InteractionAttachment';
  /** MIME type, e.g. `image/png`. */
  contentType: Scalars['String']['output'];
  /** File name, as sent. */
  name: Scalars['String']['output'];
  /** Size in bytes (decoded). */
  size: Scalars['Int']['output'];
};

/** The channel a message was sent through. */
export type InteractionChannel =
  /** Email. */
  | 'EMAIL'
  /** LINE message. */
  | 'LINE'
  /** Push notification. */
  | 'PUSH'
  /** Text message. */
  | 'SMS'
  /** WhatsApp message. */
  | 'WHATSAPP';

/** A page of Interaction items. */
export type InteractionConnection = {
  __typename?: 'InteractionConnection';
  /** Edges of this page. */
  edges: Array<InteractionEdge>;
  /** The nodes of this page, without cursors. */
  nodes: Array<Interaction>;
  /** Pagination state. */
  pageInfo: PageInfo;
};

/** An edge to a Interaction. */
export type InteractionEdge = {
  __typename?: 'InteractionEdge';
  /** Opaque cursor of this edge. */
  cursor: Scalars['String']['output'];
  /** The Interaction. */
  node: Interaction;
};

/** Delivery status of a message. */
export type InteractionStatus =
  /** Delivered to the customer. */
  | 'DELIVERED'
  /** Could not be delivered. */
  | 'FAILED'
  /** Opened by the customer. */
  | 'OPENED'
  /** Waiting to be sent. */
  | 'QUEUED'
  /** Handed to the gateway. */
  | 'SENT';

/** The answer of the incentive search for a code that is not a valid code of that kind. */
export type InvalidIncentiveCode = {
  __typename?: 'InvalidIncentiveCode';
  /** The code searched, as given. */
  code: Scalars['String']['output'];
  /** The kind searched. */
  kind: IncentiveKind;
  /** Why the code is invalid, for people. */
  message: Scalars['String']['output'];
  /** Why the code is invalid. */
  reason: InvalidIncentiveCodeReason;
};

/** Why a searched code is invalid: MALFORMED (blank or too long) or NOT_FOUND (no code of that kind in the org). */
export type InvalidIncentiveCodeReason =
  /** The code is blank or longer than any code can be. */
  | 'MALFORMED'
  /** The org has no code of that kind with that value. */
  | 'NOT_FOUND';

/** What a points ledger entry records: points earned, granted as goodwill, redeemed, expired, reversed, imported, transferred between customers or rewarded by a campaign. */
export type LedgerEntryKind =
  /** A campaign's reward for reaching its goal (a lot with its expiry; one per campaign and customer). */
  | 'CAMPAIGN'
  /** Points a purchase earned (a lot with its expiry). */
  | 'EARN'
  /** What was left of one lot when it expired. */
  | 'EXPIRY'
  /** Points granted by member care (a lot with its expiry). */
  | 'GOODWILL'
  /** Points brought by an import: a credit is a lot with its expiry, a debit is spent like a redemption. */
  | 'IMPORT'
  /** Points spent; they came from the lots that expire first. */
  | 'REDEMPTION'
  /** A correction of an earlier entry, credit or debit. */
  | 'REVERSAL'
  /** Points received from another customer: a lot with the expiry of the lot they came from. */
  | 'TRANSFER_IN'
  /** Points given to another customer; they came from the lots that expire first. */
  | 'TRANSFER_OUT';

/** A loyalty program of the org. */
export type LoyaltyProgram = Node & {
  __typename?: 'LoyaltyProgram';
  /** Globally unique, opaque id. */
  id: Scalars['ID']['output'];
  /** Whether this is the org's default program (new groups are enrolled in it). */
  isDefault: Scalars['Boolean']['output'];
  /** Program name. */
  name: Scalars['String']['output'];
  /** Days until earned points expire. */
  pointsExpiryDays: Scalars['Int']['output'];
  /** Points earned per currency unit, before the tier multiplier. */
  pointsPerCurrencyUnit: Scalars['Float']['output'];
};

/** One step in the activity history of a partner-program membership. */
export type MembershipActivity = {
  __typename?: 'MembershipActivity';
  /** Description of the step. */
  description?: Maybe<Scalars['String']['output']>;
  /** What happened. */
  kind: MembershipActivityKind;
  /** When it happened. */
  occurredAt: Scalars['DateTime']['output'];
  /** Tier after the step, when the program has tiers. */
  tierName?: Maybe<Scalars['String']['output']>;
};

/** A step in the life of a partner-program membership. */
export type MembershipActivityKind =
  /** Moved to a lower tier. */
  | 'DOWNGRADED'
  /** Left the program. */
  | 'ENDED'
  /** Joined the program. */
  | 'JOINED'
  /** Renewed the membership. */
  | 'RENEWED'
  /** Moved to a higher tier. */
  | 'UPGRADED';

/** Whether a partner-program membership is active or ended. */
export type MembershipStatus =
  /** The customer is a member. */
  | 'ACTIVE'
  /** The membership has ended. */
  | 'ENDED';

/** TRANS (transactional) or BULK (promotional) messages. */
export type MessagePriority =
  /** Promotional messages. */
  | 'BULK'
  /** Transactional messages (receipts, one-time passwords). */
  | 'TRANS';

/** Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code. */
export type Mutation = {
  __typename?: 'Mutation';
  /** Issues a badge to a customer, with its earn date (past allowed) and expiry. */
  badgeIssue: BadgeIssuePayload;
  /** Defines a campaign: who may take part, the goal, the reward and the window (ADMIN keys only). */
  campaignCreate: CampaignPayload;
  /** Ends a campaign now: later purchases do not count and nobody can join (ADMIN keys only). */
  campaignEnd: CampaignPayload;
  /** Joins a customer to a running campaign they are eligible for; their purchases from now on count. Joining again changes nothing. */
  campaignJoin: CampaignJoinPayload;
  /** Changes a campaign that has not ended; its start, goal, reward and opt-in only before it starts (ADMIN keys only). */
  campaignUpdate: CampaignPayload;
  /** Issues a card to a customer (an active label, validity from now). */
  cardIssue: CardIssuePayload;
  /** Creates a card series (ADMIN and INTEGRATION keys: it is configuration). */
  cardSeriesCreate: CardSeriesCreatePayload;
  /** Gives a card another of the org's status labels. */
  cardStatusChange: CardStatusChangePayload;
  /** Generates cards in a series, numbered by its prefix, suffix and length; they are not issued yet. */
  cardsGenerate: CardsGeneratePayload;
  /** Redeems a coupon for a customer in a bill, at most as often as its series allows, even under concurrent requests. */
  couponRedeem: CouponRedeemPayload;
  /** Sets a customer's fraud status (INTERNAL, MARKED, CONFIRMED, RECONFIRMED, NOT_FRAUD) and reason. */
  customerFraudStatusUpdate: CustomerFraudStatusUpdatePayload;
  /** Sets a customer's status label (one of the org's) and reason. */
  customerStatusUpdate: CustomerStatusUpdatePayload;
  /** Opts a customer in or out of a channel for one message priority and account. */
  customerSubscriptionUpdate: CustomerSubscriptionUpdatePayload;
  /** Sends an email (HTML and/or text, with attachments) to a customer: recorded as an Interaction (QUEUED) and delivered over SMTP by a worker, retried while the mail server is unavailable. Idempotent by key. */
  emailSend: EmailSendPayload;
  /** Grants goodwill points to a customer (reason required, within the org cap); idempotent by key. */
  goodwillPointsIssue: PointsChangePayload;
  /** Cancels a queued job at once, a running one at its next safe point. Batches already merged stay merged. */
  importCancel: ImportJobPayload;
  /** Runs a job that failed after its automatic retries again, from where it stopped; possible for 7 days after it was created. */
  importReplay: ImportJobPayload;
  /** Uploads a CSV and queues an import of it with a template. Watch it with the `importProgress` and `importErrors` subscriptions. */
  importStart: ImportJobPayload;
  /** Creates an import template; every problem of the definition is reported at once. */
  importTemplateCreate: ImportTemplatePayload;
  /** Retires a template: it is no longer listed and starts no jobs. */
  importTemplateDelete: ImportTemplateDeletePayload;
  /** Renames a template or replaces its mapping or options. Jobs already started keep what they started with. */
  importTemplateUpdate: ImportTemplatePayload;
  /** Registers a partner app; a CONFIDENTIAL one gets its secret in this answer only (ADMIN keys only). */
  oauthClientCreate: OAuthClientCreatePayload;
  /** Removes a partner app and every code, grant and token it holds (ADMIN keys only). */
  oauthClientDelete: OAuthClientDeletePayload;
  /** Changes a partner app's name, redirect URIs or allowed scopes (ADMIN keys only). */
  oauthClientUpdate: OAuthClientUpdatePayload;
  /** Changes the org's settings (ADMIN keys only). API keys cache their org for up to 10 s, so requests see a change within 10 s. */
  orgSettingsUpdate: OrgSettingsUpdatePayload;
  /** Spends points of a customer, earliest-expiring first; never below zero. Idempotent by key. */
  pointsRedeem: PointsChangePayload;
  /** Moves points from one customer to another of the org in one transaction: the sender's earliest-expiring lots go first and the recipient's lots keep their expiry. Within `Org.pointsTransferCap`; idempotent by key. */
  pointsTransfer: PointsTransferPayload;
  /** Sends an SMS to a customer: recorded as an Interaction (QUEUED) and delivered by a worker, retried while the gateway is unavailable. Idempotent by key. */
  smsSend: SmsSendPayload;
  /** Sends up to 500 SMS at once, each exactly as `smsSend` would (same checks, same idempotency keys): a refused message gets its own userErrors and changes nothing, the others are sent. */
  smsSendBatch: SmsSendBatchPayload;
  /** Removes the org's staff identity provider (ADMIN only): its tokens stop working within 10 seconds; API keys stay. */
  staffIdentityProviderRemove: StaffIdentityProviderRemovePayload;
  /** Names (or replaces) the OpenID Connect provider the org's staff sign in with (ADMIN only): its signed tokens then act as staff of this org, with the role the claim mapping gives. Takes effect within 10 seconds. */
  staffIdentityProviderSet: StaffIdentityProviderSetPayload;
  /** Names a view of customers' timelines: some event types within the last few days (ADMIN keys only). */
  timelineViewCreate: TimelineViewCreatePayload;
  /** Removes a timeline view (ADMIN keys only). */
  timelineViewDelete: TimelineViewDeletePayload;
  /** Records a purchase: it earns points (for the customer, or the group it was made for) and may lift the tier. */
  transactionAdd: TransactionAddPayload;
  /** Adds customers to a group. */
  userGroupAddMembers: UserGroupAddMembersPayload;
  /** Creates a group, enrolled in the org's default program at once (base tier, 0 points). */
  userGroupCreate: UserGroupPayload;
  /** Removes a member (not the primary one) from a group. */
  userGroupRemoveMember: UserGroupRemoveMemberPayload;
};


/** Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code. */
export type MutationBadgeIssueArgs = {
  input: BadgeIssueInput;
};


/** Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code. */
export type MutationCampaignCreateArgs = {
  input: CampaignCreateInput;
};


/** Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code. */
export type MutationCampaignEndArgs = {
  input: CampaignEndInput;
};


/** Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code. */
export type MutationCampaignJoinArgs = {
  input: CampaignJoinInput;
};


/** Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code. */
export type MutationCampaignUpdateArgs = {
  input: CampaignUpdateInput;
};


/** Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code. */
export type MutationCardIssueArgs = {
  input: CardIssueInput;
};


/** Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code. */
export type MutationCardSeriesCreateArgs = {
  input: CardSeriesCreateInput;
};


/** Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code. */
export type MutationCardStatusChangeArgs = {
  input: CardStatusChangeInput;
};


/** Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code. */
export type MutationCardsGenerateArgs = {
  input: CardsGenerateInput;
};


/** Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code. */
export type MutationCouponRedeemArgs = {
  input: CouponRedeemInput;
};


/** Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code. */
export type MutationCustomerFraudStatusUpdateArgs = {
  input: CustomerFraudStatusUpdateInput;
};


/** Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code. */
export type MutationCustomerStatusUpdateArgs = {
  input: CustomerStatusUpdateInput;
};


/** Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code. */
export type MutationCustomerSubscriptionUpdateArgs = {
  input: CustomerSubscriptionUpdateInput;
};


/** Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code. */
export type MutationEmailSendArgs = {
  input: EmailSendInput;
};


/** Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code. */
export type MutationGoodwillPointsIssueArgs = {
  input: GoodwillPointsIssueInput;
};


/** Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code. */
export type MutationImportCancelArgs = {
  input: ImportJobInput;
};


/** Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code. */
export type MutationImportReplayArgs = {
  input: ImportJobInput;
};


/** Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code. */
export type MutationImportStartArgs = {
  input: ImportStartInput;
};


/** Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code. */
export type MutationImportTemplateCreateArgs = {
  input: ImportTemplateCreateInput;
};


/** Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code. */
export type MutationImportTemplateDeleteArgs = {
  input: ImportTemplateDeleteInput;
};


/** Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code. */
export type MutationImportTemplateUpdateArgs = {
  input: ImportTemplateUpdateInput;
};


/** Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code. */
export type MutationOauthClientCreateArgs = {
  input: OAuthClientCreateInput;
};


/** Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code. */
export type MutationOauthClientDeleteArgs = {
  input: OAuthClientDeleteInput;
};


/** Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code. */
export type MutationOauthClientUpdateArgs = {
  input: OAuthClientUpdateInput;
};


/** Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code. */
export type MutationOrgSettingsUpdateArgs = {
  input: OrgSettingsUpdateInput;
};


/** Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code. */
export type MutationPointsRedeemArgs = {
  input: PointsRedeemInput;
};


/** Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code. */
export type MutationPointsTransferArgs = {
  input: PointsTransferInput;
};


/** Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code. */
export type MutationSmsSendArgs = {
  input: SmsSendInput;
};


/** Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code. */
export type MutationSmsSendBatchArgs = {
  input: SmsSendBatchInput;
};


/** Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code. */
export type MutationStaffIdentityProviderSetArgs = {
  input: StaffIdentityProviderSetInput;
};


/** Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code. */
export type MutationTimelineViewCreateArgs = {
  input: TimelineViewCreateInput;
};


/** Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code. */
export type MutationTimelineViewDeleteArgs = {
  input: TimelineViewDeleteInput;
};


/** Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code. */
export type MutationTransactionAddArgs = {
  input: TransactionAddInput;
};


/** Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code. */
export type MutationUserGroupAddMembersArgs = {
  input: UserGroupAddMembersInput;
};


/** Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code. */
export type MutationUserGroupCreateArgs = {
  input: UserGroupCreateInput;
};


/** Changes, each taking one `input` and returning a payload with `userErrors`: a business failure changes nothing and is reported there, with a stable code. */
export type MutationUserGroupRemoveMemberArgs = {
  input: UserGroupRemoveMemberInput;
};

/** An object with a globally unique id, refetchable with `node(id:)`. */
export type Node = {
  /** Globally unique, opaque id. */
  id: Scalars['ID']['output'];
};

/** A partner app that customers of the org may sign in to (an OAuth 2.0 client). */
export type OAuthClient = {
  __typename?: 'OAuthClient';
  /** What the app may ask a customer for. */
  allowedScopes: Array<CustomerScope>;
  /** The OAuth `client_id`. */
  clientId: Scalars['String']['output'];
  /** When the client was registered. */
  createdAt: Scalars['DateTime']['output'];
  /** The app's name, shown to customers on the consent screen. */
  name: Scalars['String']['output'];
  /** The redirect URIs, matched exactly. */
  redirectUris: Array<Scalars['String']['output']>;
  /** Public (no secret) or confidential. */
  type: OAuthClientType;
  /** When it last changed. */
  updatedAt: Scalars['DateTime']['output'];
};

/** A new partner app. */
export type OAuthClientCreateInput = {
  /** What the app may ask for (at least one). */
  allowedScopes: Array<CustomerScope>;
  /** Name shown to customers (1 to 200 characters). */
  name: Scalars['String']['input'];
  /** Redirect URIs (1 to 10), https, or http on localhost/127.0.0.1/[::1]; no fragment, no wildcard. */
  redirectUris: Array<Scalars['String']['input']>;
  /** PUBLIC for an app on a device, CONFIDENTIAL for one with a server. */
  type: OAuthClientType;
};

/** Result of `oauthClientCreate`. */
export type OAuthClientCreatePayload = {
  __typename?: 'OAuthClientCreatePayload';
  /** The new client. */
  client?: Maybe<OAuthClient>;
  /** The client secret of a CONFIDENTIAL client: shown this once, only its hash is kept. Null for a PUBLIC client. */
  clientSecret?: Maybe<Scalars['String']['output']>;
  /** Why nothing was created; empty on success. */
  userErrors: Array<UserError>;
};

/** A partner app to remove. */
export type OAuthClientDeleteInput = {
  /** The client to remove; its codes, grants and tokens go with it. */
  clientId: Scalars['String']['input'];
};

/** Result of `oauthClientDelete`. */
export type OAuthClientDeletePayload = {
  __typename?: 'OAuthClientDeletePayload';
  /** The client id removed. */
  deletedClientId?: Maybe<Scalars['String']['output']>;
  /** Why nothing was removed; empty on success. */
  userErrors: Array<UserError>;
};

/** How a partner app authenticates to the authorization server. */
export type OAuthClientType =
  /** An app with a server that keeps a secret; it may also introspect and revoke its tokens. */
  | 'CONFIDENTIAL'
  /** An app on a device (phone, tablet, browser): no secret, PKCE only. */
  | 'PUBLIC';

/** Changes to a partner app; absent fields stay as they are. */
export type OAuthClientUpdateInput = {
  /** The new allowed scopes (replacing all); tokens already issued keep theirs until they expire. */
  allowedScopes?: InputMaybe<Array<CustomerScope>>;
  /** The client to change. */
  clientId: Scalars['String']['input'];
  /** A new name. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** The new redirect URIs (replacing all). */
  redirectUris?: InputMaybe<Array<Scalars['String']['input']>>;
};

/** Result of `oauthClientUpdate`. */
export type OAuthClientUpdatePayload = {
  __typename?: 'OAuthClientUpdatePayload';
  /** The client after the change. */
  client?: Maybe<OAuthClient>;
  /** Why nothing was changed; empty on success. */
  userErrors: Array<UserError>;
};

/** A brand running loyalty programs: the tenant every object belongs to. */
export type Org = Node & {
  __typename?: 'Org';
  /** How many days back `couponRedeem` and `transactionAdd` may date a redemption or purchase (7 by default); imports of history may go further. */
  backdatingWindowDays: Scalars['Int']['output'];
  /** ISO 3166-1 alpha-2 code of the base country. */
  baseCountry: Scalars['String']['output'];
  /** Country calling code appended to mobiles without one. */
  countryCallingCode: Scalars['String']['output'];
  /** When the org was created. */
  createdAt: Scalars['DateTime']['output'];
  /** Default SMS sender id. */
  defaultSenderId: Scalars['String']['output'];
  /** Most bytes an email's attachments may take together, decoded (512 KiB by default); more is refused with ATTACHMENTS_TOO_LARGE. */
  emailMaxAttachmentBytes: Scalars['Int']['output'];
  /** Most emails a second the queue hands to the mail server; the rest wait their turn, none is dropped. Null: no limit. */
  emailSendRate?: Maybe<Scalars['Int']['output']>;
  /** Most points one goodwill issue may grant. */
  goodwillPointsCap: Scalars['Int']['output'];
  /** Globally unique, opaque id. */
  id: Scalars['ID']['output'];
  /** Most points a Loyalty Customers import may carry over for one new customer (its balance and its lifetime points). */
  importOpeningPointsCap: Scalars['Int']['output'];
  /** Regular expression a mobile number (digits with country code) must match. */
  mobileRegex: Scalars['String']['output'];
  /** Display name. */
  name: Scalars['String']['output'];
  /** Most points one `pointsTransfer` may move from one customer to another (10,000 by default); more is refused with POINTS_TRANSFER_OVER_CAP. */
  pointsTransferCap: Scalars['Int']['output'];
  /** Short unique name. */
  slug: Scalars['String']['output'];
  /** Most parts one SMS may be cut into (6 by default); a longer text is refused with SMS_TOO_LONG. */
  smsMaxSegments: Scalars['Int']['output'];
  /** Most SMS a second the queue hands to the gateway; the rest wait their turn, none is dropped. Null: no limit. */
  smsSendRate?: Maybe<Scalars['Int']['output']>;
  /** IANA time zone; every date-time in this API is returned in it. */
  timeZone: Scalars['String']['output'];
};

/** Org settings to change; absent ones stay as they are. */
export type OrgSettingsUpdateInput = {
  /** How many days back `couponRedeem` and `transactionAdd` may date what they record (0–3,650). */
  backdatingWindowDays?: InputMaybe<Scalars['Int']['input']>;
  /** Default SMS sender id. */
  defaultSenderId?: InputMaybe<Scalars['String']['input']>;
  /** Most bytes an email's attachments may take together, decoded (1–786,432: in base64 they must fit the 1 MB request body). */
  emailMaxAttachmentBytes?: InputMaybe<Scalars['Int']['input']>;
  /** Most emails a second handed to the mail server (1–10,000); 0 lifts the limit. Messages over the rate wait in the queue. */
  emailSendRate?: InputMaybe<Scalars['Int']['input']>;
  /** Most points one goodwill issue may grant (1–1,000,000). */
  goodwillPointsCap?: InputMaybe<Scalars['Int']['input']>;
  /** Most points a Loyalty Customers import may carry over for one new customer (1–2,000,000,000). */
  importOpeningPointsCap?: InputMaybe<Scalars['Int']['input']>;
  /** Regular expression a mobile number (digits with country code) must match. */
  mobileRegex?: InputMaybe<Scalars['String']['input']>;
  /** Most points one `pointsTransfer` may move from one customer to another (1–2,000,000,000). */
  pointsTransferCap?: InputMaybe<Scalars['Int']['input']>;
  /** Most parts one SMS may be cut into (1–20). */
  smsMaxSegments?: InputMaybe<Scalars['Int']['input']>;
  /** Most SMS a second handed to the gateway (1–10,000); 0 lifts the limit. Messages over the rate wait in the queue. */
  smsSendRate?: InputMaybe<Scalars['Int']['input']>;
  /** IANA time zone, e.g. `Asia/Singapore`; every date-time is returned in it. */
  timeZone?: InputMaybe<Scalars['String']['input']>;
};

/** Result of `orgSettingsUpdate`. */
export type OrgSettingsUpdatePayload = {
  __typename?: 'OrgSettingsUpdatePayload';
  /** The org with its settings as now stored. */
  org?: Maybe<Org>;
  /** Why nothing changed; empty on success. */
  userErrors: Array<UserError>;
};

/** Relay pagination state of a connection. */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** Cursor of the last item; pass it as `after` for the next page. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** Whether more items follow `endCursor`. */
  hasNextPage: Scalars['Boolean']['output'];
  /** Always false: connections are paginated forwards only. */
  hasPreviousPage: Scalars['Boolean']['output'];
  /** Cursor of the first item of this page. */
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** External partner program or supplementary program of the org. */
export type PartnerProgramType =
  /** A program run by a partner. */
  | 'EXTERNAL'
  /** A supplementary program of the org. */
  | 'SUPPLEMENTARY';

/** Points booked for a transaction in one program, with their expiry. */
export type PointsAward = {
  __typename?: 'PointsAward';
  /** When these points expire; null if they never do. */
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  /** What the entry records (EARN for points issued, REVERSAL for a correction). */
  kind: LedgerEntryKind;
  /** Points: positive when credited, negative when debited. */
  points: Scalars['Int']['output'];
  /** The program the points were booked in. */
  program: LoyaltyProgram;
};

/** Result of a change of points: the ledger entry and the customer with its balances. */
export type PointsChangePayload = {
  __typename?: 'PointsChangePayload';
  /** The customer, with `loyalty` showing the new balance. */
  customer?: Maybe<Customer>;
  /** The ledger entry written (or, for a repeated key, written the first time). */
  ledgerEntry?: Maybe<PointsLedgerEntry>;
  /** True when the idempotency key repeated an earlier request: nothing was written this time. */
  replayed?: Maybe<Scalars['Boolean']['output']>;
  /** Why nothing was changed; empty on success. */
  userErrors: Array<UserError>;
};

/** One change of points in a program, in an append-only ledger: balances are its sums. A positive entry is a lot with its own expiry; spending takes the lots that expire first. */
export type PointsLedgerEntry = Node & {
  __typename?: 'PointsLedgerEntry';
  /** For a CAMPAIGN entry: the campaign whose completion it rewards. */
  campaign?: Maybe<Campaign>;
  /** When the entry was recorded. */
  createdAt: Scalars['DateTime']['output'];
  /** Who recorded the entry, e.g. `api-key:12` or `import-job:7`. */
  createdBy?: Maybe<Scalars['String']['output']>;
  /** The customer whose points these are; null for a group's. */
  customer?: Maybe<Customer>;
  /** For an EXPIRY entry: the lot whose rest it expired. */
  expiredLot?: Maybe<PointsLedgerEntry>;
  /** When the points of a credit expire; null for a debit or points that never expire. */
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  /** The group whose points these are; null for a customer's. */
  group?: Maybe<UserGroup>;
  /** Globally unique, opaque id. */
  id: Scalars['ID']['output'];
  /** What the entry records. */
  kind: LedgerEntryKind;
  /** Points: positive when credited, negative when debited. */
  points: Scalars['Int']['output'];
  /** The program the points are in. */
  program: LoyaltyProgram;
  /** Why the points changed (required for goodwill and spending). */
  reason?: Maybe<Scalars['String']['output']>;
  /** For a credit: its points not yet spent or expired. Null for a debit. */
  remainingPoints?: Maybe<Scalars['Int']['output']>;
  /** Where the change came from: a mutation, an import job, the expiry job. */
  source: Scalars['String']['output'];
  /** The purchase that earned the points, if any. */
  transaction?: Maybe<Transaction>;
};

/** A page of PointsLedgerEntry items. */
export type PointsLedgerEntryConnection = {
  __typename?: 'PointsLedgerEntryConnection';
  /** Edges of this page. */
  edges: Array<PointsLedgerEntryEdge>;
  /** The nodes of this page, without cursors. */
  nodes: Array<PointsLedgerEntry>;
  /** Pagination state. */
  pageInfo: PageInfo;
};

/** An edge to a PointsLedgerEntry. */
export type PointsLedgerEntryEdge = {
  __typename?: 'PointsLedgerEntryEdge';
  /** Opaque cursor of this edge. */
  cursor: Scalars['String']['output'];
  /** The PointsLedgerEntry. */
  node: PointsLedgerEntry;
};

/** Points a customer spends; the points that expire first go first. */
export type PointsRedeemInput = {
  /** The customer. */
  customer: CustomerIdentifierInput;
  /** Chosen by the client, unique per redemption: a repeat with the same key returns the first result and writes nothing. */
  idempotencyKey: Scalars['String']['input'];
  /** Points to spend: positive, at most the balance. */
  points: Scalars['Int']['input'];
  /** The program to spend in; the org's default program by default. */
  programId?: InputMaybe<Scalars['ID']['input']>;
  /** What the points are spent on (required, at most 500 characters). */
  reason: Scalars['String']['input'];
};

/** Points one customer gives another customer of the org; the points that expire first go first, and keep their expiry. */
export type PointsTransferInput = {
  /** The sender, whose points move. Required with a staff key. */
  from?: InputMaybe<CustomerIdentifierInput>;
  /** Chosen by the client, unique per transfer: a repeat with the same key returns the first result and moves nothing. */
  idempotencyKey: Scalars['String']['input'];
  /** Points to move: positive, at most the sender's balance and the org's `pointsTransferCap`. */
  points: Scalars['Int']['input'];
  /** The program the points move in; the org's default program by default. */
  programId?: InputMaybe<Scalars['ID']['input']>;
  /** The recipient: another customer of the same org. */
  to: CustomerIdentifierInput;
};

/** Result of `pointsTransfer`: both sides of the movement, and both customers with their balances. */
export type PointsTransferPayload = {
  __typename?: 'PointsTransferPayload';
  /** The recipient's TRANSFER_IN lots, one per lot the points came from, with its expiry; earliest expiry first. */
  credits?: Maybe<Array<PointsLedgerEntry>>;
  /** The sender's TRANSFER_OUT entry (or, for a repeated key, the one written the first time). */
  debit?: Maybe<PointsLedgerEntry>;
  /** The recipient, with `loyalty` showing the new balance. */
  recipient?: Maybe<Customer>;
  /** True when the idempotency key repeated an earlier request: nothing was moved this time. */
  replayed?: Maybe<Scalars['Boolean']['output']>;
  /** The sender, with `loyalty` showing the new balance. */
  sender?: Maybe<Customer>;
  /** Why nothing was moved; empty on success. */
  userErrors: Array<UserError>;
};

/** A customer's or group's standing in one loyalty program. */
export type ProgramLoyalty = {
  __typename?: 'ProgramLoyalty';
  /** When the enrolment began; null for a program not yet enrolled in. */
  enrolledAt?: Maybe<Scalars['DateTime']['output']>;
  /** All points ever credited (earned, goodwill, imported); spending and expiry do not lower it. */
  lifetimePoints: Scalars['Int']['output'];
  /** Sum of all purchases in this program. */
  lifetimePurchases: Scalars['Float']['output'];
  /** Points balance: the sum of the points ledger. */
  pointsBalance: Scalars['Int']['output'];
  /** Points that expire within a window from now, unless spent first. */
  pointsExpiringSoon: ExpiringPoints;
  /** The program. */
  program: LoyaltyProgram;
  /** Current tier. */
  tier: Tier;
};


/** A customer's or group's standing in one loyalty program. */
export type ProgramLoyaltyPointsExpiringSoonArgs = {
  withinDays?: Scalars['Int']['input'];
};

/** A customer's membership of a partner program. */
export type ProgramMembership = Node & {
  __typename?: 'ProgramMembership';
  /** Activity history, newest first. */
  activityHistory: Array<MembershipActivity>;
  /** When the membership ended or will end; null when open-ended. */
  endedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Globally unique, opaque id. */
  id: Scalars['ID']['output'];
  /** The latest activity. */
  lastActivity: MembershipActivityKind;
  /** When the latest activity happened. */
  lastActivityAt: Scalars['DateTime']['output'];
  /** When the membership last changed. */
  lastUpdatedAt: Scalars['DateTime']['output'];
  /** The member's id in the partner program. */
  membershipId: Scalars['String']['output'];
  /** The partner program. */
  program: SupplementaryProgram;
  /** When the membership started. */
  startedAt: Scalars['DateTime']['output'];
  /** Active or ended. */
  status: MembershipStatus;
  /** When the current tier expires. */
  tierExpiresAt?: Maybe<Scalars['DateTime']['output']>;
  /** Current tier in the partner program. */
  tierName?: Maybe<Scalars['String']['output']>;
};

/** Entry points of the loyalty graph. Every result is scoped to the caller's org. */
export type Query = {
  __typename?: 'Query';
  /** A campaign of the org by its id; null when there is none. A customer's token finds only campaigns open to them or that they took part in. */
  campaign?: Maybe<Campaign>;
  /** The org's campaigns, newest first. */
  campaigns: CampaignConnection;
  /** A card by its number, whatever its status. */
  cardByNumber?: Maybe<Card>;
  /** A card series by its code. */
  cardSeriesByCode?: Maybe<CardSeries>;
  /** A customer by global id. */
  customer?: Maybe<Customer>;
  /** A customer by any identifier; a card of any status finds its customer. */
  customerByIdentifier?: Maybe<Customer>;
  /** Customers of the org in id order, optionally matching a search. */
  customers: CustomerConnection;
  /** An import job: counts, timings, template, errors and report. */
  importJob?: Maybe<ImportJob>;
  /** The org's import jobs, newest first. */
  importJobs: ImportJobConnection;
  /** Every import profile: its fields (mandatory ones marked) and the options it takes. */
  importProfiles: Array<ImportProfileDescription>;
  /** The org's import templates in creation order. */
  importTemplates: ImportTemplateConnection;
  /** A coupon, promo code or gift voucher by its code; null when the org has no such code. */
  incentiveByCode?: Maybe<Incentive>;
  /** Member care’s incentive search: the code’s details and why it cannot be used now, or an explicit invalid-code answer (never an error). */
  incentiveSearch: IncentiveSearchResult;
  /** The customer a customer's access token (OAuth sign-in of a partner app) acts for; null for a staff key. */
  me?: Maybe<Customer>;
  /** Any object by its global id; null when it does not exist in your org. */
  node?: Maybe<Node>;
  /** The org's partner apps, newest first (ADMIN keys only). */
  oauthClients: Array<OAuthClient>;
  /** The OpenID Connect provider the org's staff sign in with, if any (ADMIN only). */
  staffIdentityProvider?: Maybe<StaffIdentityProvider>;
  /** The org's timeline views, by name. */
  timelineViews: Array<TimelineView>;
  /** A transaction by id; null if there is none in your org. */
  transaction?: Maybe<Transaction>;
  /** A customer group by id; null if there is none in your org. */
  userGroup?: Maybe<UserGroup>;
  /** The caller: its org (with its time zone) and its role. */
  viewer: Viewer;
};


/** Entry points of the loyalty graph. Every result is scoped to the caller's org. */
export type QueryCampaignArgs = {
  id: Scalars['ID']['input'];
};


/** Entry points of the loyalty graph. Every result is scoped to the caller's org. */
export type QueryCampaignsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<CampaignStatus>;
};


/** Entry points of the loyalty graph. Every result is scoped to the caller's org. */
export type QueryCardByNumberArgs = {
  number: Scalars['String']['input'];
};


/** Entry points of the loyalty graph. Every result is scoped to the caller's org. */
export type QueryCardSeriesByCodeArgs = {
  code: Scalars['String']['input'];
};


/** Entry points of the loyalty graph. Every result is scoped to the caller's org. */
export type QueryCustomerArgs = {
  id: Scalars['ID']['input'];
};


/** Entry points of the loyalty graph. Every result is scoped to the caller's org. */
export type QueryCustomerByIdentifierArgs = {
  type: CustomerIdentifierType;
  value: Scalars['String']['input'];
};


/** Entry points of the loyalty graph. Every result is scoped to the caller's org. */
export type QueryCustomersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  search?: InputMaybe<Scalars['String']['input']>;
};


/** Entry points of the loyalty graph. Every result is scoped to the caller's org. */
export type QueryImportJobArgs = {
  id: Scalars['ID']['input'];
};


/** Entry points of the loyalty graph. Every result is scoped to the caller's org. */
export type QueryImportJobsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** Entry points of the loyalty graph. Every result is scoped to the caller's org. */
export type QueryImportTemplatesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  profile?: InputMaybe<ImportProfile>;
};


/** Entry points of the loyalty graph. Every result is scoped to the caller's org. */
export type QueryIncentiveByCodeArgs = {
  code: Scalars['String']['input'];
  kind: IncentiveKind;
};


/** Entry points of the loyalty graph. Every result is scoped to the caller's org. */
export type QueryIncentiveSearchArgs = {
  code: Scalars['String']['input'];
  kind: IncentiveKind;
};


/** Entry points of the loyalty graph. Every result is scoped to the caller's org. */
export type QueryNodeArgs = {
  id: Scalars['ID']['input'];
};


/** Entry points of the loyalty graph. Every result is scoped to the caller's org. */
export type QueryTransactionArgs = {
  id: Scalars['ID']['input'];
};


/** Entry points of the loyalty graph. Every result is scoped to the caller's org. */
export type QueryUserGroupArgs = {
  id: Scalars['ID']['input'];
};

/** A customer's registration through one of the org's sources (e.g. WeChat Follow), from the Entity Life Cycle import. */
export type RegistrationEvent = {
  __typename?: 'RegistrationEvent';
  /** What the customer registered for, e.g. FOLLOW or REGISTER. */
  activity: Scalars['String']['output'];
  /** Who recorded it at the source. */
  addedBy: Scalars['String']['output'];
  /** The source's reference of the event (unique per source). */
  referenceId: Scalars['String']['output'];
  /** The org source the customer registered through. */
  sourceId: Scalars['String']['output'];
  /** The state of the activity, e.g. ACTIVE. */
  state: Scalars['String']['output'];
  /** When the source last changed it. */
  updatedOn: Scalars['DateTime']['output'];
};

/** A page of RegistrationEvent items. */
export type RegistrationEventConnection = {
  __typename?: 'RegistrationEventConnection';
  /** Edges of this page. */
  edges: Array<RegistrationEventEdge>;
  /** The nodes of this page, without cursors. */
  nodes: Array<RegistrationEvent>;
  /** Pagination state. */
  pageInfo: PageInfo;
};

/** An edge to a RegistrationEvent. */
export type RegistrationEventEdge = {
  __typename?: 'RegistrationEventEdge';
  /** Opaque cursor of this edge. */
  cursor: Scalars['String']['output'];
  /** The RegistrationEvent. */
  node: RegistrationEvent;
};

/** How a row filter condition compares a column with its values. */
export type RowFilterOperator =
  /** The value is empty. */
  | 'EMPTY'
  /** The value is the first of `values`. */
  | 'EQUALS'
  /** The value is one of `values`. */
  | 'IN'
  /** The value matches one of the regular expressions in `values`. */
  | 'MATCHES'
  /** The value is not empty. */
  | 'NOT_EMPTY'
  /** The value is not the first of `values`. */
  | 'NOT_EQUALS'
  /** The value is none of `values`. */
  | 'NOT_IN';

/** Why a message went out under the org's default sender id. */
export type SenderFallback =
  /** No sender id was asked for. */
  | 'NONE_GIVEN'
  /** The sender id asked for is not configured for the org or any of its org units. */
  | 'NOT_CONFIGURED';

/** How the text of an SMS is encoded. */
export type SmsEncoding =
  /** The GSM 03.38 7-bit alphabet: 160 characters in one SMS, 153 per part of a longer one; extension characters (such as € [ ] { }) count twice. */
  | 'GSM_7'
  /** UCS-2, for a text with any character outside GSM-7: 70 units in one SMS, 67 per part. */
  | 'UCS_2';

/** Many SMS sent at once, each as `smsSend` would send it. */
export type SmsSendBatchInput = {
  /** From 1 to 500 messages, each with its own idempotency key (shared with `smsSend`: a key is one message whichever mutation sent it). */
  messages: Array<SmsSendInput>;
};

/** Result of `smsSendBatch`. */
export type SmsSendBatchPayload = {
  __typename?: 'SmsSendBatchPayload';
  /** One result per message, in input order; empty when the batch itself was refused. */
  results: Array<SmsSendBatchResult>;
  /** Why the batch as a whole was refused (nothing was sent), e.g. too many messages; empty otherwise, even when some messages were refused. */
  userErrors: Array<UserError>;
};

/** What became of one message of `smsSendBatch`. */
export type SmsSendBatchResult = {
  __typename?: 'SmsSendBatchResult';
  /** The position of the message in `input.messages`, from 0. */
  index: Scalars['Int']['output'];
  /** The message, QUEUED until a worker hands it to the gateway (or, for a repeated key, the first one); null when it was refused. */
  interaction?: Maybe<Interaction>;
  /** True when the idempotency key repeated an earlier message (of an earlier request or earlier in this batch): nothing was sent for this one. */
  replayed: Scalars['Boolean']['output'];
  /** Why this message was refused (nothing was written for it), with `field` under `["input", "messages", index]`; empty when it was accepted. */
  userErrors: Array<UserError>;
};

/** An SMS for a customer, found by any identifier. */
export type SmsSendInput = {
  /** The text (at most 2,000 characters, and at most the org's `smsMaxSegments` parts: 160 GSM-7 characters in one SMS, 153 per part; 70 / 67 in UCS-2). */
  content: Scalars['String']['input'];
  /** The customer; they must have a mobile and must not have opted out of SMS at this priority. */
  customer: CustomerIdentifierInput;
  /** Chosen by the client, unique per message: a repeat with the same key returns the first interaction and sends nothing. */
  idempotencyKey: Scalars['String']['input'];
  /** TRANS (transactional) or BULK (promotional); the customer’s consent is checked at this priority. */
  priority: MessagePriority;
  /** Sender id: the org's default or one of an org unit's. None, or one not configured, sends under the org's default (`Interaction.senderFallback` says why). */
  sender?: InputMaybe<Scalars['String']['input']>;
};

/** Result of `smsSend`. */
export type SmsSendPayload = {
  __typename?: 'SmsSendPayload';
  /** The message, QUEUED until a worker hands it to the gateway (or, for a repeated key, the first one). */
  interaction?: Maybe<Interaction>;
  /** True when the idempotency key repeated an earlier request: nothing was sent this time. */
  replayed?: Maybe<Scalars['Boolean']['output']>;
  /** Why nothing was sent; empty on success. */
  userErrors: Array<UserError>;
};

/** The OpenID Connect provider the org's staff sign in with: `/graphql` (HTTP and WebSocket) and `POST /imports` take its signed tokens as `Authorization: Bearer <token>` beside API keys. */
export type StaffIdentityProvider = {
  __typename?: 'StaffIdentityProvider';
  /** Email domains (lowercase) whose people may sign in; tokens of any other are refused. */
  allowedEmailDomains: Array<Scalars['String']['output']>;
  /** The `aud` its tokens must carry: the client id the org registered at the provider. */
  audience: Scalars['String']['output'];
  /** When it was first set. */
  createdAt: Scalars['DateTime']['output'];
  /** The role of a staff member no mapping matches; null refuses them. */
  defaultRole?: Maybe<StaffRole>;
  /** The `iss` its tokens carry; its keys are discovered from `<issuer>/.well-known/openid-configuration`. */
  issuer: Scalars['String']['output'];
  /** The claim the role is read from, e.g. `groups` or `role` (a string or a list of strings). */
  roleClaim: Scalars['String']['output'];
  /** Claim values and their roles, in order: the first value the token's claim carries decides. */
  roleMapping: Array<StaffRoleMapping>;
  /** When it was last changed. */
  updatedAt: Scalars['DateTime']['output'];
};

/** Result of `staffIdentityProviderRemove`. */
export type StaffIdentityProviderRemovePayload = {
  __typename?: 'StaffIdentityProviderRemovePayload';
  /** The provider that was removed; its tokens stop working within 10 seconds. */
  staffIdentityProvider?: Maybe<StaffIdentityProvider>;
  /** Why nothing changed (NOT_FOUND: the org has none); empty on success. */
  userErrors: Array<UserError>;
};

/** The org's staff identity provider. */
export type StaffIdentityProviderSetInput = {
  /** Email domains whose people may sign in, e.g. `example.com` (1–50; compared exactly, case-insensitively). */
  allowedEmailDomains: Array<Scalars['String']['input']>;
  /** The audience its tokens must carry (the client id the org registered there), at most 200 characters. One org per issuer and audience. */
  audience: Scalars['String']['input'];
  /** The role of a staff member no mapping matches; absent or null refuses them. */
  defaultRole?: InputMaybe<StaffRole>;
  /** The issuer, exactly as its tokens name it in `iss`: an https URL (plain http only for 127.0.0.1 or localhost), at most 500 characters. */
  issuer: Scalars['String']['input'];
  /** The claim the role is read from, e.g. `groups` or `role` (at most 100 characters). */
  roleClaim: Scalars['String']['input'];
  /** Claim values and their roles, in order (at most 50): the first the token's claim carries decides. */
  roleMapping: Array<StaffRoleMappingInput>;
};

/** Result of `staffIdentityProviderSet`. */
export type StaffIdentityProviderSetPayload = {
  __typename?: 'StaffIdentityProviderSetPayload';
  /** The provider as now stored. */
  staffIdentityProvider?: Maybe<StaffIdentityProvider>;
  /** Why nothing changed; empty on success. */
  userErrors: Array<UserError>;
};

/** What a staff API key may do. */
export type StaffRole =
  /** Everything, org settings included. */
  | 'ADMIN'
  /** Reads and changes data for integrations and imports, card series included; not org settings. */
  | 'INTEGRATION'
  /** Reads and changes customer, card, points and coupon data; not org settings or card series. */
  | 'MEMBER_CARE'
  /** Reads only. */
  | 'VIEWER';

/** One value of the role claim and the role a staff member whose token carries it gets. */
export type StaffRoleMapping = {
  __typename?: 'StaffRoleMapping';
  /** The role it gives. */
  role: StaffRole;
  /** A value of the role claim, e.g. a group name; compared exactly. */
  value: Scalars['String']['output'];
};

/** One value of the role claim and the role it gives. */
export type StaffRoleMappingInput = {
  /** The role it gives. */
  role: StaffRole;
  /** A value of the role claim, e.g. a group name (1–200 characters; compared exactly). */
  value: Scalars['String']['input'];
};

/** The system status a brand status label maps to. */
export type StandardStatus =
  /** An active member. */
  | 'ACTIVE'
  /** Deleted by the brand or at the customer’s request. */
  | 'DELETED'
  /** Fraud confirmed. */
  | 'FRAUD_CONFIRMED'
  /** Suspected of fraud. */
  | 'FRAUD_SUSPECTED'
  /** Staff or test customer. */
  | 'INTERNAL'
  /** Temporarily suspended. */
  | 'SUSPENDED';

/** A store of the org. */
export type Store = Node & {
  __typename?: 'Store';
  /** Store code (till IUN). */
  code: Scalars['String']['output'];
  /** The org's external id of the store. */
  externalId?: Maybe<Scalars['String']['output']>;
  /** Globally unique, opaque id. */
  id: Scalars['ID']['output'];
  /** Store name. */
  name: Scalars['String']['output'];
};

/** Live streams over graphql-ws (same path, `connection_init` carries the key): an import job as it runs. */
export type Subscription = {
  __typename?: 'Subscription';
  /** Row errors of an import in batches as they are found: first every error found so far, then new ones; ends when the job has ended. */
  importErrors: ImportErrorBatch;
  /** Progress of an import: the current state at once (also for a job that has ended), then at most every 250 ms and at every phase change; ends with the terminal state. */
  importProgress: ImportProgress;
  /** The current state of the customer's latest message first (when there is one), then every status change of its messages: QUEUED when one is sent, then SENT, DELIVERED or FAILED as the gateway or mail server reports; each as the message's state when the change is read. */
  interactionUpdated: Interaction;
};


/** Live streams over graphql-ws (same path, `connection_init` carries the key): an import job as it runs. */
export type SubscriptionImportErrorsArgs = {
  jobId: Scalars['ID']['input'];
};


/** Live streams over graphql-ws (same path, `connection_init` carries the key): an import job as it runs. */
export type SubscriptionImportProgressArgs = {
  jobId: Scalars['ID']['input'];
};


/** Live streams over graphql-ws (same path, `connection_init` carries the key): an import job as it runs. */
export type SubscriptionInteractionUpdatedArgs = {
  customerId: Scalars['ID']['input'];
};

/** Opted in or out. */
export type SubscriptionStatus =
  /** The customer agrees to receive these messages. */
  | 'OPTIN'
  /** The customer does not want these messages. */
  | 'OPTOUT';

/** An external or supplementary partner program. */
export type SupplementaryProgram = Node & {
  __typename?: 'SupplementaryProgram';
  /** Program code, unique in the org. */
  code: Scalars['String']['output'];
  /** Globally unique, opaque id. */
  id: Scalars['ID']['output'];
  /** Program name. */
  name: Scalars['String']['output'];
  /** External or supplementary. */
  type: PartnerProgramType;
};

/** A tier (slab) of a loyalty program. */
export type Tier = Node & {
  __typename?: 'Tier';
  /** Globally unique, opaque id. */
  id: Scalars['ID']['output'];
  /** Tier name. */
  name: Scalars['String']['output'];
  /** Multiplier applied to points earned in this tier. */
  pointsMultiplier: Scalars['Float']['output'];
  /** Lifetime purchases needed to reach this tier. */
  purchaseThreshold: Scalars['Float']['output'];
  /** Position in the program; 0 is the base tier. */
  rank: Scalars['Int']['output'];
};

/** A tier change caused by a purchase. */
export type TierUpgrade = {
  __typename?: 'TierUpgrade';
  /** The tier before. */
  from: Tier;
  /** The tier reached. */
  to: Tier;
};

/** An event in a customer's history. */
export type TimelineEvent = Node & {
  __typename?: 'TimelineEvent';
  /** Details of the event; their keys depend on its type. */
  data: Scalars['JSONObject']['output'];
  /** Globally unique, opaque id. */
  id: Scalars['ID']['output'];
  /** When the event happened. */
  occurredAt: Scalars['DateTime']['output'];
  /** Human-readable summary. */
  summary: Scalars['String']['output'];
  /** Kind of event. */
  type: TimelineEventType;
};

/** A page of TimelineEvent items. */
export type TimelineEventConnection = {
  __typename?: 'TimelineEventConnection';
  /** Edges of this page. */
  edges: Array<TimelineEventEdge>;
  /** The nodes of this page, without cursors. */
  nodes: Array<TimelineEvent>;
  /** Pagination state. */
  pageInfo: PageInfo;
};

/** An edge to a TimelineEvent. */
export type TimelineEventEdge = {
  __typename?: 'TimelineEventEdge';
  /** Opaque cursor of this edge. */
  cursor: Scalars['String']['output'];
  /** The TimelineEvent. */
  node: TimelineEvent;
};

/** What kind of event happened in a customer history. */
export type TimelineEventType =
  /** Earned a badge. */
  | 'BADGE_EARNED'
  /** Reached the goal of a campaign and got its reward. */
  | 'CAMPAIGN_COMPLETED'
  /** Redeemed a coupon. */
  | 'COUPON_REDEEMED'
  /** Joined the program. */
  | 'JOINED'
  /** Opened an email. */
  | 'OPENED_EMAIL'
  /** Points expired. */
  | 'POINTS_EXPIRED'
  /** Was granted points (goodwill). */
  | 'POINTS_ISSUED'
  /** Spent points. */
  | 'POINTS_REDEEMED'
  /** Received points from another customer. */
  | 'POINTS_TRANSFERRED_IN'
  /** Gave points to another customer. */
  | 'POINTS_TRANSFERRED_OUT'
  /** Made a purchase (for themselves or a group). */
  | 'PURCHASED'
  /** Their status label changed. */
  | 'STATUS_CHANGED'
  /** Reached a higher tier. */
  | 'TIER_UPGRADED';

/** A named view of customers' timelines: some event types within the last few days, read as `Customer.timelineView(name:)`. */
export type TimelineView = {
  __typename?: 'TimelineView';
  /** When it was created. */
  createdAt: Scalars['DateTime']['output'];
  /** The event types it shows. */
  eventTypes: Array<TimelineEventType>;
  /** The name the view is read by, unique in the org. */
  name: Scalars['String']['output'];
  /** How many days back from now it reaches. */
  windowDays: Scalars['Int']['output'];
};

/** A new timeline view. */
export type TimelineViewCreateInput = {
  /** The event types it shows (at least one). */
  eventTypes: Array<TimelineEventType>;
  /** Its name, unique in the org (1 to 100 characters, trimmed). */
  name: Scalars['String']['input'];
  /** How many days back from now it reaches (1 to 3660). */
  windowDays: Scalars['Int']['input'];
};

/** Result of `timelineViewCreate`. */
export type TimelineViewCreatePayload = {
  __typename?: 'TimelineViewCreatePayload';
  /** Why nothing was created; empty on success. */
  userErrors: Array<UserError>;
  /** The new view. */
  view?: Maybe<TimelineView>;
};

/** A timeline view to remove. */
export type TimelineViewDeleteInput = {
  /** The name of the view. */
  name: Scalars['String']['input'];
};

/** Result of `timelineViewDelete`. */
export type TimelineViewDeletePayload = {
  __typename?: 'TimelineViewDeletePayload';
  /** The name of the view removed. */
  deletedName?: Maybe<Scalars['String']['output']>;
  /** Why nothing was removed; empty on success. */
  userErrors: Array<UserError>;
};

/** A purchase: the bill, its line items and the points it earned. */
export type Transaction = Node & {
  __typename?: 'Transaction';
  /** Bill amount. */
  amount: Scalars['Float']['output'];
  /** Bill number (unique per store and business day). */
  billNumber: Scalars['String']['output'];
  /** When the transaction was recorded. */
  createdAt: Scalars['DateTime']['output'];
  /** The customer who made the purchase (for a group purchase: the member who bought). */
  customer: Customer;
  /** The group the purchase was made for; null for a purchase of the customer alone. */
  group?: Maybe<UserGroup>;
  /** Globally unique, opaque id. */
  id: Scalars['ID']['output'];
  /** Lines of the bill. */
  lineItems: Array<TransactionLineItem>;
  /** When the purchase happened. */
  occurredAt: Scalars['DateTime']['output'];
  /** The points ledger entries of this transaction: points issued with their expiry. */
  pointsIssued: Array<PointsAward>;
  /** The store the purchase was made in; null when unknown. */
  store?: Maybe<Store>;
  /** Sum of `pointsIssued`. */
  totalPoints: Scalars['Int']['output'];
};

/** A purchase: it earns points by the program’s rule and may lift the tier. */
export type TransactionAddInput = {
  /** Bill amount: positive, at most two decimals. */
  amount: Scalars['Float']['input'];
  /** Bill number, unique per store and business day (in the org time zone). */
  billNumber: Scalars['String']['input'];
  /** The customer who bought (for a group purchase: the member). */
  customer: CustomerIdentifierInput;
  /** A group the customer belongs to, when the purchase is made for it: the group then earns the points. */
  groupId?: InputMaybe<Scalars['ID']['input']>;
  /** Lines of the bill (at most 500). */
  lineItems?: InputMaybe<Array<TransactionLineItemInput>>;
  /** When the purchase happened (not in the future). */
  occurredAt: Scalars['DateTime']['input'];
  /** Code or external id of the store. */
  storeCode: Scalars['String']['input'];
};

/** Result of `transactionAdd`. */
export type TransactionAddPayload = {
  __typename?: 'TransactionAddPayload';
  /** The customer who bought, with their standing. */
  customer?: Maybe<Customer>;
  /** The group the purchase was made for, with its standing; null for a purchase of the customer alone. */
  group?: Maybe<UserGroup>;
  /** The tier the earner (customer or group) was lifted to; null when none. */
  tierUpgrade?: Maybe<TierUpgrade>;
  /** The transaction with its line items and the points it earned. */
  transaction?: Maybe<Transaction>;
  /** Why nothing was recorded; empty on success. */
  userErrors: Array<UserError>;
};

/** A page of Transaction items. */
export type TransactionConnection = {
  __typename?: 'TransactionConnection';
  /** Edges of this page. */
  edges: Array<TransactionEdge>;
  /** The nodes of this page, without cursors. */
  nodes: Array<Transaction>;
  /** Pagination state. */
  pageInfo: PageInfo;
};

/** An edge to a Transaction. */
export type TransactionEdge = {
  __typename?: 'TransactionEdge';
  /** Opaque cursor of this edge. */
  cursor: Scalars['String']['output'];
  /** The Transaction. */
  node: Transaction;
};

/** One line of a bill. */
export type TransactionLineItem = {
  __typename?: 'TransactionLineItem';
  /** Amount of the line. */
  amount: Scalars['Float']['output'];
  /** Item description. */
  description?: Maybe<Scalars['String']['output']>;
  /** Quantity bought (may be fractional, e.g. a weight). */
  quantity: Scalars['Float']['output'];
  /** Item code (SKU). */
  sku: Scalars['String']['output'];
};

/** One line of a bill. */
export type TransactionLineItemInput = {
  /** Amount of the line: zero or more, at most two decimals. */
  amount: Scalars['Float']['input'];
  /** Item description. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** Quantity: positive, at most three decimals. */
  quantity: Scalars['Float']['input'];
  /** Item code (SKU). */
  sku: Scalars['String']['input'];
};

/** A business failure of a mutation, with a stable code to act on. Nothing was changed. */
export type UserError = {
  __typename?: 'UserError';
  /** Stable machine-readable code. */
  code: UserErrorCode;
  /** Path to the input field at fault, e.g. ["input", "points"]; null when no single field is. */
  field?: Maybe<Array<Scalars['String']['output']>>;
  /** What went wrong, for people. */
  message: Scalars['String']['output'];
};

/** Every code a `UserError` may carry. New codes may be added over time: treat an unknown one as a generic failure. */
export type UserErrorCode =
  /** The attachments are together larger than the org allows (`Org.emailMaxAttachmentBytes`, decoded bytes). */
  | 'ATTACHMENTS_TOO_LARGE'
  /** An image attachment (jpg, jpeg, png, gif) must be sent base64-encoded, with `fileEncodingType: BASE64`. */
  | 'ATTACHMENT_ENCODING_REQUIRED'
  /** An attachment's `fileData` is not valid base64 (only the base64 alphabet and padding, a length that is a multiple of 4). */
  | 'ATTACHMENT_INVALID_BASE64'
  /** An attachment's bytes are not of the type it claims (by content type or file extension), e.g. a `.png` that is not a PNG. */
  | 'ATTACHMENT_TYPE_MISMATCH'
  /** The customer already earned this badge at that time. */
  | 'BADGE_ALREADY_EARNED'
  /** A badge must expire after it was earned. */
  | 'BADGE_EXPIRY_NOT_AFTER_EARN_DATE'
  /** The org has no badge with that badge meta id. */
  | 'BADGE_NOT_FOUND'
  /** The time lies further back than the org's backdating window (`Org.backdatingWindowDays`). History older than that comes in through an import. */
  | 'BEFORE_BACKDATING_WINDOW'
  /** A campaign's start, goal, reward and opt-in can change only before it starts. */
  | 'CAMPAIGN_ALREADY_STARTED'
  /** The org already has a campaign with this code. */
  | 'CAMPAIGN_CODE_TAKEN'
  /** The campaign has ended: it can no longer be changed, ended again or joined. */
  | 'CAMPAIGN_ENDED'
  /** The customer does not meet the campaign's eligibility (tier, status or join date). */
  | 'CAMPAIGN_NOT_ELIGIBLE'
  /** The org has no campaign with this id. */
  | 'CAMPAIGN_NOT_FOUND'
  /** The campaign has not started yet, so it cannot be joined. */
  | 'CAMPAIGN_NOT_STARTED'
  /** A campaign's end must come after its start, and a new end may not lie in the past. */
  | 'CAMPAIGN_WINDOW_INVALID'
  /** The primary member of a group cannot be removed from it. */
  | 'CANNOT_REMOVE_PRIMARY_MEMBER'
  /** The card is already issued to another customer. */
  | 'CARD_ALREADY_ISSUED'
  /** Another card of the org already has that external id. */
  | 'CARD_EXTERNAL_ID_TAKEN'
  /** The card exists in another card series than the one named. */
  | 'CARD_IN_OTHER_SERIES'
  /** The org has no card with that number. */
  | 'CARD_NOT_FOUND'
  /** The card is deleted or expired and cannot be issued. */
  | 'CARD_NOT_ISSUABLE'
  /** The card number does not fit the series' prefix, suffix and length. */
  | 'CARD_NUMBER_INVALID_FOR_SERIES'
  /** The org already has a card series with that code. */
  | 'CARD_SERIES_CODE_TAKEN'
  /** The card series has no card numbers left within its length. */
  | 'CARD_SERIES_EXHAUSTED'
  /** The card series does not generate card numbers (auto-generation is off or it has no number length). */
  | 'CARD_SERIES_NOT_AUTO_GENERATED'
  /** The org has no card series with that code. */
  | 'CARD_SERIES_NOT_FOUND'
  /** The card series has cards: its prefix, suffix and length cannot change. */
  | 'CARD_SERIES_NUMBERING_IN_USE'
  /** The org has no card status label of that name (or none for the system status needed). */
  | 'CARD_STATUS_LABEL_NOT_FOUND'
  /** The card cannot take that status now, e.g. a deleted card stays deleted. */
  | 'CARD_STATUS_TRANSITION_INVALID'
  /** The change conflicts with data written at the same time; retry it. */
  | 'CONFLICT'
  /** The coupon has been redeemed as often as its series allows. */
  | 'COUPON_ALREADY_REDEEMED'
  /** The customer has redeemed codes of this series as often as the series allows one customer. */
  | 'COUPON_CUSTOMER_LIMIT_REACHED'
  /** The coupon is revoked or expired, or the redemption time is outside its validity. */
  | 'COUPON_NOT_ACTIVE'
  /** The org has no coupon with that code (in that series, when one is named). */
  | 'COUPON_NOT_FOUND'
  /** The coupon's series lets only the customer holding a code redeem it, and this customer does not hold it. */
  | 'COUPON_NOT_HELD_BY_CUSTOMER'
  /** The redemption time is outside the series' redemption window. */
  | 'COUPON_OUTSIDE_REDEMPTION_RANGE'
  /** The replacement coupon series code is not a coupon series of your org. */
  | 'COUPON_SERIES_NOT_FOUND'
  /** The customer is deleted (their status maps to DELETED): no message is sent to them. */
  | 'CUSTOMER_DELETED'
  /** The customer is confirmed as fraudulent: no message is sent to them. */
  | 'CUSTOMER_FRAUD_CONFIRMED'
  /** The customer has no email address to send an email to. */
  | 'CUSTOMER_HAS_NO_EMAIL'
  /** The customer has no mobile number to send an SMS to. */
  | 'CUSTOMER_HAS_NO_MOBILE'
  /** No customer of your org has the given identifier. */
  | 'CUSTOMER_NOT_FOUND'
  /** The customer is not a member of the group. */
  | 'CUSTOMER_NOT_IN_GROUP'
  /** The customer opted out of messages on this channel at this priority (for the org, or for the org unit of the sender id). */
  | 'CUSTOMER_OPTED_OUT'
  /** The fraud status cannot change that way, e.g. only a CONFIRMED fraud can be RECONFIRMED. */
  | 'FRAUD_STATUS_TRANSITION_INVALID'
  /** The points exceed the org's cap for a single goodwill issue (`Org.goodwillPointsCap`). */
  | 'GOODWILL_POINTS_OVER_CAP'
  /** The idempotency key was already used for a different input. */
  | 'IDEMPOTENCY_KEY_REUSED'
  /** Send the CSV either as `file` (a multipart upload) or as `csv` (inline text), exactly one of them. */
  | 'IMPORT_FILE_MISSING'
  /** Inline CSV text is limited in size: upload larger files as `file` or to `POST /imports`. */
  | 'IMPORT_FILE_TOO_LARGE'
  /** No import job with this id in your org. */
  | 'IMPORT_JOB_NOT_FOUND'
  /** The job has already ended (or is merging its last batch) and cannot be cancelled. */
  | 'IMPORT_NOT_CANCELLABLE'
  /** Only a job that failed while merging can be replayed (a failed file, a completed or a running job cannot). */
  | 'IMPORT_NOT_REPLAYABLE'
  /** A failed job can be replayed for 7 days after it was created; this one is older. */
  | 'IMPORT_REPLAY_WINDOW_CLOSED'
  /** The org has no incentive series with that id. */
  | 'INCENTIVE_SERIES_NOT_FOUND'
  /** The points balance in the program is lower than the points asked for; nothing was spent. */
  | 'INSUFFICIENT_POINTS'
  /** A value of the input is not acceptable; `field` names it and `message` says why. */
  | 'INVALID_INPUT'
  /** A field is mapped from more than one CSV header. */
  | 'MAPPING_DUPLICATE_FIELD'
  /** A CSV header is mapped more than once. */
  | 'MAPPING_DUPLICATE_HEADER'
  /** A template must map at least one CSV header to a field. */
  | 'MAPPING_EMPTY'
  /** A mandatory field of the profile (with the template's options) has no CSV header mapped to it; `field` names it. */
  | 'MAPPING_MISSING_MANDATORY_FIELD'
  /** A mapping names a field the template's profile does not have. */
  | 'MAPPING_UNKNOWN_FIELD'
  /** The mobile pattern needs what the linear-time pattern engine (RE2) cannot do, such as backreferences, lookahead or lookbehind; `message` says what. */
  | 'MOBILE_REGEX_UNSUPPORTED'
  /** Something the input refers to does not exist in your org; `field` names the reference. */
  | 'NOT_FOUND'
  /** An option was set that the template's profile does not take. */
  | 'OPTION_NOT_APPLICABLE'
  /** The points exceed the org's cap for a single transfer (`Org.pointsTransferCap`); nothing was moved. */
  | 'POINTS_TRANSFER_OVER_CAP'
  /** The recipient of a points transfer is its sender; nothing was moved. */
  | 'POINTS_TRANSFER_TO_SELF'
  /** The loyalty program has no base tier (rank 0), so nobody can be enrolled in it yet. */
  | 'PROGRAM_HAS_NO_BASE_TIER'
  /** The org has no loyalty program with that id. */
  | 'PROGRAM_NOT_FOUND'
  /** A MATCHES row filter pattern needs what the linear-time pattern engine (RE2) cannot do, such as backreferences, lookahead or lookbehind; `field` names the values, `message` says what. */
  | 'ROW_FILTER_PATTERN_UNSUPPORTED'
  /** The text needs more SMS parts than the org allows (`Org.smsMaxSegments`). */
  | 'SMS_TOO_LONG'
  /** Another org already trusts this issuer with this audience: a token must name one org, so each org registers its own client (audience) at the provider. */
  | 'STAFF_IDENTITY_PROVIDER_TAKEN'
  /** The org has no customer status label of that name. */
  | 'STATUS_LABEL_NOT_FOUND'
  /** The org has no store with that code or external id. */
  | 'STORE_NOT_FOUND'
  /** Another import template of your org has this name. */
  | 'TEMPLATE_NAME_TAKEN'
  /** No import template with this id in your org. */
  | 'TEMPLATE_NOT_FOUND'
  /** A timeline view must list at least one event type, each a known one. */
  | 'TIMELINE_VIEW_EVENT_TYPES_INVALID'
  /** The org already has a timeline view with this name. */
  | 'TIMELINE_VIEW_NAME_TAKEN'
  /** The org has no timeline view with this name. */
  | 'TIMELINE_VIEW_NOT_FOUND'
  /** A timeline view reaches back at least 1 day and at most 3,660 days. */
  | 'TIMELINE_VIEW_WINDOW_OUT_OF_RANGE'
  /** An email carries at most 10 attachments. */
  | 'TOO_MANY_ATTACHMENTS'
  /** The store already has a bill with that number on that business day. */
  | 'TRANSACTION_DUPLICATE'
  /** Another group of the org already has that external id. */
  | 'USER_GROUP_EXTERNAL_ID_TAKEN'
  /** The org has no user group with that id. */
  | 'USER_GROUP_NOT_FOUND';

/** A group of customers (a family, a company account) with a primary member; it earns and holds points of its own. */
export type UserGroup = Node & {
  __typename?: 'UserGroup';
  /** When the group was created. */
  createdAt: Scalars['DateTime']['output'];
  /** The org's external id of the group. */
  externalId?: Maybe<Scalars['String']['output']>;
  /** Globally unique, opaque id. */
  id: Scalars['ID']['output'];
  /** The group's standing in the org's default program (its base tier and no points if not yet enrolled). */
  loyalty: ProgramLoyalty;
  /** Members of the group, in the order they joined. */
  members: CustomerConnection;
  /** Group name. */
  name: Scalars['String']['output'];
  /** The primary member of the group. */
  primaryMember: Customer;
  /** Transactions made for the group, newest first. */
  transactions: TransactionConnection;
};


/** A group of customers (a family, a company account) with a primary member; it earns and holds points of its own. */
export type UserGroupMembersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** A group of customers (a family, a company account) with a primary member; it earns and holds points of its own. */
export type UserGroupTransactionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** Customers joining a group. */
export type UserGroupAddMembersInput = {
  /** The group. */
  groupId: Scalars['ID']['input'];
  /** The customers to add (at most 100); members already in the group stay as they are. */
  members: Array<CustomerIdentifierInput>;
};

/** Result of `userGroupAddMembers`. */
export type UserGroupAddMembersPayload = {
  __typename?: 'UserGroupAddMembersPayload';
  /** How many customers joined (members already in the group are not counted). */
  addedCount?: Maybe<Scalars['Int']['output']>;
  /** Why nothing was changed; empty on success. */
  userErrors: Array<UserError>;
  /** The group after the change. */
  userGroup?: Maybe<UserGroup>;
};

/** A new group of customers with a primary member. */
export type UserGroupCreateInput = {
  /** The org's external id of the group, unique in the org. */
  externalId?: InputMaybe<Scalars['String']['input']>;
  /** Further members (at most 100). */
  members?: InputMaybe<Array<CustomerIdentifierInput>>;
  /** Group name (at most 200 characters). */
  name: Scalars['String']['input'];
  /** The primary member (a member too). */
  primaryMember: CustomerIdentifierInput;
};

/** Result of a change to a group: the group with its members and standing. */
export type UserGroupPayload = {
  __typename?: 'UserGroupPayload';
  /** Why nothing was changed; empty on success. */
  userErrors: Array<UserError>;
  /** The group after the change. */
  userGroup?: Maybe<UserGroup>;
};

/** A member leaving a group. */
export type UserGroupRemoveMemberInput = {
  /** The group. */
  groupId: Scalars['ID']['input'];
  /** The member to remove (not the primary member). */
  member: CustomerIdentifierInput;
};

/** Result of `userGroupRemoveMember`. */
export type UserGroupRemoveMemberPayload = {
  __typename?: 'UserGroupRemoveMemberPayload';
  /** The customer who left the group. */
  removedMember?: Maybe<Customer>;
  /** Why nothing was changed; empty on success. */
  userErrors: Array<UserError>;
  /** The group after the change. */
  userGroup?: Maybe<UserGroup>;
};

/** The caller: the org its API key belongs to, and its role. */
export type Viewer = {
  __typename?: 'Viewer';
  /** The caller's org. */
  org: Org;
  /** The caller's role. */
  role: StaffRole;
};
