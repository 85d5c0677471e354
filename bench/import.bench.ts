import { createReadStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { createClient, type Client } from 'graphql-ws';
import pg from 'pg';
import WebSocket from 'ws';
import {
  Cleanup,
  insertApiKey,
  log,
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
import { openBenchDatabase } from './lib/dataset.js';
import { buildSeed, cloneSeed, copyBaseline, dropDatabase, MAPPING, updatesIn, writeCsv, type ImportSeed } from './lib/import-dataset.js';

/**
 * `npm run bench:import`: Loyalty Customers rows in random key order imported end to end (upload
 * over `POST /imports` → COMPLETED) into an org that already holds `existing` customers, beside a
 * baseline measured in the same run: COPY of the same file straight into an indexed table shaped
 * like it, holding as many rows. Reports rows/s of both and their ratio, the server's peak RSS on
 * a file of `rows` and one of `large-rows` rows, and throughput with 100 progress watchers against
 * none. Every run starts from a fresh copy of the same seed database.
 *
 * Flags: --rows N (1,000,000), --large-rows N (3,000,000; 0 skips), --existing N (1,000,000),
 * --watchers N (100), --pairs N (3: runs with watchers and without, interleaved).
 */

const DATABASE = 'bench_import';
const SEED = 'bench_import_seed';
const RUN = 'bench_import_run';
const BARS = { ratio: 0.5, peakRssMb: 300, watchersRatio: 0.95 };
const TERMINAL = new Set(['COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED', 'CANCELLED']);

interface BenchOptions {
  readonly rows: number;
  readonly largeRows: number;
  readonly existing: number;
  readonly watchers: number;
  /** Runs with watchers and without, interleaved, compared. */
  readonly pairs: number;
}

function readOptions(): BenchOptions {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '1000000' },
      'large-rows': { type: 'string', default: '3000000' },
      existing: { type: 'string', default: '1000000' },
      watchers: { type: 'string', default: '100' },
      pairs: { type: 'string', default: '3' },
    },
  });
  const count = (name: string, value: string, min: number): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min) throw new Error(`--${name} must be an integer ≥ ${min}, got "${value}"`);
    return parsed;
  };
  return {
    rows: count('rows', values.rows, 1),
    largeRows: count('large-rows', values['large-rows'], 0),
    existing: count('existing', values.existing, 0),
    watchers: count('watchers', values.watchers, 1),
    pairs: count('pairs', values.pairs, 1),
  };
}

// ---------------------------------------------------------------------------------------------
// Memory of the server process

function readStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number> {
  return readFile(`/proc/${pid}/status`, 'utf8').then((text) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(text)?.[1] ?? 0));
}

/** Samples the RSS every 100 ms; the kernel's own high-water mark (VmHWM) is read at the end too. */
class RssSampler {
  private peakKb = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pid: number) {
    this.timer = setInterval(() => {
      readStatusKb(pid, 'VmRSS')
        .then((kb) => {
          this.peakKb = Math.max(this.peakKb, kb);
        })
        .catch(() => undefined);
    }, 100);
  }

  async stop(): Promise<{ sampledPeakMb: number; highWaterMb: number }> {
    clearInterval(this.timer);
    const highWater = await readStatusKb(this.pid, 'VmHWM');
    return { sampledPeakMb: this.peakKb / 1024, highWaterMb: highWater / 1024 };
  }
}

// ---------------------------------------------------------------------------------------------
// One import run

const PROGRESS_SUBSCRIPTION = `subscription Watch($jobId: ID!) { importProgress(jobId: $jobId) { state rowsRead rowsAccepted rowsRejected } }`;
const JOB_QUERY = `query Job($id: ID!) { importJob(id: $id) { progress { state rowsRead rowsAccepted rowsRejected rowsCorrected } phases { phase seconds } errors(first: 5) { nodes { row code message } } } }`;

interface RunResult {
  readonly label: string;
  readonly rows: number;
  readonly fileMb: number;
  readonly watchers: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
  readonly idleRssMb: number;
  readonly peakRssMb: number;
  readonly state: string;
  readonly rowsAccepted: number;
  readonly rowsRejected: number;
  readonly phases: Record<string, number>;
  /** The server's RSS (MB) at the polls of each phase, highest. */
  readonly rssByPhase: Record<string, number>;
  /** Progress messages each watcher received (min / max). */
  readonly messagesPerWatcher: readonly [number, number];
  /** Customers in the org after the run, against what the file should leave. */
  readonly customersAfter: number;
  readonly customersExpected: number;
}

function openWatchers(wsUrl: string, apiKey: string, jobId: string, count: number): { done: Promise<number[]>; clients: Client[] } {
  const clients: Client[] = [];
  const runs: Promise<number>[] = [];
  for (let i = 0; i < count; i++) {
    const client = createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${apiKey}` }, retryAttempts: 0, lazy: false });
    clients.push(client);
    runs.push(
      new Promise<number>((resolve, reject) => {
        let messages = 0;
        client.subscribe(
          { query: PROGRESS_SUBSCRIPTION, variables: { jobId } },
          {
            next: (value) => {
              if (value.errors) reject(new Error(JSON.stringify(value.errors)));
              messages += 1;
            },
            error: (error: unknown) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
            complete: () => resolve(messages),
          },
        );
      }),
    );
  }
  return { done: Promise.all(runs), clients };
}

async function countCustomers(url: string, orgId: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('select count(*) as n from customer where org_id = $1', [orgId]);
    return Number(rows[0].n);
  } finally {
    await client.end();
  }
}

/**
 * `POST /imports` with the file streamed from disk (node:http, as curl would send it: with a fetch
 * body made from a web stream the same upload took a fifth longer, the client sharing the cores).
 */
function uploadFile(url: string, apiKey: string, file: string): Promise<{ job: { id: string } }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'text/csv' } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => {
        try {
          const parsed = JSON.parse(body) as { job?: { id: string } };
          if (parsed.job) resolve({ job: parsed.job });
          else reject(new Error(`Upload refused (${response.statusCode}): ${body}`));
        } catch {
          reject(new Error(`Upload refused (${response.statusCode}): ${body}`));
        }
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    pipeline(createReadStream(file, { highWaterMark: 1024 * 1024 }), request).catch(reject);
  });
}

async function importRun(
  options: { baseUrl: string; seed: ImportSeed; file: string; fileBytes: number; rows: number; watchers: number; label: string },
  cleanup: Cleanup,
): Promise<RunResult> {
  const { seed } = options;
  const url = await cloneSeed(options.baseUrl, SEED, RUN);
  const apiKey = await insertApiKey(url, seed.orgId, 'bench:import');
  const target: Target = await startGraphqlServer(url, apiKey);
  cleanup.add(() => target.server.stop());
  const headers = requestHeaders(apiKey);
  const graphql = async (query: string, variables: Record<string, unknown>) => {
    const response = await postGraphql(target.url, headers, JSON.stringify({ query, variables }));
    if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
    return response.body.data as Record<string, any>;
  };
  try {
    const created = await graphql(
      `mutation T($input: ImportTemplateCreateInput!) { importTemplateCreate(input: $input) { template { id } userErrors { code message } } }`,
      { input: { name: `bench ${options.label}`, profile: 'LOYALTY_CUSTOMERS', mapping: MAPPING, options: { customerIdentifierType: 'MOBILE' } } },
    );
    const templateId = created.importTemplateCreate.template?.id;
    if (!templateId) throw new Error(`Could not create the template: ${JSON.stringify(created.importTemplateCreate.userErrors)}`);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const idleRssMb = (await readStatusKb(target.server.pid, 'VmRSS')) / 1024;
    const sampler = new RssSampler(target.server.pid);

    log(`[${options.label}] uploading ${thousands(options.rows)} rows (${(options.fileBytes / 1e6).toFixed(0)} MB) with ${options.watchers} watchers…`);
    const started = process.hrtime.bigint();
    const base = target.url.replace(/\/graphql$/, '');
    const uploaded = await uploadFile(`${base}/imports?templateId=${encodeURIComponent(templateId)}&fileName=bench.csv`, apiKey, options.file);
    const jobId = uploaded.job.id;
    const uploadSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    log(`[${options.label}] uploaded in ${uploadSeconds.toFixed(1)} s: job ${jobId}`);

    const watchers = options.watchers > 0 ? openWatchers(target.url.replace(/^http/, 'ws'), apiKey, jobId, options.watchers) : undefined;
    // The same light poll in every run tells when the job ends (watchers or not).
    let state = 'QUEUED';
    let lastLog = 0;
    const rssByPhase: Record<string, number> = {};
    while (!TERMINAL.has(state)) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const job = (await graphql(JOB_QUERY, { id: jobId })).importJob;
      state = job.progress.state;
      const rssMb = Math.round((await readStatusKb(target.server.pid, 'VmRSS')) / 1024);
      rssByPhase[state] = Math.max(rssByPhase[state] ?? 0, rssMb);
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        log(`[${options.label}] ${state} read ${thousands(job.progress.rowsRead)} accepted ${thousands(job.progress.rowsAccepted)}`);
      }
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const memory = await sampler.stop();
    const messages = watchers ? await watchers.done : [];
    await Promise.all((watchers?.clients ?? []).map((client) => client.dispose()));
    const job = (await graphql(JOB_QUERY, { id: jobId })).importJob;
    if (job.progress.rowsRejected > 0) log(`[${options.label}] rejected rows, e.g. ${JSON.stringify(job.errors.nodes)}`);
    const phases = Object.fromEntries((job.phases as { phase: string; seconds: number | null }[]).map((phase) => [phase.phase, Number((phase.seconds ?? 0).toFixed(1))]));
    phases.UPLOAD = Number(uploadSeconds.toFixed(1));
    const newRows = options.rows - updatesIn(options.rows, seed.existing);
    const result: RunResult = {
      label: options.label,
      rows: options.rows,
      fileMb: Number((options.fileBytes / 1e6).toFixed(1)),
      watchers: options.watchers,
      seconds: Number(seconds.toFixed(2)),
      rowsPerSecond: Math.round(options.rows / seconds),
      idleRssMb: Math.round(idleRssMb),
      peakRssMb: Math.round(Math.max(memory.highWaterMb, memory.sampledPeakMb)),
      state,
      rowsAccepted: job.progress.rowsAccepted,
      rowsRejected: job.progress.rowsRejected,
      phases,
      rssByPhase,
      messagesPerWatcher: messages.length ? [Math.min(...messages), Math.max(...messages)] : [0, 0],
      customersAfter: await countCustomers(url, seed.orgId),
      customersExpected: seed.existing + newRows,
    };
    log(`[${options.label}] ${state} in ${seconds.toFixed(1)} s: ${thousands(result.rowsPerSecond)} rows/s, peak RSS ${result.peakRssMb} MB (idle ${result.idleRssMb} MB), phases ${JSON.stringify(phases)}, RSS by phase ${JSON.stringify(rssByPhase)}`);
    return result;
  } finally {
    await target.server.stop();
    await dropDatabase(options.baseUrl, RUN);
  }
}

// ---------------------------------------------------------------------------------------------
// Report

interface BenchReport {
  readonly date: string;
  readonly machine: string;
  readonly node: string;
  readonly postgres: string;
  readonly embedded: boolean;
  readonly existing: number;
  /** The COPYs interleaved with the imports: total rows over total seconds (rows/s of each in `runs`). */
  readonly baseline: { rows: number; seconds: number; rowsPerSecond: number; runs: readonly number[] };
  /** The imports without watchers of the main file: total rows over total seconds. */
  readonly importRowsPerSecond: number;
  readonly runs: readonly RunResult[];
  readonly ratio: number;
  readonly watchersRatio: number;
  readonly peakRssMb: number;
  readonly pass: { ratio: boolean; peakRss: boolean; watchers: boolean; correct: boolean };
}

function summary(report: BenchReport): string {
  const watched = report.runs.find((run) => run.watchers > 0)!;
  const pairs = report.runs.filter((run) => run.watchers > 0).length;
  const lines = [
    '### Import benchmark: Loyalty Customers, upload → COMPLETED',
    '',
    `| Measure | Result | Bar |`,
    `|---|---:|---:|`,
    `| Baseline: COPY into an indexed table (rows/s; ${report.baseline.runs.length} runs, one before each import and one after the last: ${report.baseline.runs.map(thousands).join(', ')}) | ${thousands(report.baseline.rowsPerSecond)} | |`,
    `| Import, no watchers (rows/s; the ${pairs} runs: total rows / total seconds) | ${thousands(report.importRowsPerSecond)} | |`,
    `| **Import / baseline** | **${report.ratio.toFixed(3)}** | ≥ ${BARS.ratio} ${report.pass.ratio ? '✅' : '❌'} |`,
    `| Import with ${watched.watchers} progress watchers / without (${pairs} runs each, interleaved: total rows / total seconds) | **${report.watchersRatio.toFixed(3)}** | ≥ ${BARS.watchersRatio} ${report.pass.watchers ? '✅' : '❌'} |`,
    ...report.runs.map((run) => `| Server peak RSS, ${thousands(run.rows)} rows, ${run.watchers} watchers (MB; idle ${run.idleRssMb}) | ${run.peakRssMb} | < ${BARS.peakRssMb} ${run.peakRssMb < BARS.peakRssMb ? '✅' : '❌'} |`),
    '',
    '| Run | rows | seconds | rows/s | upload | PARSING | VALIDATING | MERGING | state | accepted | rejected | customers after (expected) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|',
    ...report.runs.map(
      (run) =>
        `| ${run.label} | ${thousands(run.rows)} | ${run.seconds.toFixed(1)} | ${thousands(run.rowsPerSecond)} | ${run.phases.UPLOAD ?? '–'} | ${run.phases.PARSING ?? '–'} | ${run.phases.VALIDATING ?? '–'} | ${run.phases.MERGING ?? '–'} | ${run.state} | ${thousands(run.rowsAccepted)} | ${thousands(run.rowsRejected)} | ${thousands(run.customersAfter)} (${thousands(run.customersExpected)}) |`,
    ),
    '',
    `Each run starts from a fresh copy of one seed database: an org with ${thousands(report.existing)} customers (mobile, email, external id, enrolment), ` +
      `and a file in random key order where one row in five updates an existing customer (matched by mobile) and the rest add new ones. ` +
      `Baseline: COPY of the same file (client-side stream) into a table shaped like it with the customer table's three unique keys, holding ${thousands(report.existing)} rows. ` +
      `Import: \`POST /imports\` streaming the file from disk (node:http), then the in-server worker through PARSING, VALIDATING and MERGING, until the job is COMPLETED; timed from the first byte sent. ` +
      `Peak RSS: the server process's VmHWM (and 100 ms samples). Watchers: graphql-ws clients subscribed to \`importProgress\`, each on its own socket (min/max messages each: ${watched.messagesPerWatcher.join('/')}). ` +
      `${report.machine}, Node ${report.node}, PostgreSQL ${report.postgres}${report.embedded ? ' (embedded)' : ''}, server, database and client on one machine; ${report.date}.`,
  ];
  return lines.join('\n');
}

async function runBench(options: BenchOptions, cleanup: Cleanup): Promise<BenchReport> {
  const db = await openBenchDatabase({ database: DATABASE, embeddedDir: path.join(ROOT, '.data/bench'), log });
  cleanup.add(() => db.stop());
  const seed = await buildSeed(db.url, SEED, options.existing, log);
  const dir = path.join(ROOT, '.data/bench-import');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `customers-${options.rows}.csv`);
  const fileBytes = await writeCsv(file, options.rows, options.existing);
  log(`File: ${thousands(options.rows)} rows, ${(fileBytes / 1e6).toFixed(0)} MB`);

  // A baseline runs before each import and after the last (each on a fresh copy of the seed), so
  // every import follows the same step. The imports without watchers are compared with all the
  // baselines, total rows over total seconds on both sides, so a noisy moment weighs on both
  // alike (single runs differ by up to ±15 % on this machine with nothing changed).
  const baselines: { rows: number; seconds: number }[] = [];
  const measureBaseline = async (): Promise<void> => {
    const baselineUrl = await cloneSeed(db.url, SEED, RUN);
    const copied = await copyBaseline(baselineUrl, file);
    await dropDatabase(db.url, RUN);
    log(`Baseline COPY: ${thousands(copied.rows)} rows in ${copied.seconds.toFixed(2)} s = ${thousands(Math.round(copied.rows / copied.seconds))} rows/s`);
    baselines.push(copied);
  };
  // Watchers against none: `pairs` runs of each, interleaved, compared the same way.
  const runs: RunResult[] = [];
  for (let pair = 1; pair <= options.pairs; pair++) {
    const again = pair === 1 ? '' : `, run ${pair}`;
    await measureBaseline();
    runs.push(await importRun({ baseUrl: db.url, seed, file, fileBytes, rows: options.rows, watchers: 0, label: `no watchers${again}` }, cleanup));
    await measureBaseline();
    runs.push(await importRun({ baseUrl: db.url, seed, file, fileBytes, rows: options.rows, watchers: options.watchers, label: `${options.watchers} watchers${again}` }, cleanup));
  }
  await measureBaseline();
  const baselineSeconds = baselines.reduce((sum, one) => sum + one.seconds, 0);
  const baselineRows = baselines.reduce((sum, one) => sum + one.rows, 0);
  const baseline = {
    rows: baselines[0].rows,
    seconds: Number((baselineSeconds / baselines.length).toFixed(2)),
    rowsPerSecond: Math.round(baselineRows / baselineSeconds),
    runs: baselines.map((one) => Math.round(one.rows / one.seconds)),
  };
  if (options.largeRows > 0) {
    const largeFile = path.join(dir, `customers-${options.largeRows}.csv`);
    const largeBytes = await writeCsv(largeFile, options.largeRows, options.existing);
    runs.push(await importRun({ baseUrl: db.url, seed, file: largeFile, fileBytes: largeBytes, rows: options.largeRows, watchers: 0, label: 'large file' }, cleanup));
  }
  const throughput = (watchers: number): number => {
    const some = runs.filter((run) => run.rows === options.rows && (run.watchers > 0) === watchers > 0);
    return some.reduce((sum, run) => sum + run.rows, 0) / some.reduce((sum, run) => sum + run.seconds, 0);
  };
  const plain = Math.round(throughput(0));
  const ratio = plain / baseline.rowsPerSecond;
  const watchersRatio = throughput(options.watchers) / throughput(0);
  const peakRssMb = Math.max(...runs.map((run) => run.peakRssMb));
  const correct = runs.every((run) => run.state === 'COMPLETED' && run.rowsAccepted === run.rows && run.customersAfter === run.customersExpected);
  return {
    date: new Date().toISOString().slice(0, 10),
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'}`,
    node: process.version,
    postgres: await postgresVersion(db.url),
    embedded: db.embedded,
    existing: options.existing,
    baseline,
    importRowsPerSecond: plain,
    runs,
    ratio: Number(ratio.toFixed(3)),
    watchersRatio: Number(watchersRatio.toFixed(3)),
    peakRssMb,
    pass: {
      ratio: ratio >= BARS.ratio,
      peakRss: peakRssMb < BARS.peakRssMb,
      watchers: watchersRatio >= BARS.watchersRatio,
      correct,
    },
  };
}

runBenchMain('bench:import', async (cleanup) => {
  const options = readOptions();
  const report = await runBench(options, cleanup);
  const text = summary(report);
  console.log(text);
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeAtomically(path.join(RESULTS_DIR, 'import.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeAtomically(path.join(RESULTS_DIR, 'import.md'), `${text}\n`);
  log(`Results: bench/results/import.json, bench/results/import.md`);
  // Missing a bar is a result; wrong data makes the numbers meaningless.
  if (!report.pass.correct) throw new Error('An import did not complete every row as expected (see the table)');
});
