import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { crc32 } from 'node:zlib';
import { createTransport } from 'nodemailer';
import pg from 'pg';
import { SMTP_POOL_CONNECTIONS } from '../../src/app/jobs/email-transport.js';
import { httpSmsGateway } from '../../src/app/jobs/sms-gateway.js';
import type { OutgoingSms } from '../../src/domain/message/sms-delivery.js';
import type { Arrivals } from './message-sinks.js';

/** The message benchmark's load: the attachment, a pool of senders, one timed phase and what it cost in CPU. */

/** A PNG of `bytes` bytes: a real signature and IHDR chunk (so the type check passes), then incompressible filler. */
export function benchPng(bytes: number): Buffer {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(640, 0);
  ihdr.writeUInt32BE(480, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const type = Buffer.from('IHDR', 'latin1');
  const chunk = Buffer.alloc(4 + 4 + ihdr.length + 4);
  chunk.writeUInt32BE(ihdr.length, 0);
  type.copy(chunk, 4);
  ihdr.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(Buffer.concat([type, ihdr])), 8 + ihdr.length);
  const head = Buffer.concat([signature, chunk]);
  // A fixed xorshift stream: the same bytes every run, and nothing a transport could compress away.
  const filler = Buffer.alloc(Math.max(0, bytes - head.length));
  let state = 0x9e3779b9;
  for (let index = 0; index < filler.length; index++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    filler[index] = state & 0xff;
  }
  return Buffer.concat([head, filler]);
}

/** What the server's SMTP transport hands nodemailer, for the floor to send the same. */
export interface BenchMail {
  readonly messageId: string;
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly attachments: readonly { readonly filename: string; readonly contentType: string; readonly content: Buffer }[];
}

const SMTP_TIMEOUT_MS = 10_000;

/** The floor's mail client: nodemailer on the URL, with the server's transport options (one connection per message, as there). */
export function floorMailer(url: string): (mail: BenchMail) => Promise<void> {
  // Pooled as the server's transport is: the same number of kept-open connections.
  const transport = createTransport({ url, pool: true, maxConnections: SMTP_POOL_CONNECTIONS, maxMessages: 100, connectionTimeout: SMTP_TIMEOUT_MS, greetingTimeout: SMTP_TIMEOUT_MS, socketTimeout: SMTP_TIMEOUT_MS });
  return async (mail) => {
    await transport.sendMail({ ...mail, attachments: [...mail.attachments] });
  };
}

/**
 * The floor's gateway client: the server's own (`httpSmsGateway`: the same POST, body, idempotency
 * key and kept-alive connections), so the two sides differ only in what the server does around it.
 */
export function floorSmsClient(url: string): (sms: OutgoingSms) => Promise<string | null> {
  const gateway = httpSmsGateway(url);
  return async (sms) => {
    const outcome = await gateway.deliver(sms);
    return outcome.kind === 'ACCEPTED' ? null : outcome.reason;
  };
}

/** Seconds of CPU the process `pid` has used (user + system), from /proc; null where there is no /proc. */
async function processCpuSeconds(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command's closing parenthesis; utime and stime are the 14th and 15th of the line.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** The machine's busy and total jiffies, from /proc/stat. */
async function machineTicks(): Promise<{ busy: number; total: number } | null> {
  try {
    const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0];
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = values[3] + (values[4] ?? 0);
    const total = values.reduce((sum, value) => sum + value, 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/** CPU over an interval: of one process (in cores: 1.0 is one core busy), and of the whole machine (0–1). */
export interface CpuUse {
  readonly processCores: number | null;
  readonly machineBusy: number | null;
}

export async function cpuMeter(pid: number | undefined): Promise<() => Promise<CpuUse>> {
  const startedAt = performance.now();
  const processStart = pid === undefined ? null : await processCpuSeconds(pid);
  const machineStart = await machineTicks();
  return async () => {
    const seconds = (performance.now() - startedAt) / 1000;
    const processEnd = pid === undefined ? null : await processCpuSeconds(pid);
    const machineEnd = await machineTicks();
    const round = (value: number) => Math.round(value * 100) / 100;
    return {
      processCores: processStart !== null && processEnd !== null && seconds > 0 ? round((processEnd - processStart) / seconds) : null,
      machineBusy:
        machineStart && machineEnd && machineEnd.total > machineStart.total ? round((machineEnd.busy - machineStart.busy) / (machineEnd.total - machineStart.total)) : null,
    };
  };
}

/** What one request made of its messages: how many failed, and why the first did. */
export interface SendOutcome {
  readonly failed: number;
  readonly error: string | null;
}

/** A one-message send's outcome from its error (null: sent). */
export function oneMessage(error: string | null): SendOutcome {
  return { failed: error === null ? 0 : 1, error };
}

/** One channel's run: `count` sends, `concurrency` in flight, timed until the sink took the last message. */
export interface PhaseResult {
  /** False when the phase was cut off (deadline or no arrival for the idle time) before every message came. */
  readonly complete: boolean;
  readonly messages: number;
  /** Messages per request. */
  readonly perRequest: number;
  /** Messages whose send failed (all of a request that failed as a whole). */
  readonly failedRequests: number;
  readonly firstError: string | null;
  /** From the first request until the sink received the last message (or the phase was cut off). */
  readonly seconds: number;
  /** End to end: messages received over `seconds`. */
  readonly messagesPerSecond: number;
  /** From the first request until the last one was answered. */
  readonly requestSeconds: number;
  readonly requestLatencyMs: { readonly p50: number; readonly p99: number };
  /** Messages the sink had taken when the last request was answered, and per second until then. */
  readonly receivedWhenRequestsDone: number;
  readonly receivedPerSecondDuringRequests: number;
  /** After the last request was answered: messages received per second until the last one. */
  readonly drainMessagesPerSecond: number | null;
  /** Deliveries of a message already received (retries), and bodies the sink refused. */
  readonly repeats: number;
  readonly malformed: number;
  readonly receivedBytes: number;
  /** While requests were being made, and after (the drain). */
  readonly cpuDuringRequests: CpuUse;
  readonly cpuDuringDrain: CpuUse | null;
}

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] * 10) / 10;
}

const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Makes `count` sends (`send(i)` resolves null, or why it failed), `concurrency` at a time, and
 * waits until `arrivals` holds every message whose send succeeded, or it is cut off: nothing new
 * for `idleMs`, or `maxSeconds` since the first request.
 */
export async function runPhase(options: {
  readonly count: number;
  readonly concurrency: number;
  readonly arrivals: Arrivals;
  readonly idleMs: number;
  /** The longest a phase may take, from its first request: it is cut off then. */
  readonly maxSeconds: number;
  /** The process whose CPU is measured (the server, or the bench itself for the floor). */
  readonly pid?: number;
  /** Messages per request (1 by default): `send` gets the first message's index and how many. */
  readonly perRequest?: number;
  /** Sends messages `first` to `first + size - 1`: how many of them failed, and the first reason. */
  readonly send: (first: number, size: number) => Promise<SendOutcome>;
}): Promise<PhaseResult> {
  const { count, concurrency, arrivals } = options;
  arrivals.reset();
  const latencies: number[] = [];
  let failed = 0;
  let firstError: string | null = null;
  let next = 0;
  const requestsCpu = await cpuMeter(options.pid);
  const startedAt = performance.now();
  const perRequest = options.perRequest ?? 1;
  const sender = async (): Promise<void> => {
    while (next < count) {
      const first = next;
      const size = Math.min(perRequest, count - first);
      next += size;
      const sentAt = performance.now();
      const outcome = await options.send(first, size).catch((thrown: unknown): SendOutcome => ({ failed: size, error: thrown instanceof Error ? thrown.message : String(thrown) }));
      latencies.push(performance.now() - sentAt);
      if (outcome.failed > 0) {
        failed += outcome.failed;
        firstError ??= outcome.error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.ceil(count / perRequest)) }, sender));
  const requestsDoneAt = performance.now();
  const receivedWhenRequestsDone = arrivals.count;
  const cpuDuringRequests = await requestsCpu();
  const drainCpu = await cpuMeter(options.pid);
  const complete = await arrivals.waitFor(count - failed, options.idleMs, startedAt + options.maxSeconds * 1000);
  const cutOffAt = performance.now();
  const drained = receivedWhenRequestsDone < count - failed;
  const cpuDuringDrain = drained ? await drainCpu() : null;
  const received = arrivals.snapshot();
  const endAt = complete ? Math.max(received.lastAt, startedAt) : cutOffAt;
  latencies.sort((a, b) => a - b);
  const seconds = (endAt - startedAt) / 1000;
  const drainSeconds = (endAt - requestsDoneAt) / 1000;
  const requestSeconds = (requestsDoneAt - startedAt) / 1000;
  return {
    complete,
    messages: received.distinct,
    perRequest,
    failedRequests: failed,
    firstError,
    seconds: round(seconds, 2),
    messagesPerSecond: seconds > 0 ? round(received.distinct / seconds, 1) : 0,
    requestSeconds: round(requestSeconds, 2),
    requestLatencyMs: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) },
    receivedWhenRequestsDone,
    receivedPerSecondDuringRequests: requestSeconds > 0 ? round(receivedWhenRequestsDone / requestSeconds, 1) : 0,
    drainMessagesPerSecond: drained && drainSeconds > 0 ? round((received.distinct - receivedWhenRequestsDone) / drainSeconds, 1) : null,
    repeats: received.repeats,
    malformed: received.malformed,
    receivedBytes: received.bytes,
    cpuDuringRequests,
    cpuDuringDrain,
  };
}

/** Interactions of the org by channel and status, once none is QUEUED any more (or `timeoutMs` passed). */
export async function settledStatuses(url: string, orgId: number, timeoutMs: number): Promise<Record<string, Record<string, number>>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await client.query<{ channel: string; status: string; n: string }>(
        'select channel, status, count(*) as n from interaction where org_id = $1 group by channel, status order by channel, status',
        [orgId],
      );
      const statuses: Record<string, Record<string, number>> = {};
      for (const row of rows) (statuses[row.channel] ??= {})[row.status] = Number(row.n);
      const queued = rows.some((row) => row.status === 'QUEUED');
      if (!queued || Date.now() > deadline) return statuses;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await client.end();
  }
}
