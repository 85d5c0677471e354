import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/app/embedded-db.js';
import { gqlClient, type GqlClient } from './support/client.js';
import { customersTemplate, storeCodeOf, csv } from './support/imports.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createOrg, type TestOrg } from './support/world.js';

/*
 * `npm run import` as a user runs it: the CLI in a child process against a real server, its exit
 * code, its progress on stderr (not a terminal here: plain lines), its summary on stdout, the
 * report it points to, and what ends up in the graph.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const NODE = path.join(ROOT, 'node_modules/.bin/node');

interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI to its end; `onStderr` sees stderr as it grows (and may signal the child). */
function runCli(args: readonly string[], options: { env?: Record<string, string>; onStderr?: (stderr: string, child: ChildProcess) => void } = {}): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  if (!options.env?.LOYALTY_API_KEY) delete env.LOYALTY_API_KEY;
  if (!options.env?.LOYALTY_URL) delete env.LOYALTY_URL;
  const child = spawn(NODE, ['--import', 'tsx', 'src/cli/import.ts', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    options.onStderr?.(stderr, child);
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const CUSTOMER_QUERY = 'query ($value: String!) { customerByIdentifier(type: MOBILE, value: $value) { firstName mobile } }';

async function customerByMobile(client: GqlClient, mobile: string): Promise<{ firstName: string } | null> {
  const response = await client.request<{ customerByIdentifier: { firstName: string } | null }>(CUSTOMER_QUERY, { value: mobile });
  expect(response.errors).toBeUndefined();
  return response.data!.customerByIdentifier;
}

describe('npm run import', () => {
  let server: TestServer;
  let origin: string;
  let org: TestOrg;
  let client: GqlClient;
  let templateId: string;
  let storeCode: string;
  let dir: string;

  /** A CSV file of customers (mobile, first name) in the test's store; `badStore` rows name a store that does not exist. */
  async function customersFile(name: string, rows: readonly { mobile: string; firstName: string; badStore?: boolean }[]): Promise<string> {
    const file = path.join(dir, name);
    await writeFile(file, csv([['Mobile', 'First Name', 'Store'], ...rows.map((row) => [row.mobile, row.firstName, row.badStore ? 'nowhere' : storeCode])]));
    return file;
  }

  beforeAll(async () => {
    server = await startTestServer();
    origin = new URL(server.url).origin;
    org = await createOrg(server.em());
    client = gqlClient(server.url, org.key);
    storeCode = await storeCodeOf(server, org);
    templateId = await customersTemplate(client);
    dir = await mkdtemp(path.join(os.tmpdir(), 'import-cli-'));
  });
  afterAll(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('imports a file with a bad row: live progress, COMPLETED_WITH_ERRORS (exit 1), the summary, a report that downloads, the customers in the graph', async () => {
    const file = await customersFile('members.csv', [
      { mobile: '6591000001', firstName: 'Ann' },
      { mobile: '6591000002', firstName: 'Ben' },
      { mobile: '6591000003', firstName: 'Cat', badStore: true },
      { mobile: '6591000004', firstName: 'Dan' },
    ]);

    const run = await runCli(['--url', origin, '--key', org.key, '--template', templateId, file]);

    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^Import COMPLETED_WITH_ERRORS\n/);
    expect(run.stdout).toContain('read 4 · accepted 3 · rejected 1 · corrected 0');
    expect(run.stdout).toMatch(/errors\s+STORE_UNKNOWN × 1\n/);
    expect(run.stdout).toContain('members.csv');
    // Progress from the subscription: the upload's answer only says QUEUED; the end state comes from importProgress.
    expect(run.stderr).toMatch(/^import: COMPLETED_WITH_ERRORS 100% · read 4 · accepted 3 · rejected 1 · corrected 0/m);
    expect(run.stderr).toMatch(/^import: UPLOADING /m);

    const reportUrl = /report\s+(\S+)/.exec(run.stdout)?.[1];
    expect(reportUrl).toMatch(new RegExp(`^${origin}/imports/[\\w-]+/report\\.csv$`));
    expect(run.stdout).toContain(`curl -fsS -H "authorization: Bearer $LOYALTY_API_KEY" -o import-report.csv '${reportUrl}'`);
    const report = await fetch(reportUrl!, { headers: { authorization: `Bearer ${org.key}` } });
    expect(report.status).toBe(200);
    const reportText = await report.text();
    expect(reportText).toContain('import_outcome');
    for (const mobile of ['6591000001', '6591000002', '6591000003', '6591000004']) expect(reportText).toContain(mobile);
    expect(reportText).toContain('STORE_UNKNOWN');

    expect(await customerByMobile(client, '6591000001')).toMatchObject({ firstName: 'Ann' });
    expect(await customerByMobile(client, '6591000004')).toMatchObject({ firstName: 'Dan' });
    expect(await customerByMobile(client, '6591000003')).toBeNull();
  });

  it('exits 0 with COMPLETED when every row is accepted (server and key from LOYALTY_URL and LOYALTY_API_KEY)', async () => {
    const file = await customersFile('good.csv', [
      { mobile: '6592000001', firstName: 'Eve' },
      { mobile: '6592000002', firstName: 'Fay' },
    ]);

    const run = await runCli(['--template', templateId, file], { env: { LOYALTY_URL: `${origin}/graphql`, LOYALTY_API_KEY: org.key } });

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Import COMPLETED\n/);
    expect(run.stdout).toContain('read 2 · accepted 2 · rejected 0');
    expect(run.stdout).not.toMatch(/^\s+errors/m);
    expect(run.stderr).toMatch(/^import: COMPLETED 100% · read 2 · accepted 2/m);
    expect(await customerByMobile(client, '6592000002')).toMatchObject({ firstName: 'Fay' });
  });

  it('--dry-run checks every row and writes nothing', async () => {
    const file = await customersFile('dry.csv', [
      { mobile: '6593000001', firstName: 'Gus' },
      { mobile: '6593000002', firstName: 'Hal' },
    ]);

    const run = await runCli(['--url', origin, '--key', org.key, '--template', templateId, '--dry-run', file]);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Import COMPLETED \(dry run\)\n/);
    expect(run.stdout).toContain('read 2 · accepted 2');
    expect(run.stdout).toContain('nothing was written');
    expect(await customerByMobile(client, '6593000001')).toBeNull();
    expect(await customerByMobile(client, '6593000002')).toBeNull();
  });

  it('refuses bad usage with one line and exit code 2: no --template, an unknown option, no such file, no key', async () => {
    const file = await customersFile('usage.csv', [{ mobile: '6594000001', firstName: 'Ida' }]);
    const cases: [readonly string[], RegExp][] = [
      [['--url', origin, '--key', org.key, file], /^import: Missing --template <id>/],
      [['--url', origin, '--key', org.key, '--template', templateId, '--colour', file], /^import: Unknown option '--colour'/],
      [['--url', origin, '--key', org.key, '--template', templateId, path.join(dir, 'missing.csv')], /^import: No such file: .*missing\.csv/],
      [['--url', origin, '--template', templateId, file], /^import: Missing the API key: pass --key <key> or set LOYALTY_API_KEY/],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(args);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stdout).toBe('');
    }
    expect(await customerByMobile(client, '6594000001')).toBeNull();
  });

  it('explains a wrong key, an unknown template and an unreachable server with exit code 1, without a stack trace', async () => {
    const file = await customersFile('refused.csv', [{ mobile: '6595000001', firstName: 'Jo' }]);

    const wrongKey = await runCli(['--url', origin, '--key', 'not-a-key', '--template', templateId, file]);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toMatch(/^import: The server refused the API key \(HTTP 401\): A valid staff API key is required/m);

    const unknownTemplate = await runCli(['--url', origin, '--key', org.key, '--template', 'SW1wb3J0VGVtcGxhdGU6OTk5OTk', file]);
    expect(unknownTemplate.code).toBe(1);
    expect(unknownTemplate.stderr).toMatch(/^import: No import template SW1wb3J0VGVtcGxhdGU6OTk5OTk in your org/m);

    const closedPort = await freePort();
    const unreachable = await runCli(['--url', `http://127.0.0.1:${closedPort}`, '--key', org.key, '--template', templateId, file]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(new RegExp(`^import: Cannot reach the server at http://127\\.0\\.0\\.1:${closedPort} \\(ECONNREFUSED\\)`, 'm'));

    for (const run of [wrongKey, unknownTemplate, unreachable]) {
      expect(run.stderr).not.toMatch(/^\s+at /m);
      expect(run.stdout).toBe('');
    }
    expect(await customerByMobile(client, '6595000001')).toBeNull();
  });
});

describe('npm run import, interrupted', () => {
  // No import workers: the job stays QUEUED for as long as the test needs.
  let server: TestServer;
  let org: TestOrg;
  let client: GqlClient;
  let dir: string;

  beforeAll(async () => {
    server = await startTestServer({ importWorkers: 0 });
    org = await createOrg(server.em());
    client = gqlClient(server.url, org.key);
    dir = await mkdtemp(path.join(os.tmpdir(), 'import-cli-'));
  });
  afterAll(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('stops watching on Ctrl-C (exit 130), names the job, and leaves it running on the server', async () => {
    const templateId = await customersTemplate(client);
    const file = path.join(dir, 'queued.csv');
    await writeFile(file, csv([['Mobile', 'First Name', 'Store'], ['6596000001', 'Kim', await storeCodeOf(server, org)]]));
    let interrupted = false;

    const run = await runCli(['--url', new URL(server.url).origin, '--key', org.key, '--template', templateId, file], {
      onStderr: (stderr, child) => {
        // The first message of the subscription: the job's current state.
        if (!interrupted && /^import: QUEUED /m.test(stderr)) {
          interrupted = true;
          child.kill('SIGINT');
        }
      },
    });

    expect(run.code).toBe(130);
    const jobId = /Stopped watching\. Job (\S+) goes on on the server\./.exec(run.stderr)?.[1];
    expect(jobId).toBeDefined();
    expect(run.stderr).toContain(`importCancel(input: { id: "${jobId}" })`);
    expect(run.stdout).toBe('');
    const job = await client.request<{ importJob: { state: string } | null }>('query ($id: ID!) { importJob(id: $id) { state } }', { id: jobId });
    expect(job.data?.importJob).toEqual({ state: 'QUEUED' });
  });
});
