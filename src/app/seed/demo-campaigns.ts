import type { EntityManager } from '@mikro-orm/postgresql';
import { ManualClock } from '../../core/clock.js';
import { selectRows } from '../../core/sql/rows.js';
import { inTransaction } from '../../core/sql/transaction.js';
import { createCampaign, joinCampaign } from '../../domain/campaign/campaign.service.js';
import type { ServiceContext } from '../../domain/context.js';
import { toOrgRow } from '../../domain/org/org.rows.js';
import { addTransaction } from '../../domain/transaction/transaction.service.js';

const DAY_MS = 86_400_000;

/** The demo's campaigns, by code. */
export const DEMO_CAMPAIGNS = {
  spend: { code: 'SPEND500', name: 'Spend 500, earn 250 bonus points', target: 500, points: 250 },
  visits: { code: 'FIVEVISITS', name: 'Five visits, 100 bonus points', target: 5, points: 100 },
} as const;

/** One demo customer's last two weeks: when they joined the opt-in campaign, and their purchases (days ago, amount). */
interface RecentActivity {
  /** Index among the demo's 40 customers. */
  readonly customer: number;
  readonly joinsVisitsDaysAgo?: number;
  readonly purchases: readonly (readonly [daysAgo: number, amount: number])[];
}

/**
 * Who did what, chosen so that the campaigns show every state: the first customer (mobile
 * 6591000000, who signs in to the partner app) partway through both; the second completes the
 * spend campaign; one is one purchase away; one joined the opt-in campaign and has not been back;
 * an on-hold customer's purchase counts toward nothing; most have no progress at all.
 */
const RECENT_ACTIVITY: readonly RecentActivity[] = [
  { customer: 0, joinsVisitsDaysAgo: 9.5, purchases: [[8.2, 42.5], [5.1, 58], [2.3, 79.5]] },
  { customer: 1, purchases: [[12.4, 180], [7.2, 240], [3.3, 120]] },
  { customer: 2, joinsVisitsDaysAgo: 8.6, purchases: [[6.4, 35], [1.2, 31]] },
  { customer: 3, purchases: [[13.1, 210], [4.4, 150]] },
  { customer: 4, joinsVisitsDaysAgo: 9.1, purchases: [] },
  { customer: 5, purchases: [[10.3, 95]] },
  { customer: 6, purchases: [[11.2, 60], [1.4, 420]] },
  { customer: 9, purchases: [[5.3, 120]] },
  ...[10, 12, 14, 16, 18].map((customer) => ({ customer, purchases: [[(customer % 12) + 0.5, 20 + ((customer * 17) % 90)] as const] })),
];

/**
 * The demo org's campaigns, and progress made the way a till makes it: purchases recorded through
 * `addTransaction` (as `transactionAdd` does), each at its own time on a clock walked forward, so
 * progress, the completion's CAMPAIGN lot, timeline events and audit all agree. One transaction:
 * the campaigns land whole or not at all.
 *
 * - "Spend 500" (SPEND, open to every ACTIVE customer): started 14 days ago, ends in 16.
 * - "Five visits" (VISITS, opt-in): started 10 days ago, ends in 20.
 */
export async function seedDemoCampaigns(em: EntityManager, orgId: number, customerIds: readonly number[], storeIds: readonly number[], now: Date): Promise<void> {
  const [row] = await selectRows(em, 'select * from org where id = ?', [orgId]);
  const org = toOrgRow(row);
  const clock = new ManualClock(now);
  const ago = (days: number): Date => new Date(now.getTime() - days * DAY_MS);
  const ctx: ServiceContext = { org, actor: 'demo-seed', timeZone: org.timeZone, em: em.fork(), clock };

  await inTransaction(ctx, async (tx) => {
    clock.set(ago(15));
    await createCampaign(tx, {
      code: DEMO_CAMPAIGNS.spend.code,
      name: DEMO_CAMPAIGNS.spend.name,
      description: 'Spend 500 or more at any Demo Coffee store before the campaign ends.',
      startsAt: ago(14),
      endsAt: ago(-16),
      goal: { kind: 'SPEND', target: DEMO_CAMPAIGNS.spend.target },
      reward: { points: DEMO_CAMPAIGNS.spend.points },
    });
    clock.set(ago(11));
    const visits = await createCampaign(tx, {
      code: DEMO_CAMPAIGNS.visits.code,
      name: DEMO_CAMPAIGNS.visits.name,
      description: 'Join, then visit us five times before the campaign ends.',
      startsAt: ago(10),
      endsAt: ago(-20),
      requiresOptIn: true,
      goal: { kind: 'VISITS', target: DEMO_CAMPAIGNS.visits.target },
      reward: { points: DEMO_CAMPAIGNS.visits.points },
    });

    const events = RECENT_ACTIVITY.flatMap((activity) => {
      const customerId = customerIds[activity.customer] as number;
      const join = activity.joinsVisitsDaysAgo === undefined ? [] : [{ daysAgo: activity.joinsVisitsDaysAgo, run: () => joinCampaign(tx, { campaignId: visits.id, customer: { id: customerId } }) }];
      const purchases = activity.purchases.map(([daysAgo, amount], k) => ({
        daysAgo,
        run: () =>
          addTransaction(tx, {
            customer: { id: customerId },
            store: { id: storeIds[(activity.customer + k) % storeIds.length] as number },
            billNumber: `C${activity.customer + 1}-${k + 1}`,
            amount,
            occurredAt: ago(daysAgo),
            lineItems: [{ sku: 'LATTE-L', description: 'Large latte', quantity: 1, amount }],
            source: 'demo-seed',
            allowBackdating: true,
          }),
      }));
      return [...join, ...purchases];
    });
    // Oldest first: a purchase counts toward an opt-in campaign only after the customer joined it.
    for (const event of events.sort((a, b) => b.daysAgo - a.daysAgo)) {
      clock.set(ago(event.daysAgo));
      await event.run();
    }
  });
}
