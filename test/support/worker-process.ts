import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { npmScriptNodeArgs } from './npm-scripts.js';

/** `npm run worker` in a process of its own: imports, SMS and email delivery, the schedules. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  /** What it printed last (its log). */
  output(): string;
  /** SIGKILL: the process dies at once, with whatever it held (no graceful stop, no cleanup). */
  kill(): Promise<void>;
  /** SIGTERM (SIGKILL after 15 s). */
  stop(): Promise<void>;
}

async function ended(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Starts `npm run worker` on `databaseUrl` and resolves once it is ready; `env` adds settings (SMS_GATEWAY_URL, SMTP_URL…). */
export async function startWorkerProcess(databaseUrl: string, env: Record<string, string> = {}): Promise<WorkerProcess> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'loyalty-worker-process-'));
  const child = spawn(process.execPath, npmScriptNodeArgs('worker'), {
    env: { ...process.env, DATABASE_URL: databaseUrl, IMPORT_WORKERS: '1', DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  child.once('exit', () => void rm(dataDir, { recursive: true, force: true }));
  const deadline = Date.now() + 120_000;
  while (!output.includes('Worker ready')) {
    if (child.exitCode !== null) throw new Error(`The worker process exited while starting:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`The worker process did not start in time:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    child,
    output: () => output,
    kill: () => ended(child, 'SIGKILL'),
    stop: () => ended(child, 'SIGTERM'),
  };
}
