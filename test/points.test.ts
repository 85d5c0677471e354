import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PgBoss } from 'pg-boss';
import { ManualClock } from '../src/core/clock.js';
import { inTransaction } from '../src/core/sql/transaction.js';
import { DomainError } from '../src/core/errors.js';
import { expireDuePoints } from '../src/domain/points/expiry.service.js';
import { appendLedgerEntry, issueGoodwillPoints } from '../src/domain/points/points.service.js';
import type { ServiceContext } from '../src/domain/context.js';
import { CustomerPointsDocument, GoodwillPointsIssueDocument, PointsRedeemDocument, type PointsRedeemMutationVariables } from './generated/graphql.js';
import { gqlClient, globalId, typedRequest, type GqlClient } from './support/client.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCustomer, createOrg, ledgerEntries, serviceContext, type TestOrg } from './support/world.js';

const DAY = 86_400_000;
const START = new Date('2024-03-01T04:00:00Z');

describe('points ledger', () => {
  const clock = new ManualClock(START);
  let server: TestServer;
  let org: TestOrg;
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

  async function newCustomer(): Promise<number> {
    customers += 1;
    return createCustomer(server.em(), org, { mobile: `659100${String(customers).padStart(4, '0')}` });
  }

  async function goodwill(customerId: number, points: number): Promise<void> {
    const response = await typedRequest(client, GoodwillPointsIssueDocument, {
      input: { customer: { type: 'USER_ID', value: String(customerId) }, points, reason: 'Goodwill', idempotencyKey: crypto.randomUUID() },
    });
    expect(response.data?.goodwillPointsIssue.userErrors).toEqual([]);
  }

  function redeem(customerId: number, input: Partial<PointsRedeemMutationVariables['input']> = {}, as: GqlClient = client) {
    return typedRequest(as, PointsRedeemDocument, {
      input: { customer: { type: 'USER_ID', value: String(customerId) }, points: 10, reason: 'Free coffee', idempotencyKey: crypto.randomUUID(), ...input },
    });
  }

  async function pointsOf(customerId: number) {
    const response = await typedRequest(client, CustomerPointsDocument, { id: globalId('Customer', customerId) });
    expect(response.errors).toBeUndefined();
    return response.data!.customer!;
  }

  describe('pointsRedeem', () => {
    it('spends the points that expire first, whenever they were credited', async () => {
      const id = await newCustomer();
      await goodwill(id, 100); // expires in 365 days
      // Credited later, expires sooner: an import with an explicit expiry.
      await appendLedgerEntry(ctx, { customer: { id }, points: 30, source: 'import-job:7', expiresAt: new Date(START.getTime() + 30 * DAY) });

      const response = await redeem(id, { points: 40, reason: 'Mug' });
      expect(response.data!.pointsRedeem).toMatchObject({
        ledgerEntry: { kind: 'REDEMPTION', points: -40, remainingPoints: null, reason: 'Mug', expiresAt: null },
        customer: { loyalty: [{ pointsBalance: 90, lifetimePoints: 130 }] },
        replayed: false,
        userErrors: [],
      });
      const ledger = (await pointsOf(id)).pointsLedger.nodes;
      expect(ledger.map((entry) => [entry.kind, entry.points, entry.remainingPoints])).toEqual([
        ['REDEMPTION', -40, null],
        ['IMPORT', 30, 0],
        ['GOODWILL', 100, 90],
      ]);
    });

    it('refuses to take more than the balance, and writes nothing', async () => {
      const id = await newCustomer();
      await goodwill(id, 25);
      const response = await redeem(id, { points: 26 });
      expect(response.data!.pointsRedeem).toEqual({
        ledgerEntry: null,
        customer: null,
        replayed: null,
        userErrors: [{ code: 'INSUFFICIENT_POINTS', message: 'Only 25 points are available; 26 were asked for.', field: ['input', 'points'] }],
      });
      expect(await ledgerEntries(server.em(), id)).toBe(1);
    });

    it('returns the first result for a repeated key', async () => {
      const id = await newCustomer();
      await goodwill(id, 50);
      const idempotencyKey = crypto.randomUUID();
      const first = await redeem(id, { idempotencyKey, points: 20 });
      const again = await redeem(id, { idempotencyKey, points: 20 });
      expect(again.data!.pointsRedeem).toMatchObject({ replayed: true, ledgerEntry: { id: first.data!.pointsRedeem.ledgerEntry!.id } });
      expect((await pointsOf(id)).loyalty[0].pointsBalance).toBe(30);
    });

    it('never overdraws under concurrent spending', async () => {
      const id = await newCustomer();
      await goodwill(id, 100);
      const responses = await Promise.all(Array.from({ length: 12 }, () => redeem(id, { points: 10 }, gqlClient(server.url, org.key))));
      const codes: string[] = responses.map((response) => response.data!.pointsRedeem.userErrors[0]?.code ?? 'OK');
      expect(codes.filter((code) => code === 'OK')).toHaveLength(10);
      expect(codes.filter((code) => code === 'INSUFFICIENT_POINTS')).toHaveLength(2);
      expect((await pointsOf(id)).loyalty[0].pointsBalance).toBe(0);
    });

    describe('refuses, writing nothing', () => {
      let id: number;
      beforeAll(async () => {
        id = await newCustomer();
        await goodwill(id, 10);
      });

      it.each([
        { name: 'zero points', input: { points: 0 }, error: { code: 'INVALID_INPUT', message: 'points must be a whole number from 1 to 2147483647.', field: ['input', 'points'] } },
        { name: 'a blank reason', input: { reason: '' }, error: { code: 'INVALID_INPUT', message: 'reason is required.', field: ['input', 'reason'] } },
        { name: 'a malformed program id', input: { programId: 'nope' }, error: { code: 'PROGRAM_NOT_FOUND', message: 'The org has no loyalty program with that id.', field: ['input', 'programId'] } },
        { name: 'a blank idempotency key', input: { idempotencyKey: ' ' }, error: { code: 'INVALID_INPUT', message: 'idempotencyKey is required.', field: ['input', 'idempotencyKey'] } },
      ])('$name', async ({ input, error }) => {
        const response = await redeem(id, input);
        expect(response.data!.pointsRedeem.userErrors).toEqual([error]);
        expect(await ledgerEntries(server.em(), id)).toBe(1);
      });

      it('an unknown customer', async () => {
        const response = await redeem(987_654_321);
        expect(response.data!.pointsRedeem.userErrors).toEqual([
          { code: 'CUSTOMER_NOT_FOUND', message: 'No customer has USER_ID "987654321".', field: ['input', 'customer'] },
        ]);
      });

      it('a key already used with a different input', async () => {
        const idempotencyKey = crypto.randomUUID();
        await redeem(id, { idempotencyKey, points: 1 });
        const response = await redeem(id, { idempotencyKey, points: 2 });
        expect(response.data!.pointsRedeem.userErrors[0].code).toBe('IDEMPOTENCY_KEY_REUSED');
        expect((await pointsOf(id)).loyalty[0].pointsBalance).toBe(9);
      });
    });

    it('is refused to a VIEWER key with a top-level FORBIDDEN error', async () => {
      const viewer = gqlClient(server.url, (await createOrg(server.em(), { role: 'VIEWER' })).key);
      const response = await redeem(1, {}, viewer);
      expect(response.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    });
  });

  describe('expiry', () => {
    it('the job expires only what is left of a due lot, once, however often it runs', async () => {
      const id = await newCustomer();
      await appendLedgerEntry(ctx, { customer: { id }, points: 60, source: 'import-job:7', expiresAt: new Date(START.getTime() + 30 * DAY) });
      await goodwill(id, 5); // expires in a year
      await redeem(id, { points: 20 });
      expect((await pointsOf(id)).loyalty[0].pointsExpiringSoon).toEqual({ points: 40, earliestExpiresAt: '2024-03-31T12:00:00+08:00', withinDays: 30 });

      clock.advance(31 * DAY);
      // Twice at once, then once more: the lot's rest expires exactly once.
      await Promise.all([expireDuePoints({ em: server.em(), clock }, { orgId: org.orgId }), expireDuePoints({ em: server.em(), clock }, { orgId: org.orgId })]);
      const again = await expireDuePoints({ em: server.em(), clock }, { orgId: org.orgId });
      expect(again).toEqual({ owners: 0, entries: 0, points: 0, failed: 0 });

      const after = await pointsOf(id);
      expect(after.loyalty[0]).toMatchObject({ pointsBalance: 5, lifetimePoints: 65, pointsExpiringSoon: { points: 0, earliestExpiresAt: null } });
      const [expiry, ...older] = after.pointsLedger.nodes;
      expect(expiry).toMatchObject({ kind: 'EXPIRY', points: -40, source: 'points-expiry', expiredLot: { id: older.find((entry) => entry.kind === 'IMPORT')!.id } });
      expect(older.find((entry) => entry.kind === 'IMPORT')?.remainingPoints).toBe(0);
      expect(after.timeline.nodes).toEqual([{ summary: '40 points expired' }]);
    });

    it('runs on the job queue, scheduled every hour', async () => {
      const schedules = await server.em().execute<{ name: string; cron: string }[]>(`select name, cron from pgboss.schedule where name = 'points-expiry'`);
      expect(schedules).toEqual([{ name: 'points-expiry', cron: '0 * * * *' }]);

      const id = await newCustomer();
      await appendLedgerEntry(ctx, { customer: { id }, points: 25, source: 'import-job:7', expiresAt: new Date(START.getTime() + DAY) });
      clock.advance(2 * DAY);
      // What the schedule does on the hour: queue a run, which a worker of the server picks up.
      const boss = new PgBoss({ connectionString: server.databaseUrl, schema: 'pgboss', supervise: false, schedule: false, registerInstance: false });
      await boss.start();
      try {
        await boss.send('points-expiry', {});
      } finally {
        await boss.stop({ graceful: false });
      }
      // The balance leaves the due lot out at once; the job writes its EXPIRY entry.
      expect((await pointsOf(id)).loyalty[0].pointsBalance).toBe(0);
      for (let tries = 0; (await pointsOf(id)).pointsLedger.nodes[0].kind !== 'EXPIRY'; tries++) {
        expect(tries, 'the queued expiry ran within 15 s').toBeLessThan(150);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect((await pointsOf(id)).pointsLedger.nodes[0]).toMatchObject({ kind: 'EXPIRY', points: -25 });
      expect((await pointsOf(id)).loyalty[0].pointsBalance).toBe(0);
    });

    it('spending never takes points that are due, even before the job ran', async () => {
      const id = await newCustomer();
      await appendLedgerEntry(ctx, { customer: { id }, points: 50, source: 'import-job:7', expiresAt: new Date(START.getTime() + 10 * DAY) });
      await goodwill(id, 8);
      clock.advance(11 * DAY);
      const response = await redeem(id, { points: 10 });
      expect(response.data!.pointsRedeem.userErrors).toEqual([
        { code: 'INSUFFICIENT_POINTS', message: 'Only 8 points are available; 10 were asked for.', field: ['input', 'points'] },
      ]);
      const spent = await redeem(id, { points: 8 });
      expect(spent.data!.pointsRedeem.customer?.loyalty[0].pointsBalance).toBe(0);
      // The spending expired the due lot on its way.
      expect((await pointsOf(id)).pointsLedger.nodes.map((entry) => entry.kind)).toEqual(['REDEMPTION', 'EXPIRY', 'GOODWILL', 'IMPORT']);
    });
  });

  describe('the database keeps the ledger append-only', () => {
    it.each(['update points_ledger_entry set points = points + 1', 'delete from points_ledger_entry', 'update points_allocation set points = 1', 'delete from points_allocation'])(
      '%s is refused',
      async (sql) => {
        const id = await newCustomer();
        await goodwill(id, 10);
        await redeem(id, { points: 5 });
        await expect(server.em().execute(sql)).rejects.toThrow(/append-only/);
      },
    );
  });

  describe('inside a caller’s transaction (an import batch)', () => {
    it('a row that fails rolls back alone: its savepoint undoes even its idempotency claim', async () => {
      const id = await newCustomer();
      const key = `import-job:7:row:${id}`;
      const rejected: string[] = [];
      const rows = [
        { points: 10, idempotencyKey: `${key}-1` },
        { points: 99_999, idempotencyKey: `${key}-2` }, // over the cap: fails after claiming its key
        { points: 20, idempotencyKey: `${key}-2` }, // the corrected row, same key
      ];
      const results = await inTransaction(ctx, async (batch) => {
        const done = [];
        for (const row of rows) {
          try {
            done.push(await issueGoodwillPoints(batch, { customer: { id }, reason: 'Imported goodwill', source: 'import-job:7', ...row }));
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            rejected.push(error.code);
          }
        }
        return done;
      });
      expect(rejected).toEqual(['GOODWILL_POINTS_OVER_CAP']);
      expect(results.map((result) => result.replayed)).toEqual([false, false]);
      expect((await pointsOf(id)).loyalty[0].pointsBalance).toBe(30);
      const written = await server.em().execute(`select created_by, source from points_ledger_entry where customer_id = ?`, [id]);
      expect(written).toEqual([
        { created_by: 'import-job:7', source: 'import-job:7' },
        { created_by: 'import-job:7', source: 'import-job:7' },
      ]);
    });

    it('standalone, a service opens its own transaction', async () => {
      const id = await newCustomer();
      const result = await appendLedgerEntry(ctx, { customer: { id }, points: 15, source: 'import-job:7', idempotencyKey: `standalone-${id}` });
      const replay = await appendLedgerEntry(ctx, { customer: { id }, points: 15, source: 'import-job:7', idempotencyKey: `standalone-${id}` });
      expect(replay).toEqual({ ...result, replayed: true });
      expect(await ledgerEntries(server.em(), id)).toBe(1);
    });
  });
});
