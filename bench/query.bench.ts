import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from '../src/app/embedded-db.js';
import { runLoad, type LoadRunResult } from './lib/autocannon-run.js';
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
import { DEFAULT_SIZES, ORG_ID, openBenchDatabase, prepareDataset, type DatasetInfo } from './lib/dataset.js';

/**
 * `npm run bench:query`: the customer single view through the real GraphQL server against the
 * floor (one hand-written SQL statement behind a bare `http` server), on 100k customers.
 *
 * Flags: --rebuild (rebuild the dataset), --customers N, --connections N, --duration S,
 * --warmup S, --stub-graph (development only: the floor stands in for the GraphQL server).
 */

const OPERATION_FILE = path.join(ROOT, 'test/operations/CustomerSingleView.graphql');
const DATABASE = 'bench_query';
/** The first bar: the GraphQL server must reach a quarter of the floor's throughput. */
const RATIO_BAR = 0.25;
const MAX_ERROR_RATE = 0.01;
const STATEMENT_SAMPLES = 20;

const PLACEHOLDER_OPERATION = 'query CustomerSingleView($id: ID!) { customer(id: $id) { id } }';

interface BenchOptions {
  readonly rebuild: boolean;
  readonly customers: number;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly stubGraph: boolean;
}

function readOptions(): BenchOptions {
  const { values } = parseArgs({
    options: {
      rebuild: { type: 'boolean', default: false },
      customers: { type: 'string', default: String(DEFAULT_SIZES.customers) },
      connections: { type: 'string', default: '50' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      'stub-graph': { type: 'boolean', default: false },
    },
  });
  const positive = (name: string, value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`--${name} must be a non-negative integer, got "${value}"`);
    return parsed;
  };
  return {
    rebuild: values.rebuild,
    customers: positive('customers', values.customers),
    connections: positive('connections', values.connections),
    durationSeconds: positive('duration', values.duration),
    warmupSeconds: positive('warmup', values.warmup),
    stubGraph: values['stub-graph'],
  };
}

// ---------------------------------------------------------------------------------------------
// Requests

function customerGlobalId(customerId: number): string {
  return Buffer.from(`Customer:${customerId}`).toString('base64url');
}

/** Request bodies for random customers; the fixed part is serialised once, not per request. */
function bodyGenerator(operation: string, customers: number): { next: () => string; forCustomer: (id: number) => string } {
  const prefix = `{"query":${JSON.stringify(operation)},"variables":{"id":"`;
  const forCustomer = (id: number): string => `${prefix}${customerGlobalId(id)}"}}`;
  return { next: () => forCustomer(1 + Math.floor(Math.random() * customers)), forCustomer };
}

// ---------------------------------------------------------------------------------------------
// Setup

async function startFloor(databaseUrl: string, name: string, probeBody: string): Promise<Target> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const server = await startChildServer({
    name,
    command: NODE,
    args: ['--import', 'tsx', 'bench/lib/floor-server.ts'],
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), ORG_ID: String(ORG_ID) },
    ready: async () => (await postGraphql(url, { 'content-type': 'application/json' }, probeBody)).status === 200,
    log,
  });
  return { name, url, server };
}

// ---------------------------------------------------------------------------------------------
// Measurements

interface StatementStats {
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  readonly samples: number;
}

/** Sequential requests for random customers, before the load: SQL statements per request. */
async function sampleStatements(target: Target, headers: Record<string, string>, nextBody: () => string): Promise<StatementStats> {
  const counts: number[] = [];
  for (let i = 0; i < STATEMENT_SAMPLES; i++) {
    const response = await postGraphql(target.url, headers, nextBody());
    if (response.status !== 200 || response.body.errors) {
      throw new Error(`${target.name} answered ${response.status}: ${JSON.stringify(response.body).slice(0, 1000)}`);
    }
    if (!response.body.data?.customer) throw new Error(`${target.name} found no customer: ${JSON.stringify(response.body).slice(0, 500)}`);
    const statements = response.body.extensions?.sqlStatements;
    if (typeof statements !== 'number') throw new Error(`${target.name} reports no extensions.sqlStatements (is EXPOSE_QUERY_STATS honoured?)`);
    counts.push(statements);
  }
  return {
    mean: Math.round((counts.reduce((sum, n) => sum + n, 0) / counts.length) * 100) / 100,
    min: Math.min(...counts),
    max: Math.max(...counts),
    samples: counts.length,
  };
}

interface MeasuredRun extends LoadRunResult {
  readonly sqlStatementsPerRequest: StatementStats;
}

async function measure(target: Target, options: BenchOptions, headers: Record<string, string>, nextBody: () => string): Promise<MeasuredRun> {
  const statements = await sampleStatements(target, headers, nextBody);
  log(`[${target.name}] SQL statements per request: mean ${statements.mean} (min ${statements.min}, max ${statements.max}, ${statements.samples} requests)`);
  const run = await runLoad(
    {
      name: target.name,
      url: target.url,
      connections: options.connections,
      durationSeconds: options.durationSeconds,
      warmupSeconds: options.warmupSeconds,
      headers,
      nextBody,
      isErrorBody: hasGraphqlErrors,
    },
    log,
  );
  return { ...run, sqlStatementsPerRequest: statements };
}

/** Customers whose single view is fetched from both servers and compared. */
function comparisonIds(customers: number): number[] {
  return [...new Set([1, Math.ceil(customers / 4), Math.ceil(customers / 2), Math.ceil((customers * 3) / 4), customers])];
}

async function fetchViews(target: Target, headers: Record<string, string>, ids: readonly number[], bodyFor: (id: number) => string): Promise<unknown[]> {
  const views: unknown[] = [];
  for (const id of ids) views.push((await postGraphql(target.url, headers, bodyFor(id))).body.data ?? null);
  return views;
}

const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d/;

/**
 * Paths where two responses differ. Instants compare as instants: PostgreSQL trims trailing zeros
 * of milliseconds ("12.29+08:00") where Luxon does not ("12.290+08:00"); both name the same time.
 */
function differences(a: unknown, b: unknown, at: string, found: string[]): string[] {
  if (found.length >= 20) return found;
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const left = a as Record<string, unknown>;
    const right = b as Record<string, unknown>;
    for (const key of new Set([...Object.keys(left), ...Object.keys(right)])) differences(left[key], right[key], `${at}.${key}`, found);
    return found;
  }
  const instant = (value: unknown): unknown => (typeof value === 'string' && ISO_INSTANT.test(value) ? new Date(value).getTime() : value);
  if (JSON.stringify(instant(a)) !== JSON.stringify(instant(b))) {
    found.push(`${at}: graphql ${JSON.stringify(a)?.slice(0, 80)} / floor ${JSON.stringify(b)?.slice(0, 80)}`);
  }
  return found;
}

interface SameDataCheck {
  readonly customersCompared: number;
  /** Empty when the floor returned exactly what the GraphQL API returned (up to 20 listed). */
  readonly differences: string[];
}

function compareViews(ids: readonly number[], graphql: readonly unknown[], floor: readonly unknown[]): SameDataCheck {
  const found: string[] = [];
  ids.forEach((id, i) => differences(graphql[i], floor[i], `customer ${id}`, found));
  return { customersCompared: ids.length, differences: found };
}

// ---------------------------------------------------------------------------------------------
// Report

interface BenchReport {
  readonly benchmark: 'query';
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
  readonly load: { readonly connections: number; readonly durationSeconds: number; readonly warmupSeconds: number };
  readonly graphql: MeasuredRun;
  readonly floor: MeasuredRun;
  /** Whether the floor really serves the same document as the API. */
  readonly sameData: SameDataCheck;
  /** GraphQL req/s divided by floor req/s. */
  readonly ratio: number;
  readonly bar: number;
  /** Both runs stayed under 1 % errors. */
  readonly errorsOk: boolean;
  /** Errors OK and the ratio reaches the bar. */
  readonly pass: boolean;
  readonly failures: string[];
}

function buildReport(args: {
  options: BenchOptions;
  dataset: DatasetInfo;
  postgresVersion: string;
  embedded: boolean;
  graphql: MeasuredRun;
  floor: MeasuredRun;
  sameData: SameDataCheck;
  operation: string;
}): BenchReport {
  const { options, dataset, graphql, floor, sameData } = args;
  const ratio = floor.requestsPerSecond > 0 ? Math.round((graphql.requestsPerSecond / floor.requestsPerSecond) * 1000) / 1000 : 0;
  const failures: string[] = [];
  for (const run of [graphql, floor]) {
    if (run.errorRate > MAX_ERROR_RATE) failures.push(`${run.name}: ${(run.errorRate * 100).toFixed(2)} % of requests failed (${run.firstError ?? 'no detail'})`);
  }
  const errorsOk = failures.length === 0;
  if (ratio < RATIO_BAR) failures.push(`ratio ${ratio} is below the bar of ${RATIO_BAR}`);
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
    load: { connections: options.connections, durationSeconds: options.durationSeconds, warmupSeconds: options.warmupSeconds },
    graphql,
    floor,
    sameData,
    ratio,
    bar: RATIO_BAR,
    errorsOk,
    pass: failures.length === 0,
    failures,
  };
}

function markdown(report: BenchReport): string {
  const row = (label: string, run: MeasuredRun): string =>
    `| ${label} | ${thousands(Math.round(run.requestsPerSecond))} | ${run.latencyMs.p50} | ${run.latencyMs.p99} | ${run.sqlStatementsPerRequest.mean} | ${(run.errorRate * 100).toFixed(2)} % |`;
  const counts = report.dataset.rowCounts;
  return [
    `### Query benchmark: customer single view`,
    '',
    `| Server | req/s | p50 (ms) | p99 (ms) | SQL statements / request | errors |`,
    `|---|---:|---:|---:|---:|---:|`,
    row('GraphQL (`CustomerSingleView`)', report.graphql),
    row('Floor (one hand-written SQL statement)', report.floor),
    '',
    `GraphQL / floor throughput: **${report.ratio}** (bar ≥ ${report.bar}: ${report.pass ? 'pass' : 'FAIL'}).`,
    '',
    `${report.load.connections} connections, ${report.load.durationSeconds} s after a ${report.load.warmupSeconds} s warm-up, a random customer per request. ` +
      `Dataset: ${thousands(counts.customer ?? 0)} customers, ${thousands(counts.card ?? 0)} cards, ${thousands(counts.transaction ?? 0)} transactions, ` +
      `${thousands(counts.points_ledger_entry ?? 0)} ledger entries (${thousands(Object.values(counts).reduce((a, b) => a + b, 0))} rows in all). ` +
      `Node ${report.node}, PostgreSQL ${report.postgres.version}${report.postgres.embedded ? ' (embedded)' : ''}, ${report.cpus} × ${report.cpuModel}, ` +
      `server, database and load generator on one machine; ${report.date.slice(0, 10)}.`,
    '',
  ].join('\n');
}

function summary(report: BenchReport): string {
  const line = (run: MeasuredRun): string =>
    `  ${run.name.padEnd(8)} ${String(run.requestsPerSecond).padStart(9)} req/s   p50 ${String(run.latencyMs.p50).padStart(4)} ms   p99 ${String(run.latencyMs.p99).padStart(4)} ms   ` +
    `${run.sqlStatementsPerRequest.mean} SQL/request   errors ${(run.errorRate * 100).toFixed(2)} %`;
  return [
    '',
    `Customer single view, ${report.load.connections} connections, ${report.load.durationSeconds} s (${report.cpus} CPUs, Node ${report.node})`,
    line(report.graphql),
    line(report.floor),
    `  ratio graphql/floor ${report.ratio} (bar ≥ ${report.bar}): ${report.pass ? 'PASS' : 'FAIL'}`,
    `  same data on ${report.sameData.customersCompared} customers: ${report.sameData.differences.length === 0 ? 'yes' : `${report.sameData.differences.length} differences (see query.json)`}`,
    ...report.failures.map((failure) => `  ! ${failure}`),
    '',
  ].join('\n');
}

async function writeResults(report: BenchReport): Promise<void> {
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeAtomically(path.join(RESULTS_DIR, 'query.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeAtomically(path.join(RESULTS_DIR, 'query.md'), markdown(report));
}

// ---------------------------------------------------------------------------------------------
// Main

async function loadOperation(stubGraph: boolean): Promise<string> {
  if (stubGraph) return PLACEHOLDER_OPERATION;
  if (!existsSync(OPERATION_FILE)) throw new Error(`${path.relative(ROOT, OPERATION_FILE)} does not exist yet (use --stub-graph to test the plumbing)`);
  return readFile(OPERATION_FILE, 'utf8');
}

async function runBench(options: BenchOptions, cleanup: Cleanup): Promise<BenchReport> {
  const operation = await loadOperation(options.stubGraph);
  const db = await openBenchDatabase({ database: DATABASE, embeddedDir: path.join(ROOT, '.data/bench'), log });
  cleanup.add(() => db.stop());

  const dataset = await prepareDataset({ url: db.url, sizes: { ...DEFAULT_SIZES, customers: options.customers }, rebuild: options.rebuild, log });
  log(`Dataset: ${thousands(Object.values(dataset.rowCounts).reduce((a, b) => a + b, 0))} rows, ${dataset.reused ? 'reused' : `built in ${dataset.buildSeconds.toFixed(1)} s`}`);
  const apiKey = await insertApiKey(db.url, ORG_ID, 'bench:query');
  const headers = requestHeaders(apiKey);
  const bodies = bodyGenerator(operation, dataset.sizes.customers);

  // One server at a time: the idle one would still hold memory and connections.
  const sampleIds = comparisonIds(dataset.sizes.customers);

  const floorTarget = await startFloor(db.url, 'floor', bodies.forCustomer(1));
  cleanup.add(() => floorTarget.server.stop());
  const floorViews = await fetchViews(floorTarget, headers, sampleIds, bodies.forCustomer);
  const floor = await measure(floorTarget, options, headers, bodies.next);
  await floorTarget.server.stop();

  const graphTarget = options.stubGraph ? await startFloor(db.url, 'graphql', bodies.forCustomer(1)) : await startGraphqlServer(db.url, apiKey);
  cleanup.add(() => graphTarget.server.stop());
  const sameData = compareViews(sampleIds, await fetchViews(graphTarget, headers, sampleIds, bodies.forCustomer), floorViews);
  log(`Same data: ${sameData.differences.length === 0 ? 'identical' : `${sameData.differences.length} differences`} on ${sameData.customersCompared} customers`);
  for (const difference of sameData.differences) log(`  ${difference}`);
  const graphql = await measure(graphTarget, options, headers, bodies.next);
  await graphTarget.server.stop();

  const operationName = /(?:query|subscription|mutation)\s+(\w+)/.exec(operation)?.[1] ?? 'anonymous';
  return buildReport({ options, dataset, postgresVersion: await postgresVersion(db.url), embedded: db.embedded, graphql, floor, sameData, operation: operationName });
}

runBenchMain('bench:query', async (cleanup) => {
  const options = readOptions();
  const report = await runBench(options, cleanup);
  console.log(summary(report));
  // A stub run measures nothing worth keeping: never let it overwrite the real results.
  if (!options.stubGraph) {
    await writeResults(report);
    log(`Results: ${path.relative(process.cwd(), path.join(RESULTS_DIR, 'query.json'))}, ${path.relative(process.cwd(), path.join(RESULTS_DIR, 'query.md'))}`);
  }
  // Missing the bar is a result (pass: false), not a broken run; failing requests make the numbers meaningless.
  if (!report.errorsOk) throw new Error(`More than ${MAX_ERROR_RATE * 100} % of requests failed: ${report.failures.join('; ')}`);
});
