import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from '../src/app/embedded-db.js';
import {
  Cleanup,
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
  type Target,
} from './lib/bench-support.js';
import { startChildServer } from './lib/child-server.js';
import { formatProfileSummary, summarizeProfile } from './lib/cpu-profile.js';
import { mintCustomerTokens, type MintedTokens } from './lib/customer-tokens.js';
import { DEFAULT_SIZES, ORG_ID, openBenchDatabase, prepareDataset, type DatasetInfo } from './lib/dataset.js';
import { DEFAULT_ROUNDS, runPairedRounds } from './lib/paired-rounds.js';
import { customerGlobalId, QUERY_DATABASE, REWARDS_PAGE_FILE, rewardsPageRequests, SINGLE_VIEW_FILE, singleViewRequests } from './lib/query-requests.js';
import { compareViews, fetchViews, loadRunOptions, statementsOf, type BenchRequest, type LoadSettings, type QueryRequests } from './lib/query-phase.js';
import { buildReport, MAX_ERROR_RATE, resultsName, summary, writeResults, type QueryResult, type RewardsPageResult } from './lib/query-report.js';


/**
 * `npm run bench:query`: two reads through the real GraphQL server, each against its own floor
 * (one hand-written SQL statement behind a bare `http` server), on 100k customers:
 * - member care's customer single view (an API key; a random customer's id per request), with its bar;
 * - a partner app's rewards page (`me` with a random customer's access token per request); its
 *   bar comes with the read-path issue (#20).
 *
 * Flags: --rebuild (rebuild the dataset), --customers N, --tokens N (customers given an access
 * token), --connections N, --duration S, --warmup S, --rounds N (alternating rounds of floor and
 * server, see lib/paired-rounds.ts; the ratio is their median), --stub-graph (development only: the floors
 * stand in for the GraphQL server), --processes N (N processes serve each side: API_PROCESSES=N
 * for the GraphQL server, as many forked floors; results go to query-N-processes.*), --profile (a CPU profile of the GraphQL server through each
 * phase, written under .data/profiles/ and summarised by package and function; results are then
 * not written, the profiler slowing the server down).
 */

/** Issue #20's bars: the single view at half the floor's throughput, the rewards page at 0.6 of its own. */
const RATIO_BAR = 0.5;
const REWARDS_PAGE_BAR = 0.6;
/** What the authorization server gives an access token (TTL.AccessToken in src/app/oauth/provider.ts). */
const ACCESS_TOKEN_TTL_SECONDS = 10 * 60;

const PLACEHOLDER_OPERATION = 'query CustomerSingleView($id: ID!) { customer(id: $id) { id } }';

interface BenchOptions extends LoadSettings {
  readonly rebuild: boolean;
  readonly customers: number;
  readonly tokens: number;
  readonly stubGraph: boolean;
  readonly profile: boolean;
  /** Processes serving each side: API_PROCESSES for the GraphQL server, as many for the floor. */
  readonly processes: number;
  readonly rounds: number;
}

function readOptions(): BenchOptions {
  const { values } = parseArgs({
    options: {
      rebuild: { type: 'boolean', default: false },
      customers: { type: 'string', default: String(DEFAULT_SIZES.customers) },
      tokens: { type: 'string', default: '1000' },
      connections: { type: 'string', default: '50' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      rounds: { type: 'string', default: String(DEFAULT_ROUNDS) },
      'stub-graph': { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      processes: { type: 'string', default: '1' },
    },
  });
  const positive = (name: string, value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`--${name} must be a non-negative integer, got "${value}"`);
    return parsed;
  };
  const tokens = positive('tokens', values.tokens);
  if (tokens === 0) throw new Error('--tokens must be at least 1');
  return {
    rebuild: values.rebuild,
    customers: positive('customers', values.customers),
    tokens,
    connections: positive('connections', values.connections),
    durationSeconds: positive('duration', values.duration),
    warmupSeconds: positive('warmup', values.warmup),
    rounds: positive('rounds', values.rounds),
    stubGraph: values['stub-graph'],
    profile: values.profile,
    processes: Math.max(1, positive('processes', values.processes)),
  };
}

// ---------------------------------------------------------------------------------------------
// Requests

/** Each sampled token's `me` must be the customer it was minted for: a wrong mapping would make every figure moot. */
function expectOwnCustomers(target: string, requests: QueryRequests, views: readonly unknown[]): void {
  requests.samples.forEach(({ label }, i) => {
    const expected = customerGlobalId(Number(label.replace('customer ', '')));
    const me = (views[i] as { me?: { id?: unknown } | null } | null)?.me;
    if (me?.id !== expected) throw new Error(`${target}: the token of ${label} answered ${JSON.stringify(me ?? null).slice(0, 200)}`);
  });
}

// ---------------------------------------------------------------------------------------------
// Servers and phases

async function startFloor(databaseUrl: string, name: string, floor: 'single-view' | 'rewards-page', probe: BenchRequest, processes: number): Promise<Target> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const server = await startChildServer({
    name,
    command: NODE,
    args: ['--import', 'tsx', 'bench/lib/floor-server.ts'],
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), ORG_ID: String(ORG_ID), FLOOR: floor, FLOOR_PROCESSES: String(processes) },
    ready: async () => (await postGraphql(url, { ...probe.headers }, probe.body)).status === 200,
    log,
  });
  return { name, url, server };
}

/**
 * One query: its floor and the GraphQL server side by side (the idle one holds its memory and
 * connections but does no work), measured in alternating rounds so that the machine's drift
 * favours neither; `check` looks at each server's answers for the samples.
 */
async function runQuery(args: {
  readonly cleanup: Cleanup;
  readonly load: LoadSettings;
  readonly requests: QueryRequests;
  readonly startFloor: () => Promise<Target>;
  readonly startGraph: () => Promise<Target>;
  readonly check?: (target: string, views: readonly unknown[]) => void;
}): Promise<QueryResult> {
  const { cleanup, load, requests } = args;
  const floorTarget = await args.startFloor();
  cleanup.add(() => floorTarget.server.stop());
  const floorViews = await fetchViews(floorTarget, requests);
  args.check?.(floorTarget.name, floorViews);

  const graphTarget = await args.startGraph();
  cleanup.add(() => graphTarget.server.stop());
  const graphViews = await fetchViews(graphTarget, requests);
  args.check?.(graphTarget.name, graphViews);
  const sameData = compareViews(requests, graphViews, floorViews);

  const floorStatements = await statementsOf(floorTarget, requests);
  const graphStatements = await statementsOf(graphTarget, requests);
  const paired = await runPairedRounds(load.rounds ?? DEFAULT_ROUNDS, loadRunOptions(floorTarget, load, requests), loadRunOptions(graphTarget, load, requests), log);
  await floorTarget.server.stop();
  await graphTarget.server.stop();
  return {
    graphql: { ...paired.graphql, sqlStatementsPerRequest: graphStatements },
    floor: { ...paired.floor, sqlStatementsPerRequest: floorStatements },
    sameData,
    ratio: paired.ratio,
    rounds: paired.rounds,
    warmupRound: paired.warmupRound,
  };
}

// ---------------------------------------------------------------------------------------------
// Main

async function loadOperation(file: string, stubGraph: boolean): Promise<string> {
  if (existsSync(file)) return readFile(file, 'utf8');
  if (stubGraph && file === SINGLE_VIEW_FILE) return PLACEHOLDER_OPERATION;
  throw new Error(`${path.relative(ROOT, file)} does not exist yet (use --stub-graph to test the plumbing)`);
}

function operationName(operation: string): string {
  return /(?:query|subscription|mutation)\s+(\w+)/.exec(operation)?.[1] ?? 'anonymous';
}

async function runBench(options: BenchOptions, cleanup: Cleanup) {
  const singleViewOperation = await loadOperation(SINGLE_VIEW_FILE, options.stubGraph);
  const rewardsOperation = await loadOperation(REWARDS_PAGE_FILE, options.stubGraph);
  const db = await openBenchDatabase({ database: QUERY_DATABASE, embeddedDir: path.join(ROOT, '.data/bench'), log });
  cleanup.add(() => db.stop());

  const dataset = await prepareDataset({ url: db.url, sizes: { ...DEFAULT_SIZES, customers: options.customers }, rebuild: options.rebuild, log });
  log(`Dataset: ${thousands(Object.values(dataset.rowCounts).reduce((a, b) => a + b, 0))} rows, ${dataset.reused ? 'reused' : `built in ${dataset.buildSeconds.toFixed(1)} s`}`);
  const apiKey = await insertApiKey(db.url, ORG_ID, 'bench:query');
  const profileDirs = new Map<string, string>();
  const graphOr = (floor: 'single-view' | 'rewards-page', probe: BenchRequest) => (): Promise<Target> => {
    if (options.stubGraph) return startFloor(db.url, 'graphql', floor, probe, options.processes);
    const processes = { API_PROCESSES: String(options.processes) };
    if (!options.profile) return startGraphqlServer(db.url, apiKey, processes);
    const cpuProfileDir = path.join(ROOT, '.data/profiles', `${new Date().toISOString().replace(/[:.]/g, '-')}-${floor}`);
    profileDirs.set(floor, cpuProfileDir);
    return startGraphqlServer(db.url, apiKey, processes, { cpuProfileDir });
  };
  const printProfile = async (floor: string): Promise<void> => {
    const dir = profileDirs.get(floor);
    if (!dir) return;
    const file = (await readdir(dir)).find((name) => name.endsWith('.cpuprofile'));
    if (!file) throw new Error(`The GraphQL server wrote no CPU profile in ${dir}`);
    log(`CPU profile of the GraphQL server (${floor}): ${path.relative(ROOT, path.join(dir, file))} (open it in Chrome DevTools or VS Code)`);
    console.log(formatProfileSummary(await summarizeProfile(path.join(dir, file))));
  };

  log('Customer single view');
  const singleViewLoad = singleViewRequests(singleViewOperation, dataset.sizes.customers, requestHeaders(apiKey));
  const singleViewProbe = singleViewLoad.samples[0]?.request as BenchRequest;
  const singleView = await runQuery({
    cleanup,
    load: options,
    requests: singleViewLoad,
    startFloor: () => startFloor(db.url, 'floor', 'single-view', singleViewProbe, options.processes),
    startGraph: graphOr('single-view', singleViewProbe),
  });
  await printProfile('single-view');

  log(`Rewards page: minting access tokens for ${thousands(options.tokens)} random customers`);
  // The tokens must outlive the phase: the real lifetime unless a long run needs more.
  // Each round runs both sides; the first warms up for at most 8 windows.
  const ttlSeconds = Math.max(ACCESS_TOKEN_TTL_SECONDS, 2 * options.rounds * (8 * options.warmupSeconds + options.durationSeconds) + 300);
  const minted = await mintCustomerTokens({ url: db.url, orgId: ORG_ID, customers: dataset.sizes.customers, count: options.tokens, ttlSeconds });
  const rewardsLoad = rewardsPageRequests(rewardsOperation, minted);
  const rewardsProbe = rewardsLoad.samples[0]?.request as BenchRequest;
  const rewards = await runQuery({
    cleanup,
    load: options,
    requests: rewardsLoad,
    startFloor: () => startFloor(db.url, 'floor', 'rewards-page', rewardsProbe, options.processes),
    startGraph: graphOr('rewards-page', rewardsProbe),
    check: (target, views) => expectOwnCustomers(target, rewardsLoad, views),
  });
  await printProfile('rewards-page');
  const rewardsPage: RewardsPageResult = {
    operation: operationName(rewardsOperation),
    tokens: { customers: minted.tokens.length, ttlSeconds: minted.ttlSeconds },
    ...rewards,
    bar: REWARDS_PAGE_BAR,
  };

  return buildReport({
    load: { connections: options.connections, durationSeconds: options.durationSeconds, warmupSeconds: options.warmupSeconds, processes: options.processes, rounds: options.rounds },
    dataset,
    postgresVersion: await postgresVersion(db.url),
    embedded: db.embedded,
    operation: operationName(singleViewOperation),
    singleView,
    bar: RATIO_BAR,
    rewardsPage,
  });
}

runBenchMain('bench:query', async (cleanup) => {
  const options = readOptions();
  const report = await runBench(options, cleanup);
  console.log(summary(report));
  // A stub run measures nothing worth keeping, a profiled one a slowed server: never let them overwrite the real results.
  if (!options.stubGraph && !options.profile) {
    await writeResults(report);
    log(`Results: ${path.relative(process.cwd(), path.join(RESULTS_DIR, `${resultsName(report)}.json`))}, ${path.relative(process.cwd(), path.join(RESULTS_DIR, `${resultsName(report)}.md`))}`);
  }
  // Missing the bar is a result (pass: false), not a broken run; failing requests make the numbers meaningless.
  if (!report.errorsOk) throw new Error(`More than ${MAX_ERROR_RATE * 100} % of requests failed: ${report.failures.join('; ')}`);
});
