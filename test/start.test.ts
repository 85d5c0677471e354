import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/config/embedded-db.js';
import { gqlClient } from './support/client.js';
import { npmScriptNodeArgs } from './support/npm-scripts.js';

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
  readonly key: string;
  readonly output: () => string;
}

/** Runs the server exactly as `npm start` does, with no DATABASE_URL, and waits for its banner. */
async function startMain(dataDir: string, port: number): Promise<Started> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), NODE_ENV: 'development' };
  delete env.DATABASE_URL;
  delete env.TEST_DATABASE_URL;
  const child = spawn(process.execPath, npmScriptNodeArgs('start'), { env, stdio: ['ignore', 'pipe', 'pipe'] });
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

function postmasterPid(dataDir: string): number | undefined {
  const file = path.join(dataDir, 'pg', 'postmaster.pid');
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

describe('npm start with no DATABASE_URL', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) {
      const pid = postmasterPid(dir);
      if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });

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
