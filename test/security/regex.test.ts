import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportTemplateCreateDocument, ImportTemplateUpdateDocument, OrgSettingsUpdateDocument } from '../generated/graphql.js';
import type { ImportRowConditionInput } from '../generated/schema-types.js';
import { gqlClient, typedRequest, type GqlClient } from '../support/client.js';
import { createTemplate, csv, storeCodeOf } from '../support/imports.js';
import { startApiProcess, type ApiProcess } from '../support/api-process.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createOrg, type TestOrg } from '../support/world.js';

/*
 * Patterns users write (an import template's MATCHES row filter, the org's mobile pattern) run on
 * a linear-time engine: one that backtracks exponentially in JavaScript costs nothing more, and
 * one the engine cannot run (a backreference, a lookaround) is refused when it is saved.
 *
 * The API runs as `npm start` in a process of its own, so a pattern that froze it would freeze
 * only it: this process keeps polling /health and a GraphQL query and sees how long they wait.
 */

/** The slowest answer /health and a GraphQL query may give while an import and its report run. */
const LATENCY_BAR_MS = 200;
/** Longer than any answer of a live server: a frozen one is recorded at this latency. */
const PROBE_TIMEOUT_MS = 2_000;
/** Longer than the imports here take on a slow machine: past it the process is taken as frozen. */
const JOB_DEADLINE_MS = 40_000;
const TERMINAL = ['COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED', 'CANCELLED'];
/** 40 `a`s and a `!`: `^(a+)+$` tries 2^40 ways to split them before giving up in a backtracking engine. */
const EVIL = `${'a'.repeat(40)}!`;

function localId(globalId: string): number {
  return Number(Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1]);
}

/** POSTs a GraphQL operation, giving up after PROBE_TIMEOUT_MS. */
async function graphql<T>(origin: string, key: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (!body.data) throw new Error(`GraphQL failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}

interface Slowest {
  health: number;
  graphql: number;
  samples: number;
}

const PROBE_QUERY = 'query Probe { __typename }';

/** Polls /health and a GraphQL query one after the other until stopped; keeps the slowest answer of each. */
function probeLatency(origin: string, key: string): { stop(): Promise<Slowest> } {
  const slowest: Slowest = { health: 0, graphql: 0, samples: 0 };
  let running = true;
  const timed = async (name: 'health' | 'graphql', request: () => Promise<unknown>): Promise<void> => {
    const started = performance.now();
    try {
      await request();
    } catch {
      // A request that timed out counts with the time it waited.
    }
    slowest[name] = Math.max(slowest[name], performance.now() - started);
  };
  const loop = (async () => {
    while (running) {
      await timed('health', async () => {
        const response = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
        if (((await response.json()) as { status?: string }).status !== 'ok') throw new Error('unhealthy');
      });
      // A query that reads nothing from the database: what it waits for is the process, not the import's SQL.
      await timed('graphql', () => graphql(origin, key, PROBE_QUERY));
      slowest.samples += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return slowest;
    },
  };
}

/** The same probe over a second with nothing else running: a failure message then tells a loaded machine from a stalled process. */
async function idleLatency(origin: string, key: string): Promise<Slowest> {
  const probe = probeLatency(origin, key);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  return probe.stop();
}

function expectResponsive(slowest: Slowest, idle: Slowest): void {
  const context = `slowest answers during the work ${JSON.stringify(slowest)}, idle ${JSON.stringify(idle)} (ms)`;
  expect(slowest.samples, context).toBeGreaterThan(0);
  expect(slowest.health, context).toBeLessThan(LATENCY_BAR_MS);
  expect(slowest.graphql, context).toBeLessThan(LATENCY_BAR_MS);
}

interface JobSummary {
  readonly state: string;
  readonly progress: { rowsRead: number; rowsFiltered: number; rowsAccepted: number; rowsRejected: number };
}

const JOB_QUERY = 'query Job($id: ID!) { importJob(id: $id) { state progress { rowsRead rowsFiltered rowsAccepted rowsRejected } } }';

/** Polls the job until it ends; a process that stopped answering fails the test instead of hanging it. */
async function jobEnd(origin: string, key: string, id: string): Promise<JobSummary> {
  const deadline = Date.now() + JOB_DEADLINE_MS;
  for (;;) {
    try {
      const { importJob } = await graphql<{ importJob: JobSummary }>(origin, key, JOB_QUERY, { id });
      if (TERMINAL.includes(importJob.state)) return importJob;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`The API process stopped answering during the import: ${String(error)}`);
    }
    if (Date.now() > deadline) throw new Error('The import did not end in time: the API process is stalled');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function upload(origin: string, key: string, templateId: string, body: string): Promise<string> {
  const response = await fetch(`${origin}/imports?templateId=${encodeURIComponent(templateId)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { job: { id: string } }).job.id;
}

/** The report's outcome column, counted. */
async function reportOutcomes(origin: string, key: string, jobId: string): Promise<{ outcomes: Record<string, number>; rows: string[] }> {
  const response = await fetch(`${origin}/imports/${jobId}/report.csv`, { headers: { authorization: `Bearer ${key}` }, signal: AbortSignal.timeout(JOB_DEADLINE_MS) });
  expect(response.status).toBe(200);
  const rows = (await response.text()).trimEnd().split('\n');
  const outcomeAt = rows[0].split(',').indexOf('import_outcome');
  const outcomes: Record<string, number> = {};
  for (const row of rows.slice(1)) {
    const outcome = row.split(',')[outcomeAt];
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  }
  return { outcomes, rows };
}

/**
 * What a fresh process does slowly once (compiling the code of a query, of an import and of its
 * report on first use) is done before anything is measured: one small import with its report.
 */
async function warmUp(origin: string, key: string, client: GqlClient, store: string): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await fetch(`${origin}/health`);
    await graphql(origin, key, PROBE_QUERY);
  }
  const templateId = await createTemplate(client, {
    name: 'Warm-up',
    profile: 'LOYALTY_CUSTOMERS',
    mapping: [
      { header: 'Mobile', field: 'mobile' },
      { header: 'First Name', field: 'firstName' },
      { header: 'Store', field: 'storeCode' },
    ],
    options: { rowFilter: [{ column: 'Mobile', operator: 'MATCHES', values: ['^659'] }] },
  });
  const rows = [['Mobile', 'First Name', 'Store'], ['6599000001', 'Wim', store], ['6599', 'Wim', store], ['6589000001', 'Wim', store]];
  const jobId = await upload(origin, key, templateId, csv(rows));
  await jobEnd(origin, key, jobId);
  await reportOutcomes(origin, key, jobId);
}

interface World {
  readonly server: TestServer;
  readonly api: ApiProcess;
  readonly org: TestOrg;
  readonly client: GqlClient;
  readonly store: string;
}

/** An org on a test database, with `npm start` on that database running its jobs, warmed up. */
async function startWorld(): Promise<World> {
  // This server's own workers stay idle: the jobs run in the API process.
  const server = await startTestServer({ importWorkers: 0 });
  const org = await createOrg(server.em());
  const store = await storeCodeOf(server, org);
  const api = await startApiProcess(server.databaseUrl);
  const client = gqlClient(`${api.origin}/graphql`, org.key);
  await warmUp(api.origin, org.key, client, store);
  return { server, api, org, client, store };
}

async function stopWorld(server: TestServer | undefined, api: ApiProcess | undefined): Promise<void> {
  // A frozen process cannot drain: it is killed outright.
  await api?.stop({ kill: true });
  await server?.stop();
}

describe('import row filters (MATCHES)', () => {
  let server: TestServer;
  let api: ApiProcess | undefined;
  let org: TestOrg;
  let client: GqlClient;
  let store: string;

  beforeAll(async () => {
    ({ server, api, org, client, store } = await startWorld());
  });
  afterAll(() => stopWorld(server, api));

  function customersWithFilter(name: string, rowFilter: ImportRowConditionInput[]): Promise<string> {
    return createTemplate(client, {
      name,
      profile: 'LOYALTY_CUSTOMERS',
      mapping: [
        { header: 'Mobile', field: 'mobile' },
        { header: 'First Name', field: 'firstName' },
        { header: 'Store', field: 'storeCode' },
      ],
      options: { rowFilter },
    });
  }

  it('runs ^(a+)+$ over 40 a and ! without stalling the process, in the import and in its report', async () => {
    const templateId = await customersWithFilter('Catastrophic filter', [{ column: 'Code', operator: 'MATCHES', values: ['^(a+)+$'] }]);
    const filtered = 200;
    const rows: string[][] = [['Mobile', 'First Name', 'Store', 'Code']];
    for (let i = 0; i < filtered; i++) rows.push([`6580${String(i).padStart(6, '0')}`, 'Eve', store, EVIL]);
    rows.push(['6591000001', 'Ann', store, 'aaaa'], ['6591000002', 'Bob', store, 'a']);

    const idle = await idleLatency(api!.origin, org.key);
    const probe = probeLatency(api!.origin, org.key);
    let job: JobSummary;
    let report: Awaited<ReturnType<typeof reportOutcomes>>;
    try {
      const jobId = await upload(api!.origin, org.key, templateId, csv(rows));
      job = await jobEnd(api!.origin, org.key, jobId);
      report = await reportOutcomes(api!.origin, org.key, jobId);
    } finally {
      expectResponsive(await probe.stop(), idle);
    }
    // Rows matching are imported, the others skipped as FILTERED: as with RegExp.
    expect(job).toEqual({ state: 'COMPLETED', progress: { rowsRead: filtered + 2, rowsFiltered: filtered, rowsAccepted: 2, rowsRejected: 0 } });
    expect(report.outcomes).toEqual({ FILTERED: filtered, ACCEPTED: 2 });
    expect(report.rows.at(-1)).toMatch(/^6591000002,Bob,.*,a,ACCEPTED,/);
  });

  it('keeps the meaning of patterns over non-ASCII text (code points, Unicode properties)', async () => {
    const templateId = await customersWithFilter('Non-ASCII filter', [{ column: 'Tag', operator: 'MATCHES', values: ['^Zoë$', '^\\p{Script=Greek}{2}$', '^\\u{1F600}'] }]);
    const tags = ['Zoë', 'Zoe', 'αβ', 'αβγ', '😀 smile', ':) smile'];
    const rows = [['Mobile', 'First Name', 'Store', 'Tag'], ...tags.map((tag, i) => [`659200000${i}`, 'Ann', store, tag])];
    const jobId = await upload(api!.origin, org.key, templateId, csv(rows));
    expect((await jobEnd(api!.origin, org.key, jobId)).progress).toMatchObject({ rowsFiltered: 3, rowsAccepted: 3 });
    const { rows: lines } = await reportOutcomes(api!.origin, org.key, jobId);
    expect(lines.slice(1).map((line) => line.split(',').slice(3, 5).join(' '))).toEqual([
      'Zoë ACCEPTED',
      'Zoe FILTERED',
      'αβ ACCEPTED',
      'αβγ FILTERED',
      '😀 smile ACCEPTED',
      ':) smile FILTERED',
    ]);
  });

  it.each([
    ['a backreference', '^(a)\\1$'],
    ['a lookahead', '^(?=a)a'],
    ['a lookbehind', '(?<!a)b'],
  ])('refuses a pattern with %s when a template is created or updated', async (_what, pattern) => {
    const input = {
      name: `Refused ${pattern}`,
      profile: 'LOYALTY_CUSTOMERS' as const,
      mapping: [
        { header: 'Mobile', field: 'mobile' },
        { header: 'First Name', field: 'firstName' },
        { header: 'Store', field: 'storeCode' },
      ],
    };
    const created = await typedRequest(client, ImportTemplateCreateDocument, {
      input: { ...input, options: { rowFilter: [{ column: 'Code', operator: 'MATCHES', values: ['^ok$', pattern] }] } },
    });
    expect(created.data?.importTemplateCreate.template).toBeNull();
    expect(created.data?.importTemplateCreate.userErrors).toEqual([
      { code: 'ROW_FILTER_PATTERN_UNSUPPORTED', field: ['input', 'options', 'rowFilter', '0', 'values'], message: expect.stringContaining(pattern) },
    ]);

    const id = await createTemplate(client, input);
    const updated = await typedRequest(client, ImportTemplateUpdateDocument, {
      input: { id, options: { rowFilter: [{ column: 'Code', operator: 'MATCHES', values: [pattern] }] } },
    });
    expect(updated.data?.importTemplateUpdate.userErrors.map((error) => error.code)).toEqual(['ROW_FILTER_PATTERN_UNSUPPORTED']);
  });

  it('fails an import whose row filter was saved before patterns were checked, with a code and no retries, and its report says why', async () => {
    const templateId = await customersWithFilter('Saved long ago', [{ column: 'Code', operator: 'MATCHES', values: ['^a$'] }]);
    // What a template saved by an earlier version may hold: a backreference RE2 cannot run.
    await server.em().execute(`update import_template set options = jsonb_set(options::jsonb, '{rowFilter,0,values}', '["^(a)\\\\1$"]') where id = ?`, [localId(templateId)]);
    const jobId = await upload(api!.origin, org.key, templateId, csv([['Mobile', 'First Name', 'Store', 'Code'], ['6592000001', 'Ann', store, 'aa']]));
    const job = await jobEnd(api!.origin, org.key, jobId);
    expect(job.state).toBe('FAILED');
    const { importJob } = await graphql<{ importJob: { failure: { code: string; message: string }; replayableUntil: string | null } }>(
      api!.origin,
      org.key,
      'query Job($id: ID!) { importJob(id: $id) { failure { code message } replayableUntil } }',
      { id: jobId },
    );
    expect(importJob).toEqual({ failure: { code: 'PATTERN_UNSUPPORTED', message: expect.stringContaining('The row filter pattern "^(a)\\1$" cannot be used') }, replayableUntil: null });
    const [attempts] = await server.em().execute<{ attempts: number }[]>('select attempts from import_job where id = ?', [localId(jobId)]);
    expect(attempts.attempts).toBe(0);
    const report = await fetch(`${api!.origin}/imports/${jobId}/report.csv`, { headers: { authorization: `Bearer ${org.key}` } });
    expect(report.status).toBe(409);
    expect(await report.json()).toMatchObject({ errors: [{ message: expect.stringContaining('^(a)\\1$'), extensions: { code: 'PATTERN_UNSUPPORTED' } }] });
  });

  it('refuses a pattern longer than 500 characters', async () => {
    const response = await typedRequest(client, ImportTemplateCreateDocument, {
      input: {
        name: 'Too long',
        profile: 'LOYALTY_CUSTOMERS',
        mapping: [
          { header: 'Mobile', field: 'mobile' },
          { header: 'First Name', field: 'firstName' },
          { header: 'Store', field: 'storeCode' },
        ],
        options: { rowFilter: [{ column: 'Code', operator: 'MATCHES', values: ['a'.repeat(501)] }] },
      },
    });
    expect(response.data?.importTemplateCreate.userErrors.map((error) => [error.code, error.message])).toEqual([['INVALID_INPUT', 'A row filter pattern is at most 500 characters.']]);
  });
});

describe("the org's mobile pattern", () => {
  let server: TestServer;
  let api: ApiProcess | undefined;
  let org: TestOrg;
  let client: GqlClient;
  let store: string;

  beforeAll(async () => {
    ({ server, api, org, client, store } = await startWorld());
  });
  afterAll(() => stopWorld(server, api));

  it('runs a catastrophic mobile pattern over every row of an import without stalling the process', async () => {
    // A good mobile matches the first branch; every other one walks the second, 4^15 ways in a backtracking engine.
    const mobileRegex = '^65[0-9]{8}$|^(((\\d+)+)+)+x$';
    const update = await typedRequest(client, OrgSettingsUpdateDocument, { input: { mobileRegex } });
    expect(update.data?.orgSettingsUpdate.userErrors).toEqual([]);
    const templateId = await createTemplate(client, {
      name: 'Customers',
      profile: 'LOYALTY_CUSTOMERS',
      mapping: [
        { header: 'Mobile', field: 'mobile' },
        { header: 'First Name', field: 'firstName' },
        { header: 'Store', field: 'storeCode' },
      ],
    });
    const bad = 200;
    const rows: string[][] = [['Mobile', 'First Name', 'Store']];
    for (let i = 0; i < bad; i++) rows.push([`1234${String(i).padStart(12, '0')}`, 'Eve', store]);
    rows.push(['6593000001', 'Ann', store]);

    const idle = await idleLatency(api!.origin, org.key);
    const probe = probeLatency(api!.origin, org.key);
    let job: JobSummary;
    try {
      const jobId = await upload(api!.origin, org.key, templateId, csv(rows));
      job = await jobEnd(api!.origin, org.key, jobId);
    } finally {
      expectResponsive(await probe.stop(), idle);
    }
    expect(job).toEqual({ state: 'COMPLETED_WITH_ERRORS', progress: { rowsRead: bad + 1, rowsFiltered: 0, rowsAccepted: 1, rowsRejected: bad } });
  });

  it('refuses a mobile pattern with a backreference or a lookaround', async () => {
    for (const mobileRegex of ['^(\\d)\\1+$', '^(?!0)\\d+$']) {
      const response = await typedRequest(client, OrgSettingsUpdateDocument, { input: { mobileRegex } });
      expect(response.data?.orgSettingsUpdate.userErrors).toEqual([
        { code: 'MOBILE_REGEX_UNSUPPORTED', field: ['input', 'mobileRegex'], message: expect.stringContaining('linear-time') },
      ]);
    }
  });
});
