import cluster, { type Worker } from 'node:cluster';

/**
 * Several API processes on one port (`API_PROCESSES`, node:cluster). The primary prepares the
 * database (embedded or not, migrated, seeded) and forks the API processes; the operating system's
 * connections are handed to them in turn. They share everything through PostgreSQL: jobs,
 * subscriptions' events, sign-in state, rate limits. Only the first runs the job workers (imports
 * and message deliveries); the others serve requests alone. One that dies is replaced.
 */

/** What the environment of an API process adds to the primary's. */
export interface ApiProcessEnv {
  readonly DATABASE_URL: string;
  readonly [name: string]: string;
}

/** True in a process the primary forked. */
export function isApiProcess(): boolean {
  return cluster.isWorker;
}

export interface ApiProcesses {
  /** The port they listen on, once every one listens. */
  readonly port: number;
  /** Asks each to drain and stop (SIGTERM) and waits until all have, for at most `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
}

/** Forks `count` API processes and resolves once all listen. `envOf(index)` is each one's environment. */
export function forkApiProcesses(count: number, envOf: (index: number) => ApiProcessEnv, log: (line: string) => void): Promise<ApiProcesses> {
  let stopping = false;
  const slots = new Map<Worker, number>();
  const fork = (index: number): Worker => {
    const worker = cluster.fork(envOf(index));
    slots.set(worker, index);
    return worker;
  };
  cluster.on('exit', (worker, code, signal) => {
    const index = slots.get(worker);
    slots.delete(worker);
    if (stopping || index === undefined) return;
    log(`API process ${worker.process.pid} (#${index + 1}) exited (${signal ?? `code ${code}`}); starting another`);
    fork(index);
  });
  return new Promise((resolve, reject) => {
    let listening = 0;
    let port = 0;
    const onListening = (_worker: Worker, address: { port: number }): void => {
      port = address.port;
      listening += 1;
      if (listening < count) return;
      cluster.off('listening', onListening);
      clearTimeout(timer);
      resolve({ port, stop: (timeoutMs = 20_000) => stopAll(timeoutMs) });
    };
    const timer = setTimeout(() => reject(new Error(`Only ${listening} of ${count} API processes were listening after 120 s`)), 120_000);
    cluster.on('listening', onListening);
    for (let index = 0; index < count; index++) fork(index);
  });

  async function stopAll(timeoutMs: number): Promise<void> {
    stopping = true;
    const running = [...slots.keys()].filter((worker) => !worker.isDead());
    const exits = running.map((worker) => new Promise<void>((resolve) => (worker.isDead() ? resolve() : worker.once('exit', () => resolve()))));
    for (const worker of running) worker.process.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.all(exits), late]);
    clearTimeout(timer);
    for (const worker of running) if (!worker.isDead()) worker.process.kill('SIGKILL');
  }
}
