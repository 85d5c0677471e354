import pg from 'pg';
import { initOrm, migrateUp } from '../../src/app/orm.js';
import { setUpOrg } from '../../src/app/seed/org-setup.js';
import type { Log } from './dataset.js';
import { recreateDatabase } from './dataset.js';

/**
 * The mutation benchmark's data, rebuilt on every run (the runs spend it): one org set up like any
 * other, `customers` enrolled customers with consecutive ids, and single-use, holder-only coupons
 * `BENCH-1…`, coupon i held by customer `first + (i - 1) mod customers`.
 */
export interface MutationDataset {
  readonly orgId: number;
  readonly firstCustomerId: number;
  readonly customers: number;
  readonly coupons: number;
  readonly rowCounts: Record<string, number>;
}

export const COUPON_PREFIX = 'BENCH-';

/** The customer holding coupon `BENCH-<index>` (1-based). */
export function couponHolder(dataset: Pick<MutationDataset, 'firstCustomerId' | 'customers'>, index: number): number {
  return dataset.firstCustomerId + ((index - 1) % dataset.customers);
}

/**
 * A new database at `url` (dropped first) with the migrations applied and one org set up like any
 * other (Singapore, three stores, a default program with tiers): the start of every write benchmark.
 */
export async function createBenchOrg(url: string, org: { readonly slug: string; readonly name: string }, log: Log): Promise<{ orgId: number; programId: number; baseTierId: number }> {
  await recreateDatabase(url);
  const orm = await initOrm(url);
  try {
    log(`Applied migrations: ${(await migrateUp(orm)).join(', ')}`);
    const setup = await setUpOrg(orm.em.fork(), {
      ...org,
      timeZone: 'Asia/Singapore',
      baseCountry: 'SG',
      countryCallingCode: '65',
      mobileRegex: '^65[0-9]{8}$',
    });
    return { orgId: setup.orgId, programId: setup.programId, baseTierId: setup.tierIds[0] };
  } finally {
    await orm.close();
  }
}

export async function buildMutationDataset(options: { readonly url: string; readonly customers: number; readonly coupons: number; readonly log: Log }): Promise<MutationDataset> {
  const { url, customers, coupons, log } = options;
  const { orgId, programId, baseTierId } = await createBenchOrg(url, { slug: 'bench-mutations', name: 'Bench Coffee' }, log);

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `insert into customer (org_id, first_name, last_name, mobile, joined_at, created_at, updated_at)
        select $1, 'Bench', 'Customer ' || g, (6580000000 + g)::text, now(), now(), now() from generate_series(1, $2::int) g`,
      [orgId, customers],
    );
    await client.query(
      `insert into loyalty_enrollment (org_id, program_id, customer_id, tier_id, lifetime_purchases, enrolled_at)
        select $1, $2, id, $3, 0, now() from customer where org_id = $1`,
      [orgId, programId, baseTierId],
    );
    const { rows: first } = await client.query<{ id: string }>('select min(id) as id from customer where org_id = $1', [orgId]);
    const firstCustomerId = Number(first[0].id);
    const { rows: series } = await client.query<{ id: string }>(
      `insert into incentive_series (org_id, kind, code, max_redemptions_per_code, holder_only, created_at) values ($1, 'COUPON', 'BENCH', 1, true, now()) returning id`,
      [orgId],
    );
    await client.query(
      `insert into incentive (org_id, series_id, kind, code, status, holder_id, redemption_count, issued_at)
        select $1, $2, 'COUPON', $3 || g, 'ACTIVE', $4::bigint + (g - 1) % $5::int, 0, now() from generate_series(1, $6::int) g`,
      [orgId, series[0].id, COUPON_PREFIX, firstCustomerId, customers, coupons],
    );
    await client.query('analyze');
    const rowCounts: Record<string, number> = {};
    for (const table of ['customer', 'loyalty_enrollment', 'incentive']) {
      const { rows } = await client.query<{ n: string }>(`select count(*) as n from ${table}`);
      rowCounts[table] = Number(rows[0].n);
    }
    return { orgId, firstCustomerId, customers, coupons, rowCounts };
  } finally {
    await client.end();
  }
}
