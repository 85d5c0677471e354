import { GraphQLError, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { CustomerGrant, CustomerScope } from '../domain/oauth/customer-grant.js';

/**
 * What a customer's access token may read and do through `/graphql`: nothing but what is listed
 * here. Each type a customer may reach names the scope its fields need (null: any token), and the
 * fields of it that stay staff-only; a type or root field not listed is refused. New roots and
 * types are therefore closed to customers until someone opens them here, on purpose.
 *
 * A customer reaches data only from `me` (their own record) and through the mutations listed,
 * which act on the token's customer alone; fields that would lead to another customer (group
 * members, a parent account, who else redeemed a coupon) or show member care's notes (fraud,
 * status reasons, who recorded an entry, messages, audit) are not open.
 */
interface TypeAccess {
  /** The scope every open field needs, unless `fields` says otherwise. */
  readonly scope: CustomerScope | null;
  /** Per field: its scope, or `false` when staff-only. Fields not named follow `scope`. */
  readonly fields?: Readonly<Record<string, CustomerScope | null | false>>;
}

const STAFF_ONLY = false;

export const CUSTOMER_ACCESS: Readonly<Record<string, TypeAccess>> = {
  Query: { scope: null, fields: { me: 'profile', campaign: 'campaigns:read' } },
  Mutation: { scope: null, fields: { pointsRedeem: 'points:redeem', pointsTransfer: 'points:transfer', campaignJoin: 'campaigns:join' } },
  Subscription: { scope: null, fields: {} },

  Customer: {
    scope: 'profile',
    fields: {
      loyalty: 'points:read',
      pointsLedger: 'points:read',
      transactions: 'points:read',
      incentives: 'points:read',
      campaigns: 'campaigns:read',
      fraudStatus: STAFF_ONLY,
      externalIds: STAFF_ONLY,
      customFields: STAFF_ONLY,
      extendedFields: STAFF_ONLY,
      groups: STAFF_ONLY,
      interactions: STAFF_ONLY,
      parent: STAFF_ONLY,
      registrationEvents: STAFF_ONLY,
      supplementaryMemberships: STAFF_ONLY,
    },
  },
  CustomerStatus: { scope: 'profile', fields: { reason: STAFF_ONLY } },
  // Their history, as the rewards page shows it; an event's details may hold member care's notes.
  TimelineEventConnection: { scope: 'profile' },
  TimelineEventEdge: { scope: 'profile' },
  TimelineEvent: { scope: 'profile', fields: { data: STAFF_ONLY } },
  ChannelSubscription: { scope: 'profile' },
  Store: { scope: null, fields: { externalId: STAFF_ONLY } },

  CardConnection: { scope: 'profile' },
  CardEdge: { scope: 'profile' },
  Card: { scope: 'profile', fields: { externalId: STAFF_ONLY } },
  CardSeries: { scope: 'profile' },
  CardStatus: { scope: 'profile' },
  EarnedBadgeConnection: { scope: 'profile' },
  EarnedBadgeEdge: { scope: 'profile' },
  EarnedBadge: { scope: 'profile' },
  Badge: { scope: 'profile' },

  ProgramLoyalty: { scope: 'points:read' },
  LoyaltyProgram: { scope: 'points:read' },
  Tier: { scope: 'points:read' },
  ExpiringPoints: { scope: 'points:read' },
  PointsAward: { scope: 'points:read' },
  PointsLedgerEntryConnection: { scope: 'points:read' },
  PointsLedgerEntryEdge: { scope: 'points:read' },
  PointsLedgerEntry: { scope: 'points:read', fields: { createdBy: STAFF_ONLY, group: STAFF_ONLY, campaign: 'campaigns:read' } },
  TransactionConnection: { scope: 'points:read' },
  TransactionEdge: { scope: 'points:read' },
  Transaction: { scope: 'points:read', fields: { group: STAFF_ONLY } },
  TransactionLineItem: { scope: 'points:read' },
  IncentiveConnection: { scope: 'points:read' },
  IncentiveEdge: { scope: 'points:read' },
  Incentive: { scope: 'points:read', fields: { redemptions: STAFF_ONLY } },
  IncentiveSeries: { scope: 'points:read' },

  CampaignConnection: { scope: 'campaigns:read' },
  CampaignEdge: { scope: 'campaigns:read' },
  Campaign: { scope: 'campaigns:read' },
  CampaignEligibility: { scope: 'campaigns:read' },
  CampaignGoal: { scope: 'campaigns:read' },
  CampaignReward: { scope: 'campaigns:read' },
  CampaignProgress: { scope: 'campaigns:read' },

  PointsChangePayload: { scope: null },
  CampaignJoinPayload: { scope: null },
  // The recipient's side of a transfer is theirs: a customer sees only their own debit.
  PointsTransferPayload: { scope: null, fields: { recipient: STAFF_ONLY, credits: STAFF_ONLY } },
  UserError: { scope: null },
  PageInfo: { scope: null },
};

/** The scope a field needs, or why a customer may not select it. */
function fieldAccess(typeName: string, fieldName: string): { readonly open: true; readonly scope: CustomerScope | null } | { readonly open: false } {
  // __typename anywhere; introspection (__schema, __type) only where the server allows it at all.
  if (fieldName.startsWith('__')) return { open: true, scope: null };
  const type = CUSTOMER_ACCESS[typeName];
  if (!type) return { open: false };
  const field = type.fields?.[fieldName];
  if (field === false) return { open: false };
  if (field !== undefined) return { open: true, scope: field };
  // A root field is open only when named.
  if (typeName === 'Query' || typeName === 'Mutation' || typeName === 'Subscription') return { open: false };
  return { open: true, scope: type.scope };
}

/**
 * The fields of `document` a customer holding `grant` may not select, each named as
 * `Type.field` with why (staff-only, or the scope it needs). Checked on the whole document before
 * anything runs: one refused field refuses the operation.
 */
export function customerAccessProblems(schema: GraphQLSchema, document: DocumentNode, grant: Pick<CustomerGrant, 'scopes'>): string[] {
  const problems: string[] = [];
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (!parent) return;
        const name = `${parent.name}.${node.name.value}`;
        const access = fieldAccess(parent.name, node.name.value);
        if (!access.open) {
          problems.push(`${name} is not open to customers`);
          return;
        }
        // A field whose type a customer may not reach is refused at that type's own fields.
        if (access.scope !== null && !grant.scopes.has(access.scope)) problems.push(`${name} needs the scope ${access.scope}`);
      },
    }),
  );
  return [...new Set(problems)];
}

/** The error a customer's refused operation answers with (top-level, FORBIDDEN, nothing run). */
export function customerForbidden(problems: readonly string[]): GraphQLError {
  const shown = problems.slice(0, 5).join('; ');
  return new GraphQLError(`This token may not run this operation: ${shown}${problems.length > 5 ? '; …' : ''}.`, {
    extensions: { code: 'FORBIDDEN', http: { status: 403 } },
  });
}
