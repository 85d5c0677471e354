import { mkdir, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { freePort } from '../src/app/embedded-db.js';
import type { LoadRunOptions, LoadRunResult } from './lib/autocannon-run.js';
import {
  Cleanup,
  hasGraphqlErrors,
  insertApiKey,
  log,
  NODE,
  postGraphql,
  postgresVersion,
  requestHeaders,
  RESULTS_DIR,
  runBenchMain,
  ROOT,
  startGraphqlServer,
  thousands,
  writeAtomically,
  type Target,
} from './lib/bench-support.js';
import { startChildServer } from './lib/child-server.js';
import { formatProfileSummary, summarizeProfile } from './lib/cpu-profile.js';
import { openBenchDatabase } from './lib/dataset.js';
import { buildMutationDataset, COUPON_PREFIX, couponHolder, type MutationDataset } from './lib/mutation-dataset.js';
import { DEFAULT_ROUNDS, runPairedRounds, type PairedRuns } from './lib/paired-rounds.js';

/**
 * `npm run bench:mutations`: goodwill issues and coupon redemptions per second through the real
 * GraphQL server, with 50 concurrent clients on distinct customers, beside a floor measured in the
 * same run: a bare node + pg server making the same writes in the same transactions.
 *
 * Every request is a new change (a new idempotency key; for coupons a coupon not yet redeemed, of
 * the customer the request names), so nothing is answered from a replay. The dataset is rebuilt
 * each run, since the runs spend it. Both servers run side by side and are measured in alternating
 * rounds (see lib/paired-rounds.ts): the ratio is the median of the rounds' own ratios.
 *
 * Flags: --customers N, --connections N, --duration S (each measured run), --warmup S, --rounds N.
 */

const DATABASE = 'bench_mutations';
const MAX_ERROR_RATE = 0.01;

const GOODWILL_OPERATION = `mutation GoodwillPointsIssue($input: GoodwillPointsIssueInput!) {
  goodwillPointsIssue(input: $input) { ledgerEntry { id points } replayed userErrors { code message } }
}`;

const COUPON_OPERATION = `mutation CouponRedeem($input: CouponRedeemInput!) {
  couponRedeem(input: $input) { redemption { id sequence } replayed userErrors { code message } }
}`;

interface BenchOptions {
  readonly customers: number;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly rounds: number;
  readonly profile: boolean;
}

function readOptions(): BenchOptions {
  const { values } = parseArgs({
    options: {
      customers: { type: 'string', default: '20000' },
      connections: { type: 'string', default: '50' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      rounds: { type: 'string', default: String(DEFAULT_ROUNDS) },
      profile: { type: 'boolean', default: false },
    },
  });
  const positive = (name: string, value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`--${name} must be a positive integer, got "${value}"`);
    return parsed;
  };
  return {
    customers: positive('customers', values.customers),
    connections: positive('connections', values.connections),
    durationSeconds: positive('duration', values.duration),
    warmupSeconds: positive('warmup', values.warmup),
    rounds: positive('rounds', values.rounds),
    profile: values.profile,
  };
}

// ---------------------------------------------------------------------------------------------
// Requests

type Mutation = 'goodwill' | 'coupon';

/**
 * Request bodies: goodwill cycles through the customers (consecutive requests, hence concurrent
 * ones, name distinct customers) with a fresh key each; coupon requests take the coupons of one
 * target's range in order, each for its holder.
 */
function bodies(dataset: MutationDataset, target: string, couponRange: { first: number; last: number }): Record<Mutation, () => string> {
  let goodwill = 0;
  let coupon = couponRange.first;
  return {
    goodwill: () => {
      goodwill += 1;
      const customerId = dataset.firstCustomerId + (goodwill % dataset.customers);
      return JSON.stringify({
        query: GOODWILL_OPERATION,
        operationName: 'GoodwillPointsIssue',
        variables: { input: { customer: { type: 'USER_ID', value: String(customerId) }, points: 25, reason: 'Bench goodwill', idempotencyKey: `${target}-gw-${goodwill}` } },
      });
    },
    coupon: () => {
      if (coupon > couponRange.last) throw new Error(`${target} ran out of coupons: raise the coupons per target`);
      const index = coupon++;
      return JSON.stringify({
        query: COUPON_OPERATION,
        operationName: 'CouponRedeem',
        variables: {
          input: {
            code: `${COUPON_PREFIX}${index}`,
            customer: { type: 'USER_ID', value: String(couponHolder(dataset, index)) },
            transactionNumber: `T-${index}`,
            billAmount: 42.5,
            idempotencyKey: `${target}-cr-${index}`,
          },
        },
      });
    },
  };
}

/** A failure even with HTTP 200: a GraphQL error or a user error. */
function failed(body: string): boolean {
  return hasGraphqlErrors(body) || !body.includes('"userErrors":[]');
}

// ---------------------------------------------------------------------------------------------
// Servers

async function startFloor(databaseUrl: string, orgId: number): Promise<Target> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const server = await startChildServer({
    name: 'floor',
    command: NODE,
    args: ['--import', 'tsx', 'bench/lib/mutation-floor-server.ts'],
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), ORG_ID: String(orgId) },
    ready: async () => (await postGraphql(url, { 'content-type': 'application/json' }, '{"operationName":"Ping"}')).status === 200,
    log,
  });
  return { name: 'floor', url, server };
}

type TargetRuns = Record<Mutation, LoadRunResult>;

function loadOptions(target: Target, mutation: Mutation, options: BenchOptions, headers: Record<string, string>, next: Record<Mutation, () => string>): LoadRunOptions {
  return {
    name: `${target.name} ${mutation}`,
    url: target.url,
    connections: options.connections,
    durationSeconds: options.durationSeconds,
    warmupSeconds: options.warmupSeconds,
    headers,
    nextBody: next[mutation],
    isErrorBody: failed,
  };
}

// ---------------------------------------------------------------------------------------------
// Checks on what was written

interface WriteChecks {
  /** Codes with more redemption rows than their count says, or than their series allows (must be 0). */
  readonly overRedeemedCoupons: number;
  /** Idempotency keys claimed without a result recorded (must be 0: every claim committed with its write). */
  readonly keysWithoutResult: number;
  /** Goodwill entries and redemptions written by each server. */
  readonly written: Record<string, { goodwillEntries: number; redemptions: number }>;
}

async function checkWrites(url: string, orgId: number): Promise<WriteChecks> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const over = await client.query<{ n: string }>(
      `select count(*) as n from incentive i join incentive_series s on s.id = i.series_id
        where i.org_id = $1 and (i.redemption_count > s.max_redemptions_per_code
          or i.redemption_count <> (select count(*) from incentive_redemption r where r.incentive_id = i.id))`,
      [orgId],
    );
    const keys = await client.query<{ n: string }>('select count(*) as n from idempotency_key where org_id = $1 and result_id is null', [orgId]);
    const written = await client.query<{ actor: string; goodwill: string; redemptions: string }>(
      `select actor, sum(goodwill) as goodwill, sum(redemptions) as redemptions from (
          select created_by as actor, 1 as goodwill, 0 as redemptions from points_ledger_entry where org_id = $1 and kind = 'GOODWILL'
          union all select created_by, 0, 1 from incentive_redemption where org_id = $1
        ) w group by actor order by actor`,
      [orgId],
    );
    return {
      overRedeemedCoupons: Number(over.rows[0].n),
      keysWithoutResult: Number(keys.rows[0].n),
      written: Object.fromEntries(written.rows.map((row) => [row.actor, { goodwillEntries: Number(row.goodwill), redemptions: Number(row.redemptions) }])),
    };
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Report

interface BenchReport {
  readonly benchmark: 'mutations';
  readonly date: string;
  readonly node: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly postgres: { readonly version: string; readonly embedded: boolean };
  readonly dataset: { readonly customers: number; readonly couponsPerTarget: number; readonly rowCounts: Record<string, number> };
  readonly load: { readonly connections: number; readonly durationSeconds: number; readonly warmupSeconds: number; readonly rounds: number };
  /** Each side's runs in the round whose ratio is the median. */
  readonly graphql: TargetRuns;
  readonly floor: TargetRuns;
  /** The median of the rounds' GraphQL req/s over floor req/s, per mutation. */
  readonly ratios: Record<Mutation, number>;
  /** Every round, per mutation. */
  readonly rounds: Record<Mutation, PairedRuns['rounds']>;
  /** The uncounted warm-up round, per mutation. */
  readonly warmupRounds: Record<Mutation, PairedRuns['warmupRound']>;
  readonly checks: WriteChecks;
  readonly errorsOk: boolean;
  readonly failures: string[];
}

function markdown(report: BenchReport): string {
  const row = (label: string, mutation: Mutation): string => {
    const g = report.graphql[mutation];
    const f = report.floor[mutation];
    const rounds = report.rounds[mutation].map((round) => round.ratio).join(', ');
    return (
      `| ${label} | **${report.ratios[mutation]}** | ${rounds} | ${thousands(Math.round(g.requestsPerSecond))} | ${thousands(Math.round(f.requestsPerSecond))} | ` +
      `${g.latencyMs.p50} / ${g.latencyMs.p99} | ${f.latencyMs.p50} / ${f.latencyMs.p99} | ${(g.errorRate * 100).toFixed(2)} % / ${(f.errorRate * 100).toFixed(2)} % |`
    );
  };
  return [
    '### Mutation benchmark: goodwill points and coupon redemptions',
    '',
    '| Mutation | GraphQL / floor throughput (median) | each round | GraphQL req/s | floor req/s | GraphQL p50 / p99 (ms) | floor p50 / p99 (ms) | errors (GraphQL / floor) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    row('`goodwillPointsIssue`', 'goodwill'),
    row('`couponRedeem`', 'coupon'),
    '',
    `${report.load.connections} concurrent clients on distinct customers. Both servers run side by side. Per mutation, an uncounted warm-up round (each side warmed in windows of ` +
      `${report.load.warmupSeconds} s until two agree within 10%, then a ${report.load.durationSeconds} s run), then ${report.load.rounds} alternating rounds (floor first in odd rounds, GraphQL first in even ones), ` +
      `each run ${report.load.durationSeconds} s after 2 s warm-up windows until two agree; the ratio is the median of the rounds' ratios, and the req/s and latencies shown are that round's. ` +
      'Every request a new change (new idempotency key, an unredeemed coupon of the customer). Floor: a bare node + pg server making the same writes in the same ' +
      `transactions (idempotency claim, row lock or conditional update, ledger or redemption row, timeline, audit). Written rows checked after the run: ` +
      `${report.checks.overRedeemedCoupons} coupons over-redeemed, ${report.checks.keysWithoutResult} idempotency keys without a result. ` +
      `${thousands(report.dataset.customers)} customers. Node ${report.node}, PostgreSQL ${report.postgres.version}${report.postgres.embedded ? ' (embedded)' : ''}, ` +
      `${report.cpus} × ${report.cpuModel}, servers, database and load generator on one machine; ${report.date.slice(0, 10)}.`,
    '',
  ].join('\n');
}

function summary(report: BenchReport): string {
  const line = (mutation: Mutation): string =>
    `  ${mutation.padEnd(9)} graphql ${String(report.graphql[mutation].requestsPerSecond).padStart(8)} req/s   floor ${String(report.floor[mutation].requestsPerSecond).padStart(8)} req/s   ratio ${report.ratios[mutation]} (rounds: ${report.rounds[mutation].map((round) => round.ratio).join(', ')})`;
  return [
    '',
    `Mutations, ${report.load.connections} connections, ${report.load.durationSeconds} s each (${report.cpus} CPUs, Node ${report.node})`,
    line('goodwill'),
    line('coupon'),
    `  checks: ${report.checks.overRedeemedCoupons} over-redeemed coupons, ${report.checks.keysWithoutResult} keys without a result`,
    ...report.failures.map((failure) => `  ! ${failure}`),
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Main

async function runBench(options: BenchOptions, cleanup: Cleanup): Promise<BenchReport> {
  const db = await openBenchDatabase({ database: DATABASE, embeddedDir: path.join(ROOT, '.data/bench'), log });
  cleanup.add(() => db.stop());
  // Enough coupons for the fastest server the machine could run: a run never runs out.
  const couponsPerTarget = 150_000;
  log(`Building ${thousands(options.customers)} customers and ${thousands(2 * couponsPerTarget)} coupons`);
  const dataset = await buildMutationDataset({ url: db.url, customers: options.customers, coupons: 2 * couponsPerTarget, log });
  const apiKey = await insertApiKey(db.url, dataset.orgId, 'bench:mutations');
  const headers = requestHeaders(apiKey);

  // Both servers side by side, measured in alternating rounds; each spends its own range of coupons.
  const floorTarget = await startFloor(db.url, dataset.orgId);
  cleanup.add(() => floorTarget.server.stop());
  const cpuProfileDir = options.profile ? path.join(ROOT, '.data/profiles', `${new Date().toISOString().replace(/[:.]/g, '-')}-mutations`) : undefined;
  const graphTarget = await startGraphqlServer(db.url, apiKey, {}, { cpuProfileDir });
  cleanup.add(() => graphTarget.server.stop());
  const floorBodies = bodies(dataset, 'floor', { first: 1, last: couponsPerTarget });
  const graphqlBodies = bodies(dataset, 'graphql', { first: couponsPerTarget + 1, last: 2 * couponsPerTarget });
  const paired = {} as Record<Mutation, PairedRuns>;
  for (const mutation of ['goodwill', 'coupon'] as const) {
    paired[mutation] = await runPairedRounds(
      options.rounds,
      loadOptions(floorTarget, mutation, options, headers, floorBodies),
      loadOptions(graphTarget, mutation, options, headers, graphqlBodies),
      log,
    );
  }
  await floorTarget.server.stop();
  await graphTarget.server.stop();
  const floor: TargetRuns = { goodwill: paired.goodwill.floor, coupon: paired.coupon.floor };
  const graphql: TargetRuns = { goodwill: paired.goodwill.graphql, coupon: paired.coupon.graphql };
  if (cpuProfileDir) {
    const file = (await readdir(cpuProfileDir)).find((name) => name.endsWith('.cpuprofile'));
    if (!file) throw new Error(`The GraphQL server wrote no CPU profile in ${cpuProfileDir}`);
    log(`CPU profile of the GraphQL server: ${path.relative(ROOT, path.join(cpuProfileDir, file))} (open it in Chrome DevTools or VS Code)`);
    console.log(formatProfileSummary(await summarizeProfile(path.join(cpuProfileDir, file), 40)));
  }

  const checks = await checkWrites(db.url, dataset.orgId);
  const failures: string[] = [];
  for (const run of [...paired.goodwill.rounds, ...paired.coupon.rounds].flatMap((round) => [round.floor, round.graphql])) {
    if (run.errorRate > MAX_ERROR_RATE) failures.push(`${run.name}: ${(run.errorRate * 100).toFixed(2)} % of requests failed (${run.firstError ?? 'no detail'})`);
  }
  if (checks.overRedeemedCoupons > 0) failures.push(`${checks.overRedeemedCoupons} coupons have more redemptions than allowed`);
  if (checks.keysWithoutResult > 0) failures.push(`${checks.keysWithoutResult} idempotency keys were committed without a result`);
  return {
    benchmark: 'mutations',
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    postgres: { version: await postgresVersion(db.url), embedded: db.embedded },
    dataset: { customers: dataset.customers, couponsPerTarget, rowCounts: dataset.rowCounts },
    load: { connections: options.connections, durationSeconds: options.durationSeconds, warmupSeconds: options.warmupSeconds, rounds: options.rounds },
    graphql,
    floor,
    ratios: { goodwill: paired.goodwill.ratio, coupon: paired.coupon.ratio },
    rounds: { goodwill: paired.goodwill.rounds, coupon: paired.coupon.rounds },
    warmupRounds: { goodwill: paired.goodwill.warmupRound, coupon: paired.coupon.warmupRound },
    checks,
    errorsOk: failures.length === 0,
    failures,
  };
}

runBenchMain('bench:mutations', async (cleanup) => {
  const options = readOptions();
  const report = await runBench(options, cleanup);
  console.log(summary(report));
  if (options.profile) {
    log('Profiled: the results are not written (the profiler slows the server down).');
    return;
  }
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeAtomically(path.join(RESULTS_DIR, 'mutations.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeAtomically(path.join(RESULTS_DIR, 'mutations.md'), markdown(report));
  log(`Results: bench/results/mutations.json, bench/results/mutations.md`);
  if (!report.errorsOk) throw new Error(`The run is not valid: ${report.failures.join('; ')}`);
});
