import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/app/embedded-db.js';
import { npmScriptNodeArgs } from './npm-scripts.js';

/** `npm start` in a process of its own: for tests that must watch a whole process (its memory, its freezes, its log). */
export interface ApiProcess {
  readonly child: ChildProcess;
  readonly origin: string;
  readonly wsUrl: string;
  /** What it printed last (its log). */
  output(): string;
  /** A field of /proc/<pid>/status, in kB (VmRSS: memory now; VmHWM: its peak). */
  statusKb(field: 'VmRSS' | 'VmHWM'): Promise<number>;
  /** SIGTERM (SIGKILL after 15 s); `kill` for a process that may be frozen and cannot drain. */
  stop(options?: { readonly kill?: boolean }): Promise<void>;
}

/**
 * Starts `npm start` on `databaseUrl` (running import jobs itself, no demo) and resolves once it
 * listens. `env` adds or overrides settings.
 */
export async function startApiProcess(databaseUrl: string, env: Record<string, string> = {}): Promise<ApiProcess> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'loyalty-api-process-'));
  const port = await freePort();
  const child = spawn(process.execPath, npmScriptNodeArgs('start'), {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', IMPORT_WORKERS: '1', DATA_DIR: dataDir, SEED_DEMO: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const deadline = Date.now() + 120_000;
  while (!output.includes('ready at')) {
    if (child.exitCode !== null) throw new Error(`The API process exited while starting:\n${output}`);
    if (Date.now() > deadline) throw new Error(`The API process did not start in time:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    child,
    origin: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    output: () => output,
    async statusKb(field) {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    },
    async stop(options = {}) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill(options.kill ? 'SIGKILL' : 'SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
