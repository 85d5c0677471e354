import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.js';
import { createApiKey } from '../src/app/seed/org-setup.js';
import { appendLedgerEntry } from '../src/domain/points/points.service.js';
import type { ServiceContext } from '../src/domain/context.js';
import {
  CustomerPointsDocument,
  GoodwillPointsIssueDocument,
  PointsTransferCapUpdateDocument,
  PointsTransferDocument,
  type PointsTransferMutationVariables,
} from './generated/graphql.js';
import { gqlClient, globalId, typedRequest, type GqlClient } from './support/client.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCustomer, createOrg, ledgerEntries, serviceContext, type TestOrg } from './support/world.js';

const DAY = 86_400_000;
const START = new Date('2024-03-01T04:00:00Z');

describe('pointsTransfer', () => {
  const clock = new ManualClock(START);
  let server: TestServer;
  let org: TestOrg;
  /** Member care's key: the staff who move points for customers. */
  let client: GqlClient;
  let ctx: ServiceContext;
  let customers = 0;

  beforeAll(async () => {
    server = await startTestServer({ clock });
    org = await createOrg(server.em(), { role: 'MEMBER_CARE' });
    client = gqlClient(server.url, org.key);
    ctx = await serviceContext(server, org, 'import-job:7', clock);
  });
  beforeEach(() => clock.set(START));
  afterAll(() => server?.stop());

  function mobileOf(n: number): string {
    return `659200${String(n).padStart(4, '0')}`;
  }

  async function newCustomer(of: TestOrg = org): Promise<{ id: number; mobile: string }> {
    customers += 1;
    const mobile = mobileOf(customers);
    return { id: await createCustomer(server.em(), of, { mobile }), mobile };
  }

  async function goodwill(customerId: number, points: number, as: GqlClient = client): Promise<void> {
    const response = await typedRequest(as, GoodwillPointsIssueDocument, {
      input: { customer: { type: 'USER_ID', value: String(customerId) }, points, reason: 'Goodwill', idempotencyKey: crypto.randomUUID() },
    });
    expect(response.data?.goodwillPointsIssue.userErrors).toEqual([]);
  }

  function transfer(fromId: number, toId: number, input: Partial<PointsTransferMutationVariables['input']> = {}, as: GqlClient = client) {
    return typedRequest(as, PointsTransferDocument, {
      input: {
        from: { type: 'USER_ID', value: String(fromId) },
        to: { type: 'USER_ID', value: String(toId) },
        points: 10,
        idempotencyKey: crypto.randomUUID(),
        ...input,
      },
    });
  }

  async function pointsOf(customerId: number, as: GqlClient = client) {
    const response = await typedRequest(as, CustomerPointsDocument, { id: globalId('Customer', customerId) });
    expect(response.errors).toBeUndefined();
    return response.data!.customer!;
  }

  async function balanceOf(customerId: number): Promise<number> {
    return (await pointsOf(customerId)).loyalty[0]?.pointsBalance ?? 0;
  }

  it("moves points lot by lot, earliest expiry first, the recipient's lots keeping their expiry", async () => {
    const sender = await newCustomer();
    const recipient = await newCustomer();
    await goodwill(sender.id, 100); // expires in 365 days
    // Credited later, expires sooner: the transfer takes it first.
    await appendLedgerEntry(ctx, { customer: { id: sender.id }, points: 30, source: 'import-job:7', expiresAt: new Date(START.getTime() + 30 * DAY) });
    const senderLots = (await pointsOf(sender.id)).pointsLedger.nodes;
    const soon = senderLots.find((entry) => entry.kind === 'IMPORT')!.expiresAt;
    const late = senderLots.find((entry) => entry.kind === 'GOODWILL')!.expiresAt;
    expect(soon).toBe('2024-03-31T12:00:00+08:00');

    // The recipient found by mobile, as member care would type it.
    const response = await transfer(sender.id, recipient.id, { to: { type: 'MOBILE', value: recipient.mobile }, points: 50 });

    const result = response.data!.pointsTransfer;
    expect(result.userErrors).toEqual([]);
    expect(result.replayed).toBe(false);
    expect(result.debit).toMatchObject({ kind: 'TRANSFER_OUT', points: -50, remainingPoints: null, expiresAt: null, source: 'pointsTransfer' });
    expect(result.credits!.map((entry) => [entry.kind, entry.points, entry.remainingPoints, entry.expiresAt])).toEqual([
      ['TRANSFER_IN', 30, 30, soon],
      ['TRANSFER_IN', 20, 20, late],
    ]);
    // Transferred points were earned by the sender, not the recipient: lifetime points stay with the sender.
    expect(result.sender).toMatchObject({ id: globalId('Customer', sender.id), loyalty: [{ pointsBalance: 80, lifetimePoints: 130 }] });
    expect(result.recipient).toMatchObject({ id: globalId('Customer', recipient.id), loyalty: [{ pointsBalance: 50, lifetimePoints: 0 }] });

    // Both ledgers show the movement; the sender's earliest lot is spent.
    const senderAfter = await pointsOf(sender.id);
    expect(senderAfter.pointsLedger.nodes.map((entry) => [entry.kind, entry.points, entry.remainingPoints])).toEqual([
      ['TRANSFER_OUT', -50, null],
      ['IMPORT', 30, 0],
      ['GOODWILL', 100, 80],
    ]);
    const recipientAfter = await pointsOf(recipient.id);
    expect(recipientAfter.pointsLedger.nodes.map((entry) => entry.id).sort()).toEqual(result.credits!.map((entry) => entry.id).sort());
    expect(recipientAfter.loyalty[0].pointsExpiringSoon).toEqual({ points: 30, earliestExpiresAt: soon, withinDays: 30 });

    // The audit trail records it for both customers, and both timelines show it.
    const audit = await server.em().execute<{ subjectId: string; details: Record<string, unknown> }[]>(
      `select subject_id as "subjectId", details from audit_entry where org_id = ? and action = 'pointsTransfer' and details->>'fromCustomerId' = ? order by subject_id`,
      [org.orgId, String(sender.id)],
    );
    expect(audit.map((row) => Number(row.subjectId))).toEqual([sender.id, recipient.id].sort((a, b) => a - b));
    expect(audit[0].details).toMatchObject({ fromCustomerId: sender.id, toCustomerId: recipient.id, points: 50 });
    const timeline = await server.em().execute<{ customerId: string; type: string; summary: string }[]>(
      `select customer_id as "customerId", type, summary from timeline_event where customer_id in (?, ?) and type like 'POINTS_TRANSFERRED%' order by type`,
      [sender.id, recipient.id],
    );
    expect(timeline).toEqual([
      { customerId: String(recipient.id), type: 'POINTS_TRANSFERRED_IN', summary: '50 points received from another customer' },
      { customerId: String(sender.id), type: 'POINTS_TRANSFERRED_OUT', summary: '50 points given to another customer' },
    ]);

    // The recipient's points expire when the sender's would have: the 30 from the early lot after 30 days.
    clock.advance(31 * DAY);
    expect(await balanceOf(recipient.id)).toBe(20);
    expect(await balanceOf(sender.id)).toBe(80);
  });

  it('returns the first result for a repeated key, moving nothing again', async () => {
    const sender = await newCustomer();
    const recipient = await newCustomer();
    await goodwill(sender.id, 50);
    const idempotencyKey = crypto.randomUUID();
    const first = (await transfer(sender.id, recipient.id, { idempotencyKey, points: 20 })).data!.pointsTransfer;
    const again = (await transfer(sender.id, recipient.id, { idempotencyKey, points: 20 })).data!.pointsTransfer;
    expect(again).toMatchObject({ replayed: true, userErrors: [], debit: { id: first.debit!.id }, credits: first.credits });
    expect(await balanceOf(sender.id)).toBe(30);
    expect(await balanceOf(recipient.id)).toBe(20);

    const reused = (await transfer(sender.id, recipient.id, { idempotencyKey, points: 21 })).data!.pointsTransfer;
    expect(reused.userErrors.map((error) => error.code)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    expect(await balanceOf(sender.id)).toBe(30);
  });

  describe('refuses, moving nothing', () => {
    let sender: { id: number; mobile: string };
    let recipient: { id: number; mobile: string };
    beforeAll(async () => {
      sender = await newCustomer();
      recipient = await newCustomer();
      await goodwill(sender.id, 25);
    });

    async function expectNothingMoved(): Promise<void> {
      expect(await ledgerEntries(server.em(), sender.id)).toBe(1);
      expect(await ledgerEntries(server.em(), recipient.id)).toBe(0);
    }

    it('an unknown recipient', async () => {
      const response = await transfer(sender.id, recipient.id, { to: { type: 'MOBILE', value: '6599999999' } });
      expect(response.data!.pointsTransfer).toEqual({
        debit: null,
        credits: null,
        sender: null,
        recipient: null,
        replayed: null,
        userErrors: [{ code: 'CUSTOMER_NOT_FOUND', message: 'No customer has MOBILE "6599999999".', field: ['input', 'to'] }],
      });
      await expectNothingMoved();
    });

    it("another org's customer as the recipient", async () => {
      const other = await createOrg(server.em(), { role: 'MEMBER_CARE' });
      const stranger = await newCustomer(other);
      const response = await transfer(sender.id, stranger.id);
      expect(response.data!.pointsTransfer.userErrors).toEqual([{ code: 'CUSTOMER_NOT_FOUND', message: `No customer has USER_ID "${stranger.id}".`, field: ['input', 'to'] }]);
      const byMobile = await transfer(sender.id, stranger.id, { to: { type: 'MOBILE', value: stranger.mobile } });
      expect(byMobile.data!.pointsTransfer.userErrors.map((error) => [error.code, error.field])).toEqual([['CUSTOMER_NOT_FOUND', ['input', 'to']]]);
      await expectNothingMoved();
      expect(await ledgerEntries(server.em(), stranger.id)).toBe(0);
    });

    it('the sender as the recipient, however it is named', async () => {
      const response = await transfer(sender.id, sender.id, { to: { type: 'MOBILE', value: sender.mobile } });
      expect(response.data!.pointsTransfer.userErrors).toEqual([
        { code: 'POINTS_TRANSFER_TO_SELF', message: 'Points cannot be transferred to the customer they come from.', field: ['input', 'to'] },
      ]);
      await expectNothingMoved();
    });

    it('more points than the sender has', async () => {
      const response = await transfer(sender.id, recipient.id, { points: 26 });
      expect(response.data!.pointsTransfer.userErrors).toEqual([{ code: 'INSUFFICIENT_POINTS', message: 'Only 25 points are available; 26 were asked for.', field: ['input', 'points'] }]);
      await expectNothingMoved();
    });

    it("more points than the org's cap", async () => {
      const response = await transfer(sender.id, recipient.id, { points: 10_001 });
      expect(response.data!.pointsTransfer.userErrors).toEqual([{ code: 'POINTS_TRANSFER_OVER_CAP', message: 'A transfer may move at most 10000 points.', field: ['input', 'points'] }]);
      await expectNothingMoved();
    });

    it.each([
      { name: 'no sender with a staff key', input: { from: null }, error: { code: 'INVALID_INPUT', message: 'from is required with a staff key.', field: ['input', 'from'] } },
      { name: 'an unknown sender', input: { from: { type: 'EMAIL' as const, value: 'nobody@example.com' } }, error: { code: 'CUSTOMER_NOT_FOUND', message: 'No customer has EMAIL "nobody@example.com".', field: ['input', 'from'] } },
      { name: 'zero points', input: { points: 0 }, error: { code: 'INVALID_INPUT', message: 'points must be a whole number from 1 to 2147483647.', field: ['input', 'points'] } },
      { name: 'a blank idempotency key', input: { idempotencyKey: ' ' }, error: { code: 'INVALID_INPUT', message: 'idempotencyKey is required.', field: ['input', 'idempotencyKey'] } },
    ])('$name', async ({ input, error }) => {
      const response = await transfer(sender.id, recipient.id, input);
      expect(response.data!.pointsTransfer.userErrors).toEqual([error]);
      await expectNothingMoved();
    });

    it('a VIEWER key, with a top-level FORBIDDEN error', async () => {
      const viewer = gqlClient(server.url, await createApiKey(server.em(), org.orgId, 'VIEWER'));
      const response = await transfer(sender.id, recipient.id, {}, viewer);
      expect(response.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      await expectNothingMoved();
    });
  });

  it('follows the cap an ADMIN sets with orgSettingsUpdate', async () => {
    const capped = await createOrg(server.em(), { role: 'ADMIN' });
    const admin = gqlClient(server.url, capped.key);
    const care = gqlClient(server.url, await createApiKey(server.em(), capped.orgId, 'MEMBER_CARE'));
    const sender = await newCustomer(capped);
    const recipient = await newCustomer(capped);
    await goodwill(sender.id, 100, care);

    const set = await typedRequest(admin, PointsTransferCapUpdateDocument, { cap: 40 });
    expect(set.data!.orgSettingsUpdate).toEqual({ org: { id: globalId('Org', capped.orgId), pointsTransferCap: 40 }, userErrors: [] });
    const over = await transfer(sender.id, recipient.id, { points: 41 }, care);
    expect(over.data!.pointsTransfer.userErrors).toEqual([{ code: 'POINTS_TRANSFER_OVER_CAP', message: 'A transfer may move at most 40 points.', field: ['input', 'points'] }]);
    const within = await transfer(sender.id, recipient.id, { points: 40 }, care);
    expect(within.data!.pointsTransfer.userErrors).toEqual([]);
    expect(within.data!.pointsTransfer.recipient!.loyalty[0].pointsBalance).toBe(40);

    const invalid = await typedRequest(admin, PointsTransferCapUpdateDocument, { cap: 0 });
    expect(invalid.data!.orgSettingsUpdate.userErrors.map((error) => [error.code, error.field])).toEqual([['INVALID_INPUT', ['input', 'pointsTransferCap']]]);
    const refused = await typedRequest(care, PointsTransferCapUpdateDocument, { cap: 1000 });
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const [row] = await server.em().execute<{ points_transfer_cap: number }[]>('select points_transfer_cap from org where id = ?', [capped.orgId]);
    expect(row.points_transfer_cap).toBe(40);
  });

  it('never overdraws a sender under concurrent transfers', async () => {
    const sender = await newCustomer();
    const recipients = await Promise.all(Array.from({ length: 3 }, () => newCustomer()));
    await goodwill(sender.id, 100);
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, n) => transfer(sender.id, recipients[n % 3].id, { points: 10 }, gqlClient(server.url, org.key))),
    );
    const codes: string[] = responses.map((response) => response.data!.pointsTransfer.userErrors[0]?.code ?? 'OK');
    expect(codes.filter((code) => code === 'OK')).toHaveLength(10);
    expect(codes.filter((code) => code === 'INSUFFICIENT_POINTS')).toHaveLength(2);
    expect(await balanceOf(sender.id)).toBe(0);
    const received = await Promise.all(recipients.map((recipient) => balanceOf(recipient.id)));
    expect(received.reduce((sum, points) => sum + points, 0)).toBe(100);
  });

  it('lets two customers send to each other at once without a deadlock', async () => {
    const a = await newCustomer();
    const b = await newCustomer();
    await goodwill(a.id, 100);
    await goodwill(b.id, 100);
    // Each side locks both customers; in opposite orders, these would deadlock and fail.
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, n) => (n % 2 === 0 ? transfer(a.id, b.id, { points: 10 }, gqlClient(server.url, org.key)) : transfer(b.id, a.id, { points: 10 }, gqlClient(server.url, org.key)))),
    );
    expect(responses.map((response) => response.errors ?? response.data!.pointsTransfer.userErrors)).toEqual(Array.from({ length: 10 }, () => []));
    expect(await balanceOf(a.id)).toBe(100);
    expect(await balanceOf(b.id)).toBe(100);
  });
});
