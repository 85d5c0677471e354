import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { RESULTS_DIR, thousands, writeAtomically } from './bench-support.js';
import type { DatasetInfo } from './dataset.js';
import type { PairedRound } from './paired-rounds.js';
import type { LoadSettings, MeasuredRun, SameDataCheck } from './query-phase.js';

/** What `bench:query` writes to bench/results/query.{json,md}: the single view (with its bar) and the rewards page. */

/** More failed requests than this make a run's numbers meaningless. */
export const MAX_ERROR_RATE = 0.01;

export interface QueryResult {
  readonly graphql: MeasuredRun;
  readonly floor: MeasuredRun;
  /** Whether the floor really serves the same document as the API. */
  readonly sameData: SameDataCheck;
  /** GraphQL req/s divided by floor req/s: the median of the rounds' ratios. */
  readonly ratio: number;
  /** Every round of the floor and the GraphQL server (`graphql` and `floor` above are the median round's runs); absent in results written before rounds. */
  readonly rounds?: readonly PairedRound[];
  /** The uncounted warm-up round that came before them. */
  readonly warmupRound?: PairedRound;
}

export interface RewardsPageResult extends QueryResult {
  readonly operation: string;
  readonly tokens: {
    /** Customers with a token; each request uses one of them at random. */
    readonly customers: number;
    readonly ttlSeconds: number;
  };
  /** Issue #20's bar (null in results written before it). */
  readonly bar: number | null;
}

export interface BenchReport extends QueryResult {
  readonly benchmark: 'query';
  /** The single view's operation; the rewards page is under `rewardsPage`. */
  readonly operation: string;
  readonly date: string;
  readonly node: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly postgres: { readonly version: string; readonly embedded: boolean };
  readonly dataset: {
    readonly customers: number;
    readonly rowCounts: Record<string, number>;
    readonly reused: boolean;
    readonly buildSeconds: number;
    readonly builtAt: string;
  };
  readonly load: LoadSettings;
  readonly bar: number;
  /** Every run stayed under 1 % errors. */
  readonly errorsOk: boolean;
  /** Errors OK and the single view's ratio reaches its bar. */
  readonly pass: boolean;
  readonly failures: string[];
  readonly rewardsPage: RewardsPageResult;
}

export function buildReport(args: {
  load: LoadSettings;
  dataset: DatasetInfo;
  postgresVersion: string;
  embedded: boolean;
  operation: string;
  singleView: QueryResult;
  bar: number;
  rewardsPage: RewardsPageResult;
}): BenchReport {
  const { dataset, singleView, rewardsPage } = args;
  const failures: string[] = [];
  const runsOf = (result: QueryResult) => (result.rounds ?? [result]).flatMap((round) => [round.graphql, round.floor]);
  for (const [query, run] of [...runsOf(singleView).map((run) => ['single view', run] as const), ...runsOf(rewardsPage).map((run) => ['rewards page', run] as const)]) {
    if (run.errorRate > MAX_ERROR_RATE) failures.push(`${query} ${run.name}: ${(run.errorRate * 100).toFixed(2)} % of requests failed (${run.firstError ?? 'no detail'})`);
  }
  const errorsOk = failures.length === 0;
  if (singleView.ratio < args.bar) failures.push(`single view ratio ${singleView.ratio} is below the bar of ${args.bar}`);
  return {
    benchmark: 'query',
    operation: args.operation,
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    postgres: { version: args.postgresVersion, embedded: args.embedded },
    dataset: { customers: dataset.sizes.customers, rowCounts: dataset.rowCounts, reused: dataset.reused, buildSeconds: Math.round(dataset.buildSeconds * 10) / 10, builtAt: dataset.builtAt },
    load: args.load,
    ...singleView,
    bar: args.bar,
    errorsOk,
    pass: failures.length === 0,
    failures,
    rewardsPage,
  };
}

/** ` (median of rounds a, b, c)`, or nothing for a result measured in one go. */
function roundsOf(result: QueryResult): string {
  return result.rounds && result.rounds.length > 1 ? ` (median of rounds ${result.rounds.map((round) => round.ratio).join(', ')})` : '';
}

function row(label: string, run: MeasuredRun, statements = String(run.sqlStatementsPerRequest.mean)): string {
  return `| ${label} | ${thousands(Math.round(run.requestsPerSecond))} | ${run.latencyMs.p50} | ${run.latencyMs.p99} | ${statements} | ${(run.errorRate * 100).toFixed(2)} % |`;
}

const TABLE_HEAD = [`| Server | req/s | p50 (ms) | p99 (ms) | SQL statements / request | errors |`, `|---|---:|---:|---:|---:|---:|`];

export function markdown(report: BenchReport): string {
  const counts = report.dataset.rowCounts;
  const rewards = report.rewardsPage;
  const singleViewPass = report.ratio >= report.bar;
  return [
    `### Query benchmark: customer single view`,
    '',
    ...TABLE_HEAD,
    row('GraphQL (`CustomerSingleView`)', report.graphql),
    row('Floor (one hand-written SQL statement)', report.floor),
    '',
    `GraphQL / floor throughput: **${report.ratio}**${roundsOf(report)} (bar ≥ ${report.bar}: ${singleViewPass ? 'pass' : 'FAIL'}).`,
    '',
    `### Rewards page (customer token)`,
    '',
    ...TABLE_HEAD,
    row(`GraphQL (\`${rewards.operation}\`, \`me\` with a customer's access token)`, rewards.graphql, `${rewards.graphql.sqlStatementsPerRequest.mean} + token check`),
    row('Floor (token lookup and page in one hand-written SQL statement)', rewards.floor),
    '',
    `GraphQL / floor throughput: **${rewards.ratio}**${roundsOf(rewards)} (${rewards.bar === null ? 'no bar yet' : `bar ≥ ${rewards.bar}: ${rewards.ratio >= rewards.bar ? 'pass' : 'FAIL'}`}).`,
    '',
    `Each request carries the access token of one of ${thousands(rewards.tokens.customers)} random customers, minted by the real authorization server ` +
      `(oidc-provider, tokens in \`oauth_model\`) before the run. The GraphQL server's statement count is its executor's; verifying a token ` +
      `it has not seen in the last 5 s adds a statement before execution (and its client, when no token of that client was verified in the last 5 s), and it then trusts the token for 5 s. ` +
      `The floor looks the token up in its one statement on every request. Same data on ${rewards.sameData.customersCompared} sampled customers: ` +
      `${rewards.sameData.differences.length === 0 ? 'identical' : `${rewards.sameData.differences.length} differences (see query.json)`}.`,
    '',
    `Both queries: ${(report.load.processes ?? 1) > 1 ? `${report.load.processes} processes a side (the GraphQL server's API_PROCESSES, the floor's as many), ` : ''}${report.load.connections} connections, a random customer per request. Each side runs beside the other: an uncounted warm-up round (each side warmed in windows of ` +
      `${report.load.warmupSeconds} s until two agree within 10%, then a ${report.load.durationSeconds} s run), then ${report.load.rounds ?? 1} alternating rounds (floor first in odd rounds, GraphQL first in even ones), ` +
      `each run ${report.load.durationSeconds} s after 2 s warm-up windows until two agree; the ratio is the median of the rounds' ratios, and the rows show that round's runs. ` +
      `Dataset: ${thousands(counts.customer ?? 0)} customers, ${thousands(counts.card ?? 0)} cards, ${thousands(counts.transaction ?? 0)} transactions, ` +
      `${thousands(counts.points_ledger_entry ?? 0)} ledger entries (${thousands(Object.values(counts).reduce((a, b) => a + b, 0))} rows in all). ` +
      `Node ${report.node}, PostgreSQL ${report.postgres.version}${report.postgres.embedded ? ' (embedded)' : ''}, ${report.cpus} × ${report.cpuModel}, ` +
      `server, database and load generator on one machine; ${report.date.slice(0, 10)}.`,
    '',
  ].join('\n');
}

export function summary(report: BenchReport): string {
  const line = (run: MeasuredRun): string =>
    `  ${run.name.padEnd(8)} ${String(run.requestsPerSecond).padStart(9)} req/s   p50 ${String(run.latencyMs.p50).padStart(4)} ms   p99 ${String(run.latencyMs.p99).padStart(4)} ms   ` +
    `${run.sqlStatementsPerRequest.mean} SQL/request   errors ${(run.errorRate * 100).toFixed(2)} %`;
  const same = (check: SameDataCheck): string =>
    `  same data on ${check.customersCompared} customers: ${check.differences.length === 0 ? 'yes' : `${check.differences.length} differences (see query.json)`}`;
  const rewards = report.rewardsPage;
  return [
    '',
    `Customer single view, ${report.load.connections} connections, ${report.load.durationSeconds} s (${report.cpus} × ${report.cpuModel}, Node ${report.node})`,
    line(report.graphql),
    line(report.floor),
    `  ratio graphql/floor ${report.ratio}${roundsOf(report)} (bar ≥ ${report.bar}): ${report.ratio >= report.bar ? 'PASS' : 'FAIL'}`,
    same(report.sameData),
    `Rewards page (customer token, ${thousands(rewards.tokens.customers)} customers' tokens)`,
    line(rewards.graphql),
    line(rewards.floor),
    `  ratio graphql/floor ${rewards.ratio}${roundsOf(rewards)} ${rewards.bar === null ? '(no bar)' : `(bar ≥ ${rewards.bar}): ${rewards.ratio >= rewards.bar ? 'PASS' : 'FAIL'}`}`,
    same(rewards.sameData),
    ...report.failures.map((failure) => `  ! ${failure}`),
    '',
  ].join('\n');
}

/** The results' file name: `query`, or `query-<n>-processes` for a run with n processes a side. */
export function resultsName(report: BenchReport): string {
  const processes = report.load.processes ?? 1;
  return processes > 1 ? `query-${processes}-processes` : 'query';
}

export async function writeResults(report: BenchReport): Promise<void> {
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeAtomically(path.join(RESULTS_DIR, `${resultsName(report)}.json`), `${JSON.stringify(report, null, 2)}\n`);
  await writeAtomically(path.join(RESULTS_DIR, `${resultsName(report)}.md`), markdown(report));
}
