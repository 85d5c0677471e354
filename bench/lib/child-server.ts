import { spawn, type ChildProcess } from 'node:child_process';

/**
 * A server under test, run as a child process so that it never shares an event loop (or a CPU
 * core, as far as the OS allows) with the load generator.
 */
export interface ChildServer {
  readonly name: string;
  readonly pid: number;
  /** The last lines the child printed, for error messages. */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

export interface ChildServerOptions {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Resolves true once the server answers as expected; polled until `startTimeoutMs`. */
  readonly ready: () => Promise<boolean>;
  readonly startTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

const OUTPUT_LIMIT = 16_000;
const POLL_MS = 250;

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export async function startChildServer(options: ChildServerOptions): Promise<ChildServer> {
  const log = options.log ?? (() => undefined);
  const child = spawn(options.command, [...options.args], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  await spawned;

  let stopping: Promise<void> | undefined;
  const server: ChildServer = {
    name: options.name,
    pid: child.pid ?? -1,
    output: () => output,
    stop(graceMs = 15_000) {
      stopping ??= (async () => {
        if (exited(child)) return;
        child.kill('SIGTERM');
        if (!(await waitForExit(child, graceMs))) {
          log(`[${options.name}] did not stop within ${graceMs} ms; killing it`);
          child.kill('SIGKILL');
          await waitForExit(child, 5_000);
        }
      })();
      return stopping;
    },
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 120_000);
  try {
    for (;;) {
      if (exited(child)) throw new Error(`${options.name} exited with ${child.exitCode ?? child.signalCode} while starting`);
      if (await options.ready().catch(() => false)) break;
      if (Date.now() > deadline) throw new Error(`${options.name} did not become ready in time`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } catch (error) {
    await server.stop(2_000);
    const tail = output.trim().split('\n').slice(-30).join('\n');
    throw new Error(`${(error as Error).message}. Its last output:\n${tail}`, { cause: error });
  }
  log(`[${options.name}] ready (pid ${server.pid})`);
  return server;
}
