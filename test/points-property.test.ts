import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.js';
import { expireDuePoints } from '../src/domain/points/expiry.service.js';
import { appendLedgerEntry } from '../src/domain/points/points.service.js';
import type { ServiceContext } from '../src/domain/context.js';
import { CustomerPointsDocument, GoodwillPointsIssueDocument, PointsRedeemDocument, TransactionAddDocument } from './generated/graphql.js';
import { gqlClient, globalId, typedRequest, type GqlClient } from './support/client.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCustomer, createOrg, serviceContext, type TestOrg } from './support/world.js';

/*
 * Property: whatever sequence of earning, goodwill, spending and expiry a customer goes through,
 * the balance the API shows is the sum of the ledger, never negative, and what a simple model of
 * lots predicts (spending takes the earliest-expiring points, expiry takes what is left of a lot).
 */

const DAY = 86_400_000;
const EXPIRY_DAYS = 365;

type Operation =
  | { readonly kind: 'earn'; readonly cents: number }
  | { readonly kind: 'goodwill'; readonly points: number }
  /** Points an import brings with an expiry of their own, so lots do not expire in the order they came. */
  | { readonly kind: 'import'; readonly points: number; readonly expiresInDays: number }
  | { readonly kind: 'redeem'; readonly points: number }
  | { readonly kind: 'expire'; readonly days: number };

/** Weighted towards imports, spending and expiry: the operations whose order decides which lots are left. */
const operation: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('earn' as const), cents: fc.integer({ min: 1, max: 80_000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('goodwill' as const), points: fc.integer({ min: 1, max: 300 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('import' as const), points: fc.integer({ min: 1, max: 300 }), expiresInDays: fc.integer({ min: 1, max: 400 }) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('redeem' as const), points: fc.integer({ min: 1, max: 400 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('expire' as const), days: fc.integer({ min: 0, max: 400 }) }) },
);

/** The customer's lots as the model sees them. */
class Model {
  private lots: { rest: number; expiresAt: number; order: number }[] = [];
  private credited = 0;
  private lifetimePurchasesCents = 0;

  balance(): number {
    return this.lots.reduce((sum, lot) => sum + lot.rest, 0);
  }

  /** The test org's tiers: Gold from 1,000 of purchases (×1.5), Platinum from 5,000 (×2). */
  earn(cents: number, now: number): number {
    const multiplier = this.lifetimePurchasesCents >= 500_000 ? 2 : this.lifetimePurchasesCents >= 100_000 ? 1.5 : 1;
    this.lifetimePurchasesCents += cents;
    const points = Math.floor((cents * multiplier) / 100 + 1e-9);
    this.credit(points, now);
    return points;
  }

  credit(points: number, now: number, days = EXPIRY_DAYS): void {
    if (points > 0) this.lots.push({ rest: points, expiresAt: now + days * DAY, order: this.credited++ });
  }

  expire(now: number): void {
    this.lots = this.lots.filter((lot) => lot.expiresAt > now);
  }

  /** Whether spending succeeds; takes from the lots that expire first. */
  redeem(points: number, now: number): boolean {
    this.expire(now);
    if (this.balance() < points) return false;
    let wanted = points;
    for (const lot of [...this.lots].sort((a, b) => a.expiresAt - b.expiresAt || a.order - b.order)) {
      const take = Math.min(wanted, lot.rest);
      lot.rest -= take;
      wanted -= take;
    }
    this.lots = this.lots.filter((lot) => lot.rest > 0);
    return true;
  }
}

describe('points ledger property', () => {
  const clock = new ManualClock(new Date('2024-03-01T04:00:00Z'));
  let server: TestServer;
  let org: TestOrg;
  let client: GqlClient;
  let storeCode: string;
  let importCtx: ServiceContext;
  let runs = 0;

  beforeAll(async () => {
    server = await startTestServer({ clock });
    org = await createOrg(server.em(), { role: 'MEMBER_CARE' });
    client = gqlClient(server.url, org.key);
    importCtx = await serviceContext(server, org, 'import-job:1', clock);
    [{ code: storeCode }] = await server.em().execute<{ code: string }[]>('select code from store where id = ?', [org.storeIds[0]]);
  });
  afterAll(() => server?.stop());

  async function apply(customerId: number, op: Operation, model: Model, step: number): Promise<void> {
    const customer = { type: 'USER_ID' as const, value: String(customerId) };
    const now = clock.now().getTime();
    if (op.kind === 'earn') {
      const response = await typedRequest(client, TransactionAddDocument, {
        input: { customer, storeCode, billNumber: `P${customerId}-${step}`, amount: op.cents / 100, occurredAt: clock.now().toISOString() },
      });
      expect(response.data?.transactionAdd.userErrors).toEqual([]);
      expect(response.data?.transactionAdd.transaction?.totalPoints).toBe(model.earn(op.cents, now));
    } else if (op.kind === 'goodwill') {
      const response = await typedRequest(client, GoodwillPointsIssueDocument, {
        input: { customer, points: op.points, reason: 'Property', idempotencyKey: `p-${customerId}-${step}` },
      });
      expect(response.data?.goodwillPointsIssue.userErrors).toEqual([]);
      model.credit(op.points, now);
    } else if (op.kind === 'import') {
      await appendLedgerEntry(importCtx, { customer: { id: customerId }, points: op.points, source: 'import-job:1', expiresAt: new Date(now + op.expiresInDays * DAY) });
      model.credit(op.points, now, op.expiresInDays);
    } else if (op.kind === 'redeem') {
      const response = await typedRequest(client, PointsRedeemDocument, {
        input: { customer, points: op.points, reason: 'Property', idempotencyKey: `r-${customerId}-${step}` },
      });
      const succeeded = model.redeem(op.points, now);
      expect(response.data?.pointsRedeem.userErrors.map((error) => error.code)).toEqual(succeeded ? [] : ['INSUFFICIENT_POINTS']);
    } else {
      clock.advance(op.days * DAY);
      await expireDuePoints({ em: server.em(), clock }, { orgId: org.orgId });
      model.expire(clock.now().getTime());
    }
  }

  async function assertBalances(customerId: number, model: Model): Promise<void> {
    const response = await typedRequest(client, CustomerPointsDocument, { id: globalId('Customer', customerId) });
    const shown = response.data?.customer?.loyalty[0]?.pointsBalance ?? 0;
    const [sums] = await server.em().execute<{ ledger: string; rests: string }[]>(
      `select coalesce(sum(l.points), 0) as ledger,
          coalesce(sum(l.points - coalesce((select sum(a.points) from points_allocation a where a.credit_entry_id = l.id), 0)) filter (where l.points > 0), 0) as rests
        from points_ledger_entry l where l.customer_id = ?`,
      [customerId],
    );
    expect(shown).toBe(Number(sums.ledger));
    expect(shown).toBeGreaterThanOrEqual(0);
    // Every debit is allocated to lots: what the lots still hold is the balance.
    expect(Number(sums.rests)).toBe(shown);
    expect(shown).toBe(model.balance());
  }

  it('the balance is always the sum of the ledger, never negative, and what the lot model predicts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 12 }), async (operations) => {
        runs += 1;
        const customerId = await createCustomer(server.em(), org, { mobile: `6595${String(runs).padStart(6, '0')}` });
        const model = new Model();
        for (const [step, op] of operations.entries()) {
          await apply(customerId, op, model, step);
          await assertBalances(customerId, model);
        }
      }),
      { numRuns: 40 },
    );
  });
});
