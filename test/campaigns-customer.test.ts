import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOAuthClient } from '../src/domain/oauth/oauth-client.service.js';
import { CUSTOMER_SCOPES, type CustomerScope } from '../src/domain/oauth/customer-grant.js';
import {
  MeCampaignDocument,
  MeCampaignJoinDocument,
  MeCampaignRewardsDocument,
  MeCampaignsDocument,
  MeTimelineViewDocument,
  StaffCampaignCreateDocument,
  TimelineViewCreateDocument,
  TransactionAddDocument,
  type MeCampaignsQuery,
  type StaffCampaignCreateMutationVariables,
} from './generated/graphql.js';
import type { CampaignList } from './generated/schema-types.js';
import { globalId, gqlClient, typedRequest, type GqlClient } from './support/client.js';
import { customerAccessToken, partnerApp, type PartnerApp } from './support/customer-sign-in.js';
import { startGateway, type TestGateway } from './support/sms-gateway.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCustomer, createOrg, serviceContext, type TestOrg } from './support/world.js';

const REDIRECT = 'http://127.0.0.1:9/callback';
const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * Campaigns through a customer's access token, minted by the real sign-in flow (code by SMS,
 * consent, code grant with PKCE): what a partner app's rewards page shows and does. Staff keys
 * define campaigns and record purchases (`transactionAdd`), as the till would.
 */
describe("campaigns with a customer's access token", () => {
  let server: TestServer;
  let gateway: TestGateway;
  let org: TestOrg;
  let other: TestOrg;
  /** ADMIN key: defines campaigns and views, records purchases. */
  let staff: GqlClient;
  let app: PartnerApp;
  let storeCode: string;
  let mobiles = 0;

  beforeAll(async () => {
    gateway = await startGateway();
    server = await startTestServer({ config: { smsGatewayUrl: gateway.url } });
    org = await createOrg(server.em(), { role: 'ADMIN' });
    other = await createOrg(server.em(), { role: 'ADMIN' });
    staff = gqlClient(server.url, org.key);
    const created = await createOAuthClient(await serviceContext(server, org, 'test'), { name: 'Rewards app', type: 'PUBLIC', redirectUris: [REDIRECT], allowedScopes: [...CUSTOMER_SCOPES] });
    app = await partnerApp(server.url, created.client.clientId, REDIRECT, gateway);
    [{ code: storeCode }] = await server.em().execute<{ code: string }[]>('select code from store where org_id = ? order by id limit 1', [org.orgId]);
  });
  afterAll(async () => {
    await server?.stop();
    await gateway?.close();
  });

  async function customer(firstName: string): Promise<{ id: number; gid: string; mobile: string }> {
    mobiles += 1;
    const mobile = `659500${String(mobiles).padStart(4, '0')}`;
    const id = await createCustomer(server.em(), org, { mobile, firstName });
    return { id, gid: globalId('Customer', id), mobile };
  }

  function tokenClient(mobile: string, scopes: readonly CustomerScope[] = CUSTOMER_SCOPES): Promise<GqlClient> {
    return customerAccessToken(app, mobile, scopes).then((token) => gqlClient(server.url, token));
  }

  /** Defines a campaign that started an hour ago (purchases recorded now lie in its window). */
  async function campaign(input: Partial<StaffCampaignCreateMutationVariables['input']> & Pick<StaffCampaignCreateMutationVariables['input'], 'name' | 'goal'>, as: GqlClient = staff) {
    const response = await typedRequest(as, StaffCampaignCreateDocument, {
      input: { code: `C-${crypto.randomUUID().slice(0, 8)}`, startsAt: new Date(Date.now() - 60 * MINUTE).toISOString(), reward: { points: 50 }, ...input },
    });
    expect(response.data?.campaignCreate.userErrors).toEqual([]);
    return response.data!.campaignCreate.campaign!;
  }

  /** A purchase the till records with the staff key. */
  async function purchase(customerId: number, amount: number, occurredAt = new Date()): Promise<void> {
    const response = await typedRequest(staff, TransactionAddDocument, {
      input: { customer: { type: 'USER_ID', value: String(customerId) }, storeCode, billNumber: `B-${crypto.randomUUID().slice(0, 8)}`, amount, occurredAt: occurredAt.toISOString() },
    });
    expect(response.errors).toBeUndefined();
    expect(response.data?.transactionAdd.userErrors).toEqual([]);
  }

  async function list(client: GqlClient, filter: CampaignList): Promise<MeCampaignsQuery['me'] & object> {
    const response = await typedRequest(client, MeCampaignsDocument, { filter });
    expect(response.errors, filter).toBeUndefined();
    return response.data!.me!;
  }

  const progressRows = (customerId: number) =>
    server.em().execute<{ campaign_id: string; value: string; joined_at: Date | null }[]>('select campaign_id, value, joined_at from campaign_progress where customer_id = ? order by campaign_id', [customerId]);

  it('follows progress after purchases, joins an opt-in campaign (earlier purchases do not count), and sees a completion rewarded', async () => {
    const ana = await customer('Ana');
    const friend = await customer('Friend');
    const spend = await campaign({ name: 'Spend 100', goal: { kind: 'SPEND', target: 100 }, reward: { points: 50 } });
    const visits = await campaign({ name: 'Three visits', requiresOptIn: true, goal: { kind: 'VISITS', target: 3 }, reward: { points: 30 } });
    // Another org's campaign, open to all: never in this customer's lists.
    await campaign({ name: 'Elsewhere', goal: { kind: 'SPEND', target: 1 } }, gqlClient(server.url, other.key));

    await purchase(ana.id, 40, new Date(Date.now() - 30 * MINUTE));
    const me = await tokenClient(ana.mobile);

    const active = await list(me, 'ACTIVE');
    expect(active.id).toBe(ana.gid);
    expect(active.campaigns.nodes).toEqual([
      { id: spend.id, name: 'Spend 100', requiresOptIn: false, progress: { value: 40, target: 100, percent: 40, status: 'IN_PROGRESS', joinedAt: null, completedAt: null } },
    ]);
    expect((await list(me, 'ELIGIBLE')).campaigns.nodes).toEqual([
      { id: visits.id, name: 'Three visits', requiresOptIn: true, progress: { value: 0, target: 3, percent: 0, status: 'NOT_JOINED', joinedAt: null, completedAt: null } },
    ]);
    expect((await list(me, 'COMPLETED')).campaigns.nodes).toEqual([]);

    // Naming another customer with a token: not found, and nothing changes for either.
    const forFriend = await typedRequest(me, MeCampaignJoinDocument, { input: { campaignId: visits.id, customer: { type: 'MOBILE', value: friend.mobile } } });
    expect(forFriend.errors).toBeUndefined();
    expect(forFriend.data?.campaignJoin).toEqual({ campaign: null, progress: null, userErrors: [{ code: 'CUSTOMER_NOT_FOUND', message: `No customer has MOBILE "${friend.mobile}".`, field: ['input', 'customer'] }] });
    expect(await progressRows(friend.id)).toEqual([]);
    const friendEligible = await typedRequest(staff, MeCampaignDocument, { id: visits.id, customerId: friend.gid });
    expect(friendEligible.data?.campaign?.named).toMatchObject({ status: 'NOT_JOINED', joinedAt: null });
    expect((await list(me, 'ELIGIBLE')).campaigns.nodes.map((node) => node.id)).toEqual([visits.id]);

    // Joining with the token, no customer named: the token's own customer.
    const joined = await typedRequest(me, MeCampaignJoinDocument, { input: { campaignId: visits.id } });
    expect(joined.errors).toBeUndefined();
    expect(joined.data?.campaignJoin).toMatchObject({ campaign: { id: visits.id, name: 'Three visits' }, progress: { value: 0, target: 3, percent: 0, status: 'IN_PROGRESS', completedAt: null }, userErrors: [] });
    const joinedAt = joined.data!.campaignJoin.progress!.joinedAt!;
    expect(Date.parse(joinedAt)).toBeGreaterThan(Date.now() - MINUTE);
    expect((await list(me, 'ELIGIBLE')).campaigns.nodes).toEqual([]);
    expect((await list(me, 'ACTIVE')).campaigns.nodes.map((node) => [node.name, node.progress?.status, node.progress?.value])).toEqual([
      ['Spend 100', 'IN_PROGRESS', 40],
      ['Three visits', 'IN_PROGRESS', 0],
    ]);

    // A purchase recorded now but made before they joined counts for the campaign open to all only.
    await purchase(ana.id, 10, new Date(Date.parse(joinedAt) - 5 * MINUTE));
    // Purchases after joining count for both.
    await purchase(ana.id, 20);
    const midway = (await list(me, 'ACTIVE')).campaigns.nodes;
    expect(midway.map((node) => node.progress)).toEqual([
      { value: 70, target: 100, percent: 70, status: 'IN_PROGRESS', joinedAt: null, completedAt: null },
      { value: 1, target: 3, percent: 33, status: 'IN_PROGRESS', joinedAt, completedAt: null },
    ]);

    // The purchase that reaches 100: the campaign moves from ACTIVE to COMPLETED, at 100%.
    await purchase(ana.id, 35);
    const after = await list(me, 'ACTIVE');
    expect(after.campaigns.nodes.map((node) => [node.name, node.progress?.value, node.progress?.percent])).toEqual([['Three visits', 2, 66]]);
    const completed = (await list(me, 'COMPLETED')).campaigns.nodes;
    expect(completed).toEqual([{ id: spend.id, name: 'Spend 100', requiresOptIn: false, progress: { value: 105, target: 100, percent: 100, status: 'COMPLETED', joinedAt: null, completedAt: expect.any(String) } }]);

    // The reward: a CAMPAIGN lot in their ledger, naming the campaign, and the event on their timeline.
    const rewards = await typedRequest(me, MeCampaignRewardsDocument, {});
    expect(rewards.errors).toBeUndefined();
    expect(rewards.data?.me?.pointsLedger.nodes.filter((entry) => entry.kind === 'CAMPAIGN')).toEqual([{ kind: 'CAMPAIGN', points: 50, campaign: { id: spend.id, name: 'Spend 100' } }]);
    expect(rewards.data?.me?.timeline.nodes).toEqual([{ type: 'CAMPAIGN_COMPLETED', summary: 'Completed Spend 100, rewarded 50 points' }]);

    // The friend's standing is untouched by all of it.
    expect(await progressRows(friend.id)).toEqual([]);
  });

  it("campaign(id) finds only campaigns open to the customer, and never another customer's progress", async () => {
    const bea = await customer('Bea');
    const friend = await customer('Friend');
    const goldOnly = await campaign({ name: 'Gold members', goal: { kind: 'VISITS', target: 2 }, eligibility: { tierIds: [globalId('Tier', org.tierIds[1])] } });
    const staffOnly = await campaign({ name: 'Staff treat', goal: { kind: 'VISITS', target: 2 }, eligibility: { statuses: ['INTERNAL'] } });
    const everyone = await campaign({ name: 'Everyone', description: 'Spend 80 this month', goal: { kind: 'SPEND', target: 80 }, reward: { points: 25 } });
    const elsewhere = await campaign({ name: 'Other org', goal: { kind: 'SPEND', target: 80 } }, gqlClient(server.url, other.key));
    await purchase(bea.id, 20);
    await purchase(friend.id, 60);
    const me = await tokenClient(bea.mobile);

    // The tier and the status rules exclude Bea (Silver, active): not found with her token, though staff see them.
    for (const hidden of [goldOnly, staffOnly, elsewhere]) {
      const response = await typedRequest(me, MeCampaignDocument, { id: hidden.id });
      expect(response.errors, hidden.name).toBeUndefined();
      expect(response.data, hidden.name).toEqual({ campaign: null });
    }
    expect((await typedRequest(staff, MeCampaignDocument, { id: goldOnly.id, customerId: bea.gid })).data?.campaign).toMatchObject({ name: 'Gold members', named: { status: 'NOT_ELIGIBLE' } });
    // Joining one is not found either: the refusal does not name a campaign the token cannot find.
    const joinHidden = await typedRequest(me, MeCampaignJoinDocument, { input: { campaignId: goldOnly.id } });
    expect(joinHidden.data?.campaignJoin).toEqual({ campaign: null, progress: null, userErrors: [{ code: 'CAMPAIGN_NOT_FOUND', message: expect.any(String), field: ['input', 'campaignId'] }] });
    expect(joinHidden.data?.campaignJoin.userErrors[0].message).not.toContain('Gold members');

    const found = await typedRequest(me, MeCampaignDocument, { id: everyone.id });
    expect(found.errors).toBeUndefined();
    expect(found.data?.campaign).toEqual({
      id: everyone.id,
      code: expect.any(String),
      name: 'Everyone',
      description: 'Spend 80 this month',
      status: 'RUNNING',
      requiresOptIn: false,
      goal: { kind: 'SPEND', target: 80 },
      reward: { points: 25, program: { name: expect.any(String) } },
      eligibility: { statuses: ['ACTIVE'], tiers: [] },
      progress: { value: 20, target: 80, percent: 25, status: 'IN_PROGRESS', joinedAt: null, completedAt: null },
      // No customer named: their own.
      named: { value: 20, target: 80, percent: 25, status: 'IN_PROGRESS', joinedAt: null, completedAt: null },
    });

    // Naming another customer: null (and their progress nowhere); naming themselves: theirs.
    const theirs = await typedRequest(me, MeCampaignDocument, { id: everyone.id, customerId: friend.gid });
    expect(theirs.errors).toBeUndefined();
    expect(theirs.data?.campaign?.named).toBeNull();
    expect(theirs.data?.campaign?.progress?.value).toBe(20);
    const own = await typedRequest(me, MeCampaignDocument, { id: everyone.id, customerId: bea.gid });
    expect(own.data?.campaign?.named?.value).toBe(20);
    // A staff key naming the friend does see the friend's progress: the null above is the token's doing.
    expect((await typedRequest(staff, MeCampaignDocument, { id: everyone.id, customerId: friend.gid })).data?.campaign?.named?.value).toBe(60);

    // Once a campaign they were never eligible for has ended, it stays hidden.
    const ended = await staff.request<{ campaignEnd: { userErrors: unknown[] } }>('mutation ($id: ID!) { campaignEnd(input: { campaignId: $id }) { userErrors { code } } }', { id: goldOnly.id });
    expect(ended.data?.campaignEnd.userErrors).toEqual([]);
    expect((await typedRequest(me, MeCampaignDocument, { id: goldOnly.id })).data).toEqual({ campaign: null });
    expect((await typedRequest(me, MeCampaignJoinDocument, { input: { campaignId: goldOnly.id } })).data?.campaignJoin.userErrors).toEqual([
      { code: 'CAMPAIGN_NOT_FOUND', message: 'Your org has no campaign with that id.', field: ['input', 'campaignId'] },
    ]);
    const goldOnlyId = Buffer.from(goldOnly.id, 'base64url').toString('utf8').replace(/^Campaign:/, '');
    expect(goldOnlyId).toMatch(/^\d+$/);
    expect((await progressRows(bea.id)).map((row) => row.campaign_id)).not.toContain(goldOnlyId);
  });

  it('refuses campaigns without campaigns:read and joining without campaigns:join, running nothing', async () => {
    const cai = await customer('Cai');
    const optIn = await campaign({ name: 'Join me', requiresOptIn: true, goal: { kind: 'VISITS', target: 2 } });

    const profileOnly = await tokenClient(cai.mobile, ['profile', 'points:read']);
    const unread = await typedRequest(profileOnly, MeCampaignsDocument, { filter: 'ELIGIBLE' });
    expect(unread.status).toBe(403);
    expect(unread.data ?? null).toBeNull();
    expect(unread.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(unread.errors?.[0]?.message).toContain('Customer.campaigns needs the scope campaigns:read');
    const unreadOne = await typedRequest(profileOnly, MeCampaignDocument, { id: optIn.id });
    expect(unreadOne.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(unreadOne.errors?.[0]?.message).toContain('Query.campaign needs the scope campaigns:read');

    const readOnly = await tokenClient(cai.mobile, ['profile', 'campaigns:read']);
    const eligible = (await list(readOnly, 'ELIGIBLE')).campaigns.nodes;
    expect(eligible.map((node) => node.id)).toContain(optIn.id);
    const join = await typedRequest(readOnly, MeCampaignJoinDocument, { input: { campaignId: optIn.id } });
    expect(join.status).toBe(403);
    expect(join.data ?? null).toBeNull();
    expect(join.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(join.errors?.[0]?.message).toContain('Mutation.campaignJoin needs the scope campaigns:join');
    expect(await progressRows(cai.id)).toEqual([]);
    expect((await list(readOnly, 'ELIGIBLE')).campaigns.nodes).toEqual(eligible);
  });

  it("reads the org's timeline view: only its types within its window, newest first, and never the events' details", async () => {
    const dee = await customer('Dee');
    const created = await typedRequest(staff, TimelineViewCreateDocument, { input: { name: 'Rewards feed', eventTypes: ['CAMPAIGN_COMPLETED', 'POINTS_ISSUED'], windowDays: 7 } });
    expect(created.data?.timelineViewCreate.userErrors).toEqual([]);
    const now = Date.now();
    const events: [type: string, summary: string, daysAgo: number][] = [
      ['POINTS_ISSUED', 'goodwill 2 days ago', 2],
      ['PURCHASED', 'purchase 1 day ago', 1],
      ['CAMPAIGN_COMPLETED', 'campaign 3 days ago', 3],
      ['POINTS_ISSUED', 'goodwill 10 days ago', 10],
      ['CAMPAIGN_COMPLETED', 'campaign 6 days ago', 6],
      ['CAMPAIGN_COMPLETED', 'campaign 8 days ago', 8],
    ];
    for (const [type, summary, daysAgo] of events) {
      await server.em().execute(`insert into timeline_event (org_id, customer_id, type, summary, data, occurred_at) values (?, ?, ?, ?, '{"note":"member care only"}'::jsonb, ?)`, [
        org.orgId,
        dee.id,
        type,
        summary,
        new Date(now - daysAgo * DAY),
      ]);
    }
    // An event the view would show, of another customer.
    const friend = await customer('Friend');
    await server.em().execute(`insert into timeline_event (org_id, customer_id, type, summary, data, occurred_at) values (?, ?, 'POINTS_ISSUED', 'friend', '{}'::jsonb, now())`, [org.orgId, friend.id]);

    const me = await tokenClient(dee.mobile, ['profile']);
    const view = await typedRequest(me, MeTimelineViewDocument, { name: 'Rewards feed' });
    expect(view.errors).toBeUndefined();
    const nodes = view.data?.me?.timelineView?.nodes ?? [];
    expect(nodes.map((node) => [node.type, node.summary])).toEqual([
      ['POINTS_ISSUED', 'goodwill 2 days ago'],
      ['CAMPAIGN_COMPLETED', 'campaign 3 days ago'],
      ['CAMPAIGN_COMPLETED', 'campaign 6 days ago'],
    ]);
    expect(nodes.map((node) => Date.parse(node.occurredAt))).toEqual([2, 3, 6].map((days) => now - days * DAY));

    const withData = await me.request('query ($name: String!) { me { timelineView(name: $name) { nodes { type summary data } } } }', { name: 'Rewards feed' });
    expect(withData.status).toBe(403);
    expect(withData.data ?? null).toBeNull();
    expect(withData.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(withData.errors?.[0]?.message).toContain('TimelineEvent.data is not open to customers');
    expect(JSON.stringify(withData)).not.toContain('member care only');
  });
});
