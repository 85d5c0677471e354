import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.js';
import {
  CampaignCreateDocument,
  CampaignEndDocument,
  CampaignJoinDocument,
  CampaignProgressOfDocument,
  CampaignUpdateDocument,
  CustomerCampaignsDocument,
  TransactionAddDocument,
} from './generated/graphql.js';
import type { CampaignCreateInput } from './generated/schema-types.js';
import { gqlClient, globalId, typedRequest, type GqlClient } from './support/client.js';
import { importRows, type ImportRun } from './support/imports.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCustomer, createOrg, type TestOrg } from './support/world.js';
import { createApiKey } from '../src/app/seed/org-setup.js';

/*
 * Campaigns as staff keys see them: ADMIN keys define them; purchases, by `transactionAdd` and by
 * a Transactions import alike, move the customers who take part toward the goal inside their own
 * transaction; the purchase that reaches it grants the reward once.
 */

const NOW = new Date('2026-03-10T04:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs).toISOString();

describe('campaigns', () => {
  const clock = new ManualClock(NOW);
  let server: TestServer;
  let org: TestOrg;
  let admin: GqlClient;
  let integration: GqlClient;
  let storeCode: string;
  let mobiles = 0;
  let campaigns = 0;

  beforeAll(async () => {
    server = await startTestServer({ clock });
    org = await createOrg(server.em());
    admin = gqlClient(server.url, org.key);
    // An INTEGRATION key of the same org: it records purchases, and may not define campaigns.
    integration = gqlClient(server.url, await createApiKey(server.em(), org.orgId, 'INTEGRATION'));
    const [store] = await server.em().execute<{ code: string }[]>('select code from store where id = ?', [org.storeIds[0]]);
    storeCode = store.code;
  });
  afterAll(() => server?.stop());

  async function newCustomer(): Promise<{ id: number; mobile: string }> {
    mobiles += 1;
    const mobile = `659300${String(mobiles).padStart(4, '0')}`;
    return { id: await createCustomer(server.em(), org, { mobile }), mobile };
  }

  async function create(input: Partial<CampaignCreateInput> = {}, as: GqlClient = admin) {
    campaigns += 1;
    return typedRequest(as, CampaignCreateDocument, {
      input: {
        code: `C-${campaigns}`,
        name: `Campaign ${campaigns}`,
        startsAt: at(-5 * DAY),
        endsAt: at(20 * DAY),
        goal: { kind: 'SPEND', target: 100 },
        reward: { points: 500 },
        ...input,
      },
    });
  }

  async function campaign(input: Partial<CampaignCreateInput> = {}): Promise<string> {
    const response = await create(input);
    expect(response.errors).toBeUndefined();
    expect(response.data!.campaignCreate.userErrors).toEqual([]);
    return response.data!.campaignCreate.campaign!.id;
  }

  async function buy(mobile: string, amount: number, occurredAt = at(-HOUR), groupId?: string) {
    const response = await typedRequest(integration, TransactionAddDocument, {
      input: { customer: { type: 'MOBILE', value: mobile }, storeCode, billNumber: `B-${crypto.randomUUID().slice(0, 12)}`, amount, occurredAt, groupId },
    });
    expect(response.errors).toBeUndefined();
    expect(response.data!.transactionAdd.userErrors).toEqual([]);
  }

  async function progress(campaignId: string, customerId: number) {
    const response = await typedRequest(admin, CampaignProgressOfDocument, { id: campaignId, customerId: globalId('Customer', customerId) });
    expect(response.errors).toBeUndefined();
    return response.data!.campaign!.progress!;
  }

  async function lists(mobile: string) {
    const response = await typedRequest(admin, CustomerCampaignsDocument, { type: 'MOBILE', value: mobile });
    expect(response.errors).toBeUndefined();
    return response.data!.customerByIdentifier!;
  }

  async function campaignCount(): Promise<number> {
    const [row] = await server.em().execute<{ n: number }[]>('select count(*)::int as n from campaign where org_id = ?', [org.orgId]);
    return row.n;
  }

  it('is defined by ADMIN keys with its rules, and a definition that does not hold is refused whole', async () => {
    const response = await create({
      code: 'GOLD-SPRING',
      name: 'Gold spring',
      description: 'Spend 250 this spring',
      requiresOptIn: true,
      eligibility: { tierIds: [globalId('Tier', org.tierIds[1])], statuses: ['ACTIVE', 'SUSPENDED'], joinedAfter: '2020-01-01T00:00:00Z' },
      goal: { kind: 'SPEND', target: 250.5 },
      reward: { points: 300, programId: globalId('LoyaltyProgram', org.programId) },
    });
    expect(response.errors).toBeUndefined();
    expect(response.data!.campaignCreate).toEqual({
      userErrors: [],
      campaign: {
        id: expect.any(String),
        code: 'GOLD-SPRING',
        name: 'Gold spring',
        description: 'Spend 250 this spring',
        status: 'RUNNING',
        // In the org's time zone (Singapore).
        startsAt: '2026-03-05T12:00:00+08:00',
        endsAt: '2026-03-30T12:00:00+08:00',
        requiresOptIn: true,
        eligibility: { tiers: [{ name: 'Gold' }], statuses: ['ACTIVE', 'SUSPENDED'], joinedAfter: '2020-01-01T08:00:00+08:00', joinedBefore: null },
        goal: { kind: 'SPEND', target: 250.5 },
        reward: { points: 300, program: { name: expect.stringMatching(/ Rewards$/) } },
      },
    });

    const before = await campaignCount();
    const refusals = await Promise.all([
      create({ code: 'GOLD-SPRING' }),
      create({ endsAt: at(-6 * DAY) }),
      create({ startsAt: at(-10 * DAY), endsAt: at(-DAY) }),
      create({ eligibility: { tierIds: [globalId('Tier', 999_999)] } }),
      create({ eligibility: { joinedAfter: '2024-01-01T00:00:00Z', joinedBefore: '2023-01-01T00:00:00Z' } }),
      create({ goal: { kind: 'VISITS', target: 2.5 } }),
      create({ goal: { kind: 'SPEND', target: 0 } }),
      create({ reward: { points: 0 } }),
      create({ reward: { points: 10, programId: globalId('LoyaltyProgram', 999_999) } }),
    ]);
    expect(refusals.map((refusal) => refusal.data!.campaignCreate.userErrors.map((error) => `${error.code} ${error.field?.join('.')}`))).toEqual([
      ['CAMPAIGN_CODE_TAKEN input.code'],
      ['CAMPAIGN_WINDOW_INVALID input.endsAt'],
      ['CAMPAIGN_WINDOW_INVALID input.endsAt'],
      ['NOT_FOUND input.eligibility.tierIds.0'],
      ['INVALID_INPUT input.eligibility.joinedBefore'],
      ['INVALID_INPUT input.goal.target'],
      ['INVALID_INPUT input.goal.target'],
      ['INVALID_INPUT input.reward.points'],
      ['PROGRAM_NOT_FOUND input.reward.programId'],
    ]);
    expect(await campaignCount()).toBe(before);

    const forbidden = await create({}, integration);
    expect(forbidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await campaignCount()).toBe(before);
  });

  it('moves a customer toward a spend goal with each purchase, and rewards the purchase that reaches it once', async () => {
    const id = await campaign({ code: 'SPEND-100', name: 'Spend 100', goal: { kind: 'SPEND', target: 100 }, reward: { points: 500 } });
    const ada = await newCustomer();
    await buy(ada.mobile, 30);
    await buy(ada.mobile, 45.5);
    expect(await progress(id, ada.id)).toMatchObject({ value: 75.5, target: 100, percent: 75, status: 'IN_PROGRESS', completedAt: null });
    expect((await lists(ada.mobile)).active.nodes).toContainEqual({ code: 'SPEND-100', progress: { value: 75.5, target: 100, percent: 75, status: 'IN_PROGRESS' } });

    clock.set(new Date(NOW.getTime() + 10 * 60_000));
    await buy(ada.mobile, 40);
    // Reached: later purchases no longer count, and the reward is not granted again.
    await buy(ada.mobile, 60);
    clock.set(NOW);
    expect(await progress(id, ada.id)).toEqual({ value: 115.5, target: 100, percent: 100, status: 'COMPLETED', joinedAt: null, completedAt: '2026-03-10T12:10:00+08:00' });

    const seen = await lists(ada.mobile);
    expect(seen.active.nodes.map((node) => node.code)).not.toContain('SPEND-100');
    expect(seen.completed.nodes).toEqual([{ code: 'SPEND-100', progress: { value: 115.5, percent: 100, status: 'COMPLETED', completedAt: '2026-03-10T12:10:00+08:00' } }]);
    const rewards = seen.pointsLedger.nodes.filter((entry) => entry.kind === 'CAMPAIGN');
    expect(rewards).toEqual([{ kind: 'CAMPAIGN', points: 500, reason: 'Completed campaign Spend 100', source: expect.stringMatching(/^campaign:\d+$/), campaign: { code: 'SPEND-100' } }]);
    expect(seen.timeline.nodes).toEqual([{ type: 'CAMPAIGN_COMPLETED', summary: 'Completed Spend 100, rewarded 500 points' }]);
    // The reward counts toward the balance beside the points the purchases earned (30 + 45 + 40 + 60).
    const [balance] = await server.em().execute<{ points: number }[]>('select sum(points)::int as points from points_ledger_entry where customer_id = ?', [ada.id]);
    expect(balance.points).toBe(175 + 500);
  });

  it('counts visits and points as their goals say', async () => {
    const visits = await campaign({ code: 'VISITS-3', goal: { kind: 'VISITS', target: 3 } });
    const points = await campaign({ code: 'POINTS-50', goal: { kind: 'POINTS', target: 50 } });
    const bo = await newCustomer();
    await buy(bo.mobile, 20.99);
    await buy(bo.mobile, 12);
    expect(await progress(visits, bo.id)).toMatchObject({ value: 2, target: 3, percent: 66, status: 'IN_PROGRESS' });
    // Points earned: 20 for 20.99 (rounded down per purchase), 12 for 12.
    expect(await progress(points, bo.id)).toMatchObject({ value: 32, target: 50, percent: 64, status: 'IN_PROGRESS' });

    // A purchase for a group is a visit of the member's, but its points are the group's.
    const em = server.em();
    const [group] = await em.execute<{ id: string }[]>(`insert into user_group (org_id, name, external_id, primary_member_id, created_at) values (?, 'Family', 'FAM-B', ?, now()) returning id`, [
      org.orgId,
      bo.id,
    ]);
    await em.execute('insert into user_group_member (org_id, group_id, customer_id, joined_at) values (?, ?, ?, now())', [org.orgId, group.id, bo.id]);
    await buy(bo.mobile, 40, at(-HOUR), globalId('UserGroup', Number(group.id)));
    expect(await progress(visits, bo.id)).toMatchObject({ value: 3, percent: 100, status: 'COMPLETED' });
    expect(await progress(points, bo.id)).toMatchObject({ value: 32, status: 'IN_PROGRESS' });
  });

  it('lets take part only customers of its tiers, statuses and join dates', async () => {
    const id = await campaign({
      code: 'GOLD-ONLY',
      eligibility: { tierIds: [globalId('Tier', org.tierIds[1])], joinedAfter: '2021-01-01T00:00:00Z', joinedBefore: '2022-01-01T00:00:00Z' },
      goal: { kind: 'VISITS', target: 5 },
    });
    const em = server.em();
    const gold = await newCustomer();
    const silver = await newCustomer();
    const suspended = await newCustomer();
    const newcomer = await newCustomer();
    for (const customer of [gold, suspended, newcomer]) await em.execute('update loyalty_enrollment set tier_id = ? where customer_id = ?', [org.tierIds[1], customer.id]);
    await em.execute('update customer set status_label_id = ? where id = ?', [org.statusLabelIds['on-hold'], suspended.id]);
    await em.execute(`update customer set joined_at = '2023-05-01T00:00:00Z' where id = ?`, [newcomer.id]);

    for (const customer of [gold, silver, suspended, newcomer]) await buy(customer.mobile, 10);

    expect(await progress(id, gold.id)).toMatchObject({ value: 1, status: 'IN_PROGRESS' });
    for (const customer of [silver, suspended, newcomer]) expect(await progress(id, customer.id)).toMatchObject({ value: 0, status: 'NOT_ELIGIBLE' });
    expect((await lists(gold.mobile)).active.nodes.map((node) => node.code)).toContain('GOLD-ONLY');
    expect((await lists(silver.mobile)).active.nodes.map((node) => node.code)).not.toContain('GOLD-ONLY');

    // Eligibility is judged as the customer stands at each purchase: back on ACTIVE, the next one counts.
    await em.execute('update customer set status_label_id = ? where id = ?', [org.statusLabelIds['active-customer'], suspended.id]);
    await buy(suspended.mobile, 10);
    expect(await progress(id, suspended.id)).toMatchObject({ value: 1, status: 'IN_PROGRESS' });
  });

  it('counts, in an opt-in campaign, only the purchases made after the customer joined', async () => {
    const id = await campaign({ code: 'OPT-IN', requiresOptIn: true, goal: { kind: 'VISITS', target: 2 }, reward: { points: 80 } });
    const cy = await newCustomer();
    await buy(cy.mobile, 10, at(-2 * HOUR));
    expect(await progress(id, cy.id)).toMatchObject({ value: 0, status: 'NOT_JOINED' });
    let seen = await lists(cy.mobile);
    expect(seen.eligible.nodes).toContainEqual({ code: 'OPT-IN', progress: { value: 0, target: 2, percent: 0, status: 'NOT_JOINED' } });
    expect(seen.active.nodes.map((node) => node.code)).not.toContain('OPT-IN');

    // A staff key names the customer; without one it is refused, and changes nothing.
    const nameless = await typedRequest(admin, CampaignJoinDocument, { input: { campaignId: id } });
    expect(nameless.data!.campaignJoin.userErrors.map((error) => error.code)).toEqual(['INVALID_INPUT']);
    const joined = await typedRequest(integration, CampaignJoinDocument, { input: { campaignId: id, customer: { type: 'MOBILE', value: cy.mobile } } });
    expect(joined.data!.campaignJoin).toEqual({
      campaign: { id, code: 'OPT-IN' },
      progress: { value: 0, target: 2, percent: 0, status: 'IN_PROGRESS', joinedAt: '2026-03-10T12:00:00+08:00', completedAt: null },
      userErrors: [],
    });
    // Joining again changes nothing.
    clock.set(new Date(NOW.getTime() + 60_000));
    const again = await typedRequest(integration, CampaignJoinDocument, { input: { campaignId: id, customer: { type: 'MOBILE', value: cy.mobile } } });
    expect(again.data!.campaignJoin.progress).toMatchObject({ joinedAt: '2026-03-10T12:00:00+08:00' });

    // Bought before joining (an hour ago, recorded now): not counted. Bought after: counted.
    await buy(cy.mobile, 10, at(-HOUR));
    await buy(cy.mobile, 10, at(30_000));
    expect(await progress(id, cy.id)).toMatchObject({ value: 1, status: 'IN_PROGRESS' });
    await buy(cy.mobile, 10, at(40_000));
    clock.set(NOW);
    expect(await progress(id, cy.id)).toMatchObject({ value: 2, percent: 100, status: 'COMPLETED' });
    seen = await lists(cy.mobile);
    // (Campaigns of the tests before, open to all, counted the same purchases.)
    expect(seen.completed.nodes.map((node) => node.code)).toContain('OPT-IN');
    expect(seen.pointsLedger.nodes.filter((entry) => entry.campaign?.code === 'OPT-IN').map((entry) => entry.points)).toEqual([80]);

    const ineligible = await campaign({ code: 'OPT-IN-GOLD', requiresOptIn: true, eligibility: { tierIds: [globalId('Tier', org.tierIds[2])] } });
    const refused = await typedRequest(admin, CampaignJoinDocument, { input: { campaignId: ineligible, customer: { type: 'MOBILE', value: cy.mobile } } });
    expect(refused.data!.campaignJoin.userErrors.map((error) => error.code)).toEqual(['CAMPAIGN_NOT_ELIGIBLE']);
    const scheduled = await campaign({ code: 'LATER', requiresOptIn: true, startsAt: at(DAY) });
    const early = await typedRequest(admin, CampaignJoinDocument, { input: { campaignId: scheduled, customer: { type: 'MOBILE', value: cy.mobile } } });
    expect(early.data!.campaignJoin.userErrors.map((error) => error.code)).toEqual(['CAMPAIGN_NOT_STARTED']);
    const [rows] = await server.em().execute<{ n: number }[]>('select count(*)::int as n from campaign_progress where customer_id = ? and joined_at is not null', [cy.id]);
    expect(rows.n).toBe(1);
  });

  it('counts only purchases within its window while it runs, and stops when ended', async () => {
    const window = await campaign({ code: 'WINDOW', startsAt: at(-DAY), endsAt: at(DAY), goal: { kind: 'VISITS', target: 10 } });
    const scheduled = await campaign({ code: 'SCHEDULED', startsAt: at(2 * DAY), goal: { kind: 'VISITS', target: 10 } });
    const dee = await newCustomer();
    // Two days ago: before the window opened.
    await buy(dee.mobile, 10, at(-2 * DAY));
    await buy(dee.mobile, 10, at(-HOUR));
    expect(await progress(window, dee.id)).toMatchObject({ value: 1, status: 'IN_PROGRESS' });
    expect(await progress(scheduled, dee.id)).toMatchObject({ value: 0, status: 'IN_PROGRESS' });
    expect((await lists(dee.mobile)).active.nodes.map((node) => node.code)).toEqual(expect.arrayContaining(['WINDOW']));
    expect((await lists(dee.mobile)).active.nodes.map((node) => node.code)).not.toContain('SCHEDULED');

    // While it runs, its goal is fixed; its end may move, not into the past.
    const goal = await typedRequest(admin, CampaignUpdateDocument, { input: { campaignId: window, goal: { kind: 'VISITS', target: 2 } } });
    expect(goal.data!.campaignUpdate.userErrors.map((error) => `${error.code} ${error.field?.join('.')}`)).toEqual(['CAMPAIGN_ALREADY_STARTED input.goal']);
    const past = await typedRequest(admin, CampaignUpdateDocument, { input: { campaignId: window, endsAt: at(-HOUR) } });
    expect(past.data!.campaignUpdate.userErrors.map((error) => error.code)).toEqual(['CAMPAIGN_WINDOW_INVALID']);
    // A form sending the goal as it was is fine.
    const renamed = await typedRequest(admin, CampaignUpdateDocument, { input: { campaignId: window, name: 'Ten visits', endsAt: at(3 * DAY), goal: { kind: 'VISITS', target: 10 } } });
    expect(renamed.data!.campaignUpdate.userErrors).toEqual([]);
    expect(renamed.data!.campaignUpdate.campaign).toMatchObject({ name: 'Ten visits', endsAt: '2026-03-13T12:00:00+08:00', goal: { kind: 'VISITS', target: 10 } });
    // Before it starts, everything may change.
    const moved = await typedRequest(admin, CampaignUpdateDocument, { input: { campaignId: scheduled, startsAt: at(-HOUR), goal: { kind: 'VISITS', target: 4 } } });
    expect(moved.data!.campaignUpdate.campaign).toMatchObject({ status: 'RUNNING', goal: { kind: 'VISITS', target: 4 } });

    const ended = await typedRequest(admin, CampaignEndDocument, { input: { campaignId: window } });
    expect(ended.data!.campaignEnd).toEqual({ campaign: { id: window, status: 'ENDED', startsAt: '2026-03-09T12:00:00+08:00', endsAt: '2026-03-10T12:00:00+08:00' }, userErrors: [] });
    clock.set(new Date(NOW.getTime() + 60_000));
    await buy(dee.mobile, 10, at(30_000));
    expect(await progress(window, dee.id)).toMatchObject({ value: 1, status: 'MISSED' });
    expect(await progress(scheduled, dee.id)).toMatchObject({ value: 1, status: 'IN_PROGRESS' });
    const again = await typedRequest(admin, CampaignEndDocument, { input: { campaignId: window } });
    expect(again.data!.campaignEnd.userErrors.map((error) => error.code)).toEqual(['CAMPAIGN_ENDED']);
    const late = await typedRequest(admin, CampaignJoinDocument, { input: { campaignId: window, customer: { type: 'MOBILE', value: dee.mobile } } });
    expect(late.data!.campaignJoin.userErrors.map((error) => error.code)).toEqual(['CAMPAIGN_ENDED']);
    clock.set(NOW);
    expect((await lists(dee.mobile)).active.nodes.map((node) => node.code)).not.toContain('WINDOW');
  });

  it('counts a Transactions import as transactionAdd does, rejected rows not at all', async () => {
    const id = await campaign({ code: 'IMPORTED', goal: { kind: 'SPEND', target: 100 }, reward: { points: 250 } });
    const eve = await newCustomer();
    const run: ImportRun = { server, client: admin, key: org.key };
    const job = await importRows(
      run,
      {
        profile: 'TRANSACTIONS',
        mapping: [
          { header: 'Mobile', field: 'mobile' },
          { header: 'Bill Number', field: 'billNumber' },
          { header: 'Bill Amount', field: 'billAmount' },
          { header: 'Transaction Date', field: 'billDate' },
          { header: 'Store', field: 'storeCode' },
        ],
      },
      [
        [eve.mobile, 'IMP-1', '40', '2026-03-10 09:00:00', storeCode],
        [eve.mobile, 'IMP-2', 'not money', '2026-03-10 09:30:00', storeCode],
        [eve.mobile, 'IMP-1', '500', '2026-03-10 09:00:00', storeCode],
        [eve.mobile, 'IMP-3', '70', '2026-03-10 10:00:00', storeCode],
        [eve.mobile, 'IMP-4', '30', '2026-03-10 11:00:00', storeCode],
      ],
    );
    // A bill twice in the file is refused on both rows; with the bad amount, three rows count for nothing.
    expect(job).toMatchObject({ state: 'COMPLETED_WITH_ERRORS', progress: { rowsAccepted: 2, rowsRejected: 3 } });
    expect(await progress(id, eve.id)).toMatchObject({ value: 100, percent: 100, status: 'COMPLETED' });
    const seen = await lists(eve.mobile);
    expect(seen.pointsLedger.nodes.filter((entry) => entry.campaign?.code === 'IMPORTED')).toEqual([
      { kind: 'CAMPAIGN', points: 250, reason: expect.stringContaining('Completed campaign'), source: expect.stringMatching(/^campaign:\d+$/), campaign: { code: 'IMPORTED' } },
    ]);
  });

  it('rewards once when 20 purchases that cross the goal arrive at the same time', async () => {
    const id = await campaign({ code: 'RUSH', goal: { kind: 'VISITS', target: 10 }, reward: { points: 1_000 } });
    const fay = await newCustomer();
    await Promise.all(Array.from({ length: 20 }, () => buy(fay.mobile, 5)));
    expect(await progress(id, fay.id)).toMatchObject({ value: 10, percent: 100, status: 'COMPLETED' });
    const em = server.em();
    const campaignId = Number(Buffer.from(id, 'base64url').toString().split(':')[1]);
    const [rewards] = await em.execute<{ n: number; points: number }[]>(
      `select count(*)::int as n, sum(points)::int as points from points_ledger_entry where customer_id = ? and campaign_id = ?`,
      [fay.id, campaignId],
    );
    expect(rewards).toEqual({ n: 1, points: 1_000 });
    const [events] = await em.execute<{ n: number }[]>(
      `select count(*)::int as n from timeline_event where customer_id = ? and type = 'CAMPAIGN_COMPLETED' and (data->>'campaignId')::bigint = ?`,
      [fay.id, campaignId],
    );
    expect(events.n).toBe(1);
    const [purchases] = await em.execute<{ n: number }[]>('select count(*)::int as n from "transaction" where customer_id = ?', [fay.id]);
    expect(purchases.n).toBe(20);
    // Even a writer that skipped the progress row's logic could not grant it twice.
    await expect(
      em.execute(
        `insert into points_ledger_entry (org_id, program_id, customer_id, campaign_id, kind, points, source, created_at)
          select org_id, program_id, customer_id, campaign_id, kind, points, source, now() from points_ledger_entry where customer_id = ? and campaign_id = ?`,
        [fay.id, campaignId],
      ),
    ).rejects.toThrow(/points_ledger_entry_campaign_reward_once/);
  });
});
