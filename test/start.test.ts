import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { freePort } from '../src/app/embedded-db.js';
import { gqlClient } from './support/client.js';
import { npmScriptNodeArgs } from './support/npm-scripts.js';

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
  readonly key: string;
  readonly output: () => string;
}

/**
 * Runs the server exactly as `npm start` does, with no DATABASE_URL, and waits for its banner.
 * Without `dataDir`, DATA_DIR is unset (the default `.data` of `cwd`, as on a fresh clone).
 */
async function startMain(dataDir: string | undefined, port: number, cwd?: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<Started> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), NODE_ENV: 'development', ...extraEnv };
  if (dataDir) env.DATA_DIR = dataDir;
  else delete env.DATA_DIR;
  delete env.DATABASE_URL;
  delete env.TEST_DATABASE_URL;
  const child = spawn(process.execPath, npmScriptNodeArgs('start'), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 150_000;
  while (!/Demo staff API key \(ADMIN\): (\S+)/.test(output)) {
    if (child.exitCode !== null) throw new Error(`The server exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`The server did not start in time:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const key = /Demo staff API key \(ADMIN\): (\S+)/.exec(output)![1];
  const url = /ready at (\S+)/.exec(output)![1];
  return { child, url, key, output: () => output };
}

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

function postmasterPid(clusterHome: string): number | undefined {
  const file = path.join(clusterHome, 'pg', 'postmaster.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops any postmaster left in these data directories and removes them. */
async function removeClusters(dirs: readonly string[]): Promise<void> {
  for (const dir of dirs) {
    const pid = postmasterPid(dir);
    if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
}

describe('npm start with no DATABASE_URL', () => {
  const dirs: string[] = [];
  afterAll(() => removeClusters(dirs));

  // Two cold starts of the real server (initdb, migrations, seed): slow on a loaded machine.
  it('starts an embedded PostgreSQL with demo data, survives a killed run, and shuts down cleanly', { timeout: 240_000 }, async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'loyalty-start-'));
    dirs.push(dataDir);

    // First start: initialises the cluster, migrates, seeds the demo org, serves GraphQL.
    const first = await startMain(dataDir, await freePort());
    const viewer = await gqlClient(first.url, first.key).request<{ viewer: { org: { timeZone: string } } }>('{ viewer { org { timeZone } } customers(first: 1) { nodes { firstName } } }');
    expect(viewer.errors).toBeUndefined();
    expect(viewer.data?.viewer.org.timeZone).toBe('Asia/Singapore');
    expect(first.output()).toMatch(/Embedded PostgreSQL: postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1:(\d+)\//);
    expect(first.output()).not.toMatch(/127\.0\.0\.1:5432\//);

    // Killed without a chance to clean up: its postmaster is left behind with its pid file.
    const orphan = postmasterPid(dataDir)!;
    first.child.kill('SIGKILL');
    await exited(first.child);
    expect(alive(orphan)).toBe(true);

    // Second start: detects the orphaned postmaster, stops it, and starts over the same data.
    const second = await startMain(dataDir, await freePort());
    expect(second.output()).toContain('left behind by an earlier run');
    expect(second.key).toBe(first.key);
    const again = await gqlClient(second.url, second.key).request<{ customers: { nodes: unknown[] } }>('{ customers(first: 100) { nodes { id } } }');
    expect(again.data?.customers.nodes).toHaveLength(40);
    expect(alive(orphan)).toBe(false);

    // SIGTERM drains and stops the embedded database too.
    const postmaster = postmasterPid(dataDir)!;
    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toBe(0);
    expect(alive(postmaster)).toBe(false);
    expect(postmasterPid(dataDir)).toBeUndefined();
  });
});

/** The API processes of the server whose primary is `pid`: its children running the server's entry point (read from /proc). */
function apiProcessesOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of execFileSync('ls', ['/proc'], { encoding: 'utf8' }).split('\n')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === pid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('src/app/main')) children.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

describe('npm start with API_PROCESSES=2', () => {
  const dirs: string[] = [];
  afterAll(() => removeClusters(dirs));

  it('prepares the database once, serves from two processes, replaces one that dies, runs jobs from any of them, and stops them all', { timeout: 240_000 }, async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'loyalty-cluster-'));
    dirs.push(dataDir);
    const started = await startMain(dataDir, await freePort(), undefined, { API_PROCESSES: '2' });
    expect(started.output()).toContain('(2 API processes)');
    // Migrated once, by the primary, before any API process started.
    expect(started.output().match(/Applied migrations:/g)).toHaveLength(1);
    const client = gqlClient(started.url, started.key);
    const deadline = Date.now() + 30_000;
    let apiProcesses = apiProcessesOf(started.child.pid!);
    while (apiProcesses.length < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      apiProcesses = apiProcessesOf(started.child.pid!);
    }
    expect(apiProcesses).toHaveLength(2);

    // Every request is answered, on new connections (handed to the processes in turn).
    for (let request = 0; request < 6; request++) {
      const answer = await client.request<{ customers: { nodes: unknown[] } }>('{ customers(first: 100) { nodes { id } } }');
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.customers.nodes).toHaveLength(40);
    }

    // One dies: the other goes on serving and the primary starts another in its place. A kept-open
    // connection the dead one held is reset (the client's next request on it fails once); a new
    // connection is served.
    process.kill(apiProcesses[1]!, 'SIGKILL');
    while (!/API process \d+ \(#2\) exited/.test(started.output()) && Date.now() < deadline + 30_000) await new Promise((resolve) => setTimeout(resolve, 100));
    const served = async (): Promise<boolean> => {
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          return (await client.request('{ viewer { role } }')).errors === undefined;
        } catch {
          // the reset connection; the retry opens a new one
        }
      }
      return false;
    };
    for (let request = 0; request < 4; request++) expect(await served()).toBe(true);
    let replaced: number[] = [];
    while (Date.now() < deadline + 30_000) {
      replaced = apiProcessesOf(started.child.pid!).filter((pid) => !apiProcesses.includes(pid));
      if (replaced.length === 1 && /API process \d+ \(#2\) exited/.test(started.output())) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(replaced).toHaveLength(1);

    // SMS sent through whichever process take the first one's job workers to the outbox.
    const customers = await client.request<{ customers: { nodes: { id: string; userId: string }[] } }>('{ customers(first: 3) { nodes { id userId } } }');
    for (const [index, customer] of customers.data!.customers.nodes.entries()) {
      const sent = await client.request<{ smsSend: { interaction: { id: string } | null; userErrors: unknown[] } }>(
        `mutation { smsSend(input: { customer: { type: USER_ID, value: "${customer.userId}" }, content: "Hello ${index}", priority: TRANS, idempotencyKey: "cluster-${index}" }) { interaction { id } userErrors { code } } }`,
      );
      expect(sent.data?.smsSend.userErrors).toEqual([]);
    }
    const outbox = path.join(dataDir, 'outbox', 'sms');
    while (Date.now() < deadline + 60_000 && (!existsSync(outbox) || execFileSync('ls', [outbox], { encoding: 'utf8' }).trim().split('\n').length < 3)) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(execFileSync('ls', [outbox], { encoding: 'utf8' }).trim().split('\n')).toHaveLength(3);

    // SIGTERM stops the API processes, then the embedded database.
    const postmaster = postmasterPid(dataDir)!;
    started.child.kill('SIGTERM');
    expect(await exited(started.child)).toBe(0);
    for (const pid of [apiProcesses[0]!, ...replaced]) expect(alive(pid)).toBe(false);
    expect(alive(postmaster)).toBe(false);
  });
});

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const asRoot = process.getuid?.() === 0;

/**
 * A checkout where a newcomer logged in as root puts it: in a home directory of mode 0700, which
 * the `postgres` OS user (PostgreSQL refuses to run as root) cannot enter. node_modules is a copy
 * too (hard links where the file system allows), so the PostgreSQL binaries sit behind the private
 * directory as they would after `npm install` there.
 */
async function cloneIntoPrivateHome(): Promise<{ home: string; clone: string }> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'loyalty-home-'));
  await chmod(home, 0o700);
  const clone = path.join(home, 'loyalty-graph');
  await mkdir(clone);
  for (const entry of ['package.json', 'tsconfig.json', 'src', 'migrations']) {
    await cp(path.join(REPO, entry), path.join(clone, entry), { recursive: true });
  }
  try {
    execFileSync('cp', ['-al', path.join(REPO, 'node_modules'), path.join(clone, 'node_modules')], { stdio: 'ignore' });
  } catch {
    await rm(path.join(clone, 'node_modules'), { recursive: true, force: true });
    execFileSync('cp', ['-a', path.join(REPO, 'node_modules'), path.join(clone, 'node_modules')], { stdio: 'ignore' });
  }
  return { home, clone };
}

// PostgreSQL runs as another OS user only when the server runs as root, as it does in CI; there
// the case always runs (and fails loudly if CI stopped running as root), elsewhere it is reported skipped.
describe.runIf(asRoot || Boolean(process.env.CI))('npm start as root, in a clone inside a private home directory', () => {
  const cleanup: string[] = [];
  afterAll(() => removeClusters(cleanup));

  it('puts the embedded cluster where the postgres OS user can reach it, says where, and finds it again on restart', { timeout: 240_000 }, async () => {
    expect(asRoot, 'CI runs the suite as root; this case needs root').toBe(true);
    const { home, clone } = await cloneIntoPrivateHome();
    cleanup.push(home);
    expect(statSync(home).mode & 0o777).toBe(0o700);

    const first = await startMain(undefined, await freePort(), clone);
    const moved = /the embedded cluster of this checkout lives in (\S+) /.exec(first.output());
    expect(moved, first.output()).not.toBeNull();
    const clusterHome = moved![1];
    cleanup.unshift(clusterHome);
    expect(clusterHome.startsWith(home)).toBe(false);
    expect(first.output()).toContain(path.join(clone, '.data'));

    // The server answers with the demo data, kept in a cluster that only `postgres` can enter.
    const answer = await gqlClient(first.url, first.key).request<{ customers: { nodes: unknown[] } }>('{ customers(first: 100) { nodes { id } } }');
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.customers.nodes).toHaveLength(40);
    const postgresUid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const cluster = statSync(clusterHome);
    expect(cluster.uid).toBe(postgresUid);
    expect(cluster.mode & 0o777).toBe(0o700);
    // The postmaster runs binaries outside the private home (a copy), as `postgres`.
    const postmaster = postmasterPid(clusterHome)!;
    expect(readlinkSync(`/proc/${postmaster}/exe`).startsWith(home)).toBe(false);
    expect(statSync(`/proc/${postmaster}`).uid).toBe(postgresUid);

    first.child.kill('SIGTERM');
    expect(await exited(first.child)).toBe(0);

    // Started again from the same checkout: the same cluster, with its data, not a new one.
    const second = await startMain(undefined, await freePort(), clone);
    expect(second.output()).toContain(`lives in ${clusterHome} `);
    expect(second.output()).not.toContain('Initialising a PostgreSQL cluster');
    expect(second.key).toBe(first.key);
    const again = await gqlClient(second.url, second.key).request<{ customers: { nodes: unknown[] } }>('{ customers(first: 100) { nodes { id } } }');
    expect(again.data?.customers.nodes).toHaveLength(40);
    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toBe(0);
  });
});
