import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runLoad, type LoadRunResult } from './lib/autocannon-run.js';
import { Cleanup, insertApiKey, log, requestHeaders, runBenchMain, ROOT, startGraphqlServer, type Target } from './lib/bench-support.js';
import { mintCustomerTokens } from './lib/customer-tokens.js';
import { DEFAULT_SIZES, ORG_ID, openBenchDatabase, prepareDataset } from './lib/dataset.js';
import { alternatingRounds, medianOf } from './lib/paired-rounds.js';
import { compareViews, fetchViews, loadRunOptions, type LoadSettings, type QueryRequests } from './lib/query-phase.js';
import { QUERY_DATABASE, REWARDS_PAGE_FILE, rewardsPageRequests, SINGLE_VIEW_FILE, singleViewRequests } from './lib/query-requests.js';

/**
 * `npm run bench:query-ab -- --b-env GRAPHQL_JIT=0`: two variants of the GraphQL server on
 * `bench:query`'s data and reads, A (as `npm start` runs it, plus `--a-env` / `--a-node-arg`) and
 * B (plus `--b-env` / `--b-node-arg`), each warmed, then measured in alternating rounds like the bench itself. Each
 * run gives requests a second and the server's CPU time per request (user + system, from
 * /proc), the steadier of the two on a machine whose speed drifts: a change to the server shows
 * there, and B/A is reported for both, per round and as the median. Both variants' answers must be
 * identical on the sampled customers. It writes no results: it is the before/after of a change,
 * for the note; `bench:query` gives the figures against the floor.
 */

const CLOCK_TICKS_PER_SECOND = 100;
/** Each server runs this many warm-up lengths before the first round. */
const WARM_UP_RUNS = 4;

interface Variant {
  readonly env: Record<string, string>;
  readonly nodeArgs: string[];
}

interface AbOptions extends LoadSettings {
  readonly a: Variant;
  readonly b: Variant;
  readonly rounds: number;
  readonly only?: 'single-view' | 'rewards-page';
}

function parseOptions(argv: string[]): AbOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      'a-env': { type: 'string', multiple: true, default: [] },
      'b-env': { type: 'string', multiple: true, default: [] },
      'a-node-arg': { type: 'string', multiple: true, default: [] },
      'b-node-arg': { type: 'string', multiple: true, default: [] },
      rounds: { type: 'string', default: '4' },
      connections: { type: 'string', default: '50' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      only: { type: 'string' },
    },
  });
  const envOf = (pairs: string[]): Record<string, string> =>
    Object.fromEntries(
      pairs.map((pair) => {
        const at = pair.indexOf('=');
        if (at <= 0) throw new Error(`An environment setting is NAME=value, got "${pair}"`);
        return [pair.slice(0, at), pair.slice(at + 1)];
      }),
    );
  const count = (name: string, value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`--${name} must be a positive integer, got "${value}"`);
    return parsed;
  };
  if (values.only !== undefined && values.only !== 'single-view' && values.only !== 'rewards-page') throw new Error('--only is single-view or rewards-page');
  return {
    a: { env: envOf(values['a-env']), nodeArgs: values['a-node-arg'] },
    b: { env: envOf(values['b-env']), nodeArgs: values['b-node-arg'] },
    rounds: count('rounds', values.rounds),
    connections: count('connections', values.connections),
    durationSeconds: count('duration', values.duration),
    warmupSeconds: count('warmup', values.warmup),
    ...(values.only ? { only: values.only } : {}),
  };
}

/** User + system CPU seconds of a process and its children still running (the server's API processes). */
async function cpuSeconds(pid: number): Promise<number> {
  const ticks = async (id: number): Promise<number> => {
    const stat = await readFile(`/proc/${id}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  };
  let total = await ticks(pid);
  const children = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '')).trim();
  for (const child of children ? children.split(' ').map(Number) : []) total += await ticks(child).catch(() => 0);
  return total / CLOCK_TICKS_PER_SECOND;
}

interface AbRun {
  readonly load: LoadRunResult;
  readonly cpuMsPerRequest: number;
}

async function measured(target: Target, load: LoadSettings, requests: QueryRequests, round: number): Promise<AbRun> {
  const options = loadRunOptions(target, load, requests);
  // Warm up first (runLoad's own warm-up would count in the CPU time).
  await runLoad({ ...options, name: `${target.name}, round ${round} warm-up`, durationSeconds: load.warmupSeconds, warmupSeconds: 0 });
  const before = await cpuSeconds(target.server.pid);
  const result = await runLoad({ ...options, name: `${target.name}, round ${round}`, warmupSeconds: 0 });
  const cpu = (await cpuSeconds(target.server.pid)) - before;
  const cpuMsPerRequest = result.totalRequests > 0 ? (cpu * 1000) / result.totalRequests : Number.NaN;
  log(`[${target.name}, round ${round}] ${result.requestsPerSecond} req/s, ${cpuMsPerRequest.toFixed(2)} ms CPU/request, p99 ${result.latencyMs.p99} ms`);
  return { load: result, cpuMsPerRequest };
}

const round3 = (value: number): number => Math.round(value * 1000) / 1000;

async function compare(label: string, a: Target, b: Target, load: AbOptions, requests: QueryRequests): Promise<string> {
  const same = compareViews(requests, await fetchViews(b, requests), await fetchViews(a, requests));
  if (same.differences.length > 0) throw new Error(`${label}: A and B answer differently: ${same.differences.join("; ").slice(0, 1000)}`);
  // Both warmed before the rounds (uncounted), or the side that goes first runs cold in round 1.
  for (const target of [a, b]) await runLoad({ ...loadRunOptions(target, load, requests), name: `${target.name}, warm-up`, durationSeconds: WARM_UP_RUNS * load.warmupSeconds, warmupSeconds: 0 });
  const cpuRatios: number[] = [];
  const result = await alternatingRounds(
    load.rounds,
    (round) => measured(a, load, requests, round),
    (round) => measured(b, load, requests, round),
    (bRun, aRun) => {
      cpuRatios.push(round3(bRun.cpuMsPerRequest / aRun.cpuMsPerRequest));
      return round3(bRun.load.requestsPerSecond / aRun.load.requestsPerSecond);
    },
    (line) => log(`[${label}] B/A throughput, ${line}`),
  );
  const sortedCpu = [...cpuRatios].sort((x, y) => x - y);
  const rows = result.rounds.map(
    (round, i) =>
      `  round ${i + 1}: A ${round.floor.load.requestsPerSecond} req/s ${round.floor.cpuMsPerRequest.toFixed(2)} ms CPU/req; B ${round.graphql.load.requestsPerSecond} req/s ${round.graphql.cpuMsPerRequest.toFixed(2)} ms CPU/req; B/A throughput ${round.ratio}, CPU/request ${cpuRatios[i]}`,
  );
  return [`${label}: B/A throughput ${result.ratio} (median; ${result.ratioMin}–${result.ratioMax}), B/A CPU per request ${medianOf(cpuRatios)} (median; ${sortedCpu[0]}–${sortedCpu[sortedCpu.length - 1]})`, ...rows].join('\n');
}

async function runAb(options: AbOptions, cleanup: Cleanup): Promise<void> {
  const db = await openBenchDatabase({ database: QUERY_DATABASE, embeddedDir: path.join(ROOT, '.data/bench'), log });
  cleanup.add(() => db.stop());
  const dataset = await prepareDataset({ url: db.url, sizes: DEFAULT_SIZES, rebuild: false, log });
  const apiKey = await insertApiKey(db.url, ORG_ID, 'bench:query-ab');
  const start = async (name: string, variant: Variant): Promise<Target> => {
    const target = await startGraphqlServer(db.url, apiKey, variant.env, { name, nodeArgs: variant.nodeArgs });
    cleanup.add(() => target.server.stop());
    return target;
  };
  const a = await start('A', options.a);
  const b = await start('B', options.b);
  log(`A: ${JSON.stringify(options.a)}; B: ${JSON.stringify(options.b)}`);
  const lines: string[] = [];
  if (options.only !== 'rewards-page') {
    const requests = singleViewRequests(await readFile(SINGLE_VIEW_FILE, 'utf8'), dataset.sizes.customers, requestHeaders(apiKey));
    lines.push(await compare('single view', a, b, options, requests));
  }
  if (options.only !== 'single-view') {
    const ttlSeconds = 2 * options.rounds * (options.warmupSeconds + options.durationSeconds) + 600;
    const minted = await mintCustomerTokens({ url: db.url, orgId: ORG_ID, customers: dataset.sizes.customers, count: 1000, ttlSeconds });
    lines.push(await compare('rewards page', a, b, options, rewardsPageRequests(await readFile(REWARDS_PAGE_FILE, 'utf8'), minted)));
  }
  console.log(`\nA: ${JSON.stringify(options.a)}\nB: ${JSON.stringify(options.b)}\n${lines.join('\n')}`);
}

runBenchMain('bench:query-ab', (cleanup) => runAb(parseOptions(process.argv.slice(2)), cleanup));
