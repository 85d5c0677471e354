import { getNamedType, isObjectType, parse, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { customerAccessProblems } from '../src/api/customer-access.js';
import { buildAppSchema } from '../src/app/schema.js';
import { CUSTOMER_SCOPES, type CustomerScope } from '../src/domain/oauth/customer-grant.js';

/** What a customer's token may select, checked on the real schema's documents (no server needed). */
describe("a customer's access token on /graphql", () => {
  let schema: GraphQLSchema;
  const every = { scopes: new Set<CustomerScope>(CUSTOMER_SCOPES) };
  const only = (...scopes: CustomerScope[]) => ({ scopes: new Set(scopes) });

  beforeAll(async () => {
    schema = await buildAppSchema();
  });

  /** A document selecting one root field (arguments do not matter to the check). */
  function rootDocument(operation: 'query' | 'mutation' | 'subscription', field: string): string {
    const root = operation === 'query' ? schema.getQueryType() : operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
    const type = getNamedType(root!.getFields()[field]!.type);
    return `${operation} { ${field}${isObjectType(type) || 'getFields' in type ? ' { __typename }' : ''} }`;
  }

  it('opens no root field but me, campaign, pointsRedeem, pointsTransfer and campaignJoin, whatever the scopes', () => {
    const open: string[] = [];
    for (const [operation, root] of [['query', schema.getQueryType()], ['mutation', schema.getMutationType()], ['subscription', schema.getSubscriptionType()]] as const) {
      for (const field of Object.keys(root?.getFields() ?? {})) {
        if (customerAccessProblems(schema, parse(rootDocument(operation, field)), every).length === 0) open.push(`${operation}.${field}`);
      }
    }
    expect(open.sort()).toEqual(['mutation.campaignJoin', 'mutation.pointsRedeem', 'mutation.pointsTransfer', 'query.campaign', 'query.me']);
  });

  it("reads the customer's own profile, points, transactions, cards, badges and coupons", () => {
    const document = parse(`{ me {
      id firstName lastName email mobile joinedAt status { label standardStatus }
      channelSubscriptions { channel priority status }
      loyalty { pointsBalance lifetimePoints tier { name } program { name } pointsExpiringSoon(withinDays: 30) { points earliestExpiresAt } }
      pointsLedger(first: 5) { edges { node { kind points expiresAt } } pageInfo { hasNextPage } }
      transactions(first: 5) { edges { node { billNumber amount occurredAt store { name } lineItems { sku } } } }
      cards(first: 5) { edges { node { number status { label } series { code } } } }
      badges(first: 5) { edges { node { earnedAt badge { name } } } }
      incentives(first: 5) { edges { node { code status series { code } } } }
      campaigns(filter: ACTIVE, first: 5) { edges { node { name status goal { kind target } reward { points } progress { value percent status } } } }
      timelineView(name: "Recent") { nodes { type summary occurredAt } }
      timeline(types: [PURCHASED], since: "2026-01-01T00:00:00Z") { nodes { type summary } }
    } }`);
    expect(customerAccessProblems(schema, document, every)).toEqual([]);
  });

  it("refuses member care's fields and every path to another customer", () => {
    const refused = (selection: string) => customerAccessProblems(schema, parse(`{ me { ${selection} } }`), every);
    expect(refused('fraudStatus { status }')).toContain('Customer.fraudStatus is not open to customers');
    expect(refused('status { reason }')).toEqual(['CustomerStatus.reason is not open to customers']);
    expect(refused('externalIds')).toEqual(['Customer.externalIds is not open to customers']);
    expect(refused('parent { id }')).toEqual(['Customer.parent is not open to customers']);
    expect(refused('groups { id }')).toContain('Customer.groups is not open to customers');
    expect(refused('interactions(first: 1) { edges { node { content } } }')).toContain('Customer.interactions is not open to customers');
    expect(refused('incentives(first: 1) { edges { node { redemptions { customer { id } } } } }')).toContain('Incentive.redemptions is not open to customers');
    expect(refused('pointsLedger(first: 1) { edges { node { createdBy } } }')).toEqual(['PointsLedgerEntry.createdBy is not open to customers']);
    // Timeline events show their summary; their details may hold member care's notes (a status change's reason).
    expect(refused('timelineView(name: "Recent") { nodes { data } }')).toEqual(['TimelineEvent.data is not open to customers']);
    // A refusal refuses the operation, allowed fields beside it or not.
    expect(customerAccessProblems(schema, parse('{ me { id } customers(first: 1) { edges { node { id } } } }'), every)).toContain('Query.customers is not open to customers');
    // Fragments and aliases are followed.
    expect(customerAccessProblems(schema, parse('{ me { ...F } } fragment F on Customer { secret: fraudStatus { status } }'), every)).toContain(
      'Customer.fraudStatus is not open to customers',
    );
  });

  it('asks for the scope each field needs', () => {
    const document = parse('{ me { firstName loyalty { pointsBalance } } }');
    expect(customerAccessProblems(schema, document, only('profile'))).toEqual(['Customer.loyalty needs the scope points:read', 'ProgramLoyalty.pointsBalance needs the scope points:read']);
    expect(customerAccessProblems(schema, document, only('points:read'))).toEqual(['Query.me needs the scope profile', 'Customer.firstName needs the scope profile']);
    expect(customerAccessProblems(schema, document, only('profile', 'points:read'))).toEqual([]);
    const redeem = parse('mutation { pointsRedeem(input: { customer: { type: USER_ID, value: "1" }, points: 1, reason: "x", idempotencyKey: "k" }) { replayed userErrors { code } } }');
    expect(customerAccessProblems(schema, redeem, only('profile', 'points:read'))).toEqual(['Mutation.pointsRedeem needs the scope points:redeem']);
    expect(customerAccessProblems(schema, redeem, only('points:redeem'))).toEqual([]);
    const transfer = (selection: string) =>
      customerAccessProblems(schema, parse(`mutation { pointsTransfer(input: { to: { type: MOBILE, value: "6591234567" }, points: 5, idempotencyKey: "k" }) { ${selection} } }`), every);
    expect(transfer('debit { points expiresAt } sender { id } replayed userErrors { code }')).toEqual([]);
    expect(transfer('recipient { id }')).toContain('PointsTransferPayload.recipient is not open to customers');
    expect(transfer('credits { customer { id } }')).toContain('PointsTransferPayload.credits is not open to customers');
    const campaigns = parse('{ me { campaigns(filter: ELIGIBLE) { nodes { name } } } }');
    expect(customerAccessProblems(schema, campaigns, only('profile'))).toEqual(['Customer.campaigns needs the scope campaigns:read', 'CampaignConnection.nodes needs the scope campaigns:read', 'Campaign.name needs the scope campaigns:read']);
    const join = parse('mutation { campaignJoin(input: { campaignId: "x" }) { progress { status } userErrors { code } } }');
    expect(customerAccessProblems(schema, join, only('campaigns:read'))).toEqual(['Mutation.campaignJoin needs the scope campaigns:join']);
    expect(customerAccessProblems(schema, join, only('campaigns:read', 'campaigns:join'))).toEqual([]);
  });
});
