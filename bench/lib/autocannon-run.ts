import { createRequire } from 'node:module';

/**
 * A load run with autocannon: a warm-up, then the measured run, each request built by a
 * generator (a random customer per request, say) and each response body checked.
 *
 * autocannon ships no type declarations, so the part of its API used here is typed below and the
 * CommonJS module is loaded through `createRequire` (no ambient `declare module` leaking into
 * the rest of the project).
 */

interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

interface AutocannonHistogram {
  readonly average: number;
  readonly mean: number;
  readonly stddev: number;
  readonly min: number;
  readonly max: number;
  readonly total: number;
  readonly p50: number;
  readonly p90: number;
  readonly p97_5: number;
  readonly p99: number;
}

interface AutocannonResult {
  readonly duration: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly statusCodeStats: Record<string, { count: number }>;
  readonly latency: AutocannonHistogram;
  readonly requests: AutocannonHistogram & { readonly sent: number };
  readonly throughput: AutocannonHistogram;
}

interface AutocannonRequestSpec extends AutocannonRequest {
  setupRequest?: (request: AutocannonRequest) => AutocannonRequest;
  onResponse?: (status: number, body: string) => void;
}

interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  requests: AutocannonRequestSpec[];
  timeout?: number;
}

type Autocannon = (options: AutocannonOptions) => PromiseLike<AutocannonResult>;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export interface LoadRunOptions {
  /** Shown in logs and results. */
  readonly name: string;
  readonly url: string;
  readonly connections: number;
  readonly durationSeconds: number;
  /** Run at full load first and throw the numbers away: JIT, pools and caches settle. */
  readonly warmupSeconds: number;
  readonly method?: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  /** Builds the next request body; called once per request. */
  readonly nextBody: () => string;
  /** Headers of the next request over `headers` (e.g. another customer's token); called once per request. */
  readonly nextHeaders?: () => Readonly<Record<string, string>>;
  /** True when a 2xx response body still reports a failure (e.g. GraphQL `errors`). */
  readonly isErrorBody?: (body: string) => boolean;
  readonly timeoutSeconds?: number;
}

export interface LoadRunResult {
  readonly name: string;
  readonly connections: number;
  readonly durationSeconds: number;
  /** Completed responses per second over the whole run. */
  readonly requestsPerSecond: number;
  readonly totalRequests: number;
  readonly latencyMs: {
    readonly average: number;
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly max: number;
  };
  readonly non2xx: number;
  /** Connection errors and timeouts. */
  readonly socketErrors: number;
  readonly timeouts: number;
  /** 2xx responses whose body reported an error. */
  readonly bodyErrors: number;
  /** (non-2xx + socket errors + body errors) / requests. */
  readonly errorRate: number;
  /** The first failed response (status and the start of its body), to tell what went wrong. */
  readonly firstError?: string;
  readonly statusCodes: Record<string, number>;
  readonly bytesPerSecond: number;
}

/** What the response callback saw: body errors only count on 2xx (non-2xx are counted by autocannon). */
interface BodyCheck {
  errors: number;
  firstError: string | undefined;
}

function autocannonOptions(options: LoadRunOptions, durationSeconds: number, check: BodyCheck): AutocannonOptions {
  const { isErrorBody, nextHeaders } = options;
  return {
    url: options.url,
    connections: options.connections,
    duration: durationSeconds,
    timeout: options.timeoutSeconds ?? 10,
    requests: [
      {
        method: options.method ?? 'POST',
        headers: { ...options.headers },
        // setupRequest runs before every request, which is what makes the body (and headers) vary per request.
        setupRequest: nextHeaders
          ? (request) => ({ ...request, headers: { ...options.headers, ...nextHeaders() }, body: options.nextBody() })
          : (request) => ({ ...request, body: options.nextBody() }),
        onResponse: (status, body) => {
          const failed = status < 200 || status >= 300 || (isErrorBody !== undefined && isErrorBody(body));
          if (!failed) return;
          if (status >= 200 && status < 300) check.errors += 1;
          check.firstError ??= `HTTP ${status}: ${body.slice(0, 500)}`;
        },
      },
    ],
  };
}

function summarise(name: string, connections: number, result: AutocannonResult, check: BodyCheck): LoadRunResult {
  // requests.total counts every completed response, whatever its status.
  const total = result.requests.total;
  const failures = result.non2xx + result.errors + check.errors;
  const statusCodes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats)) statusCodes[code] = stats.count;
  return {
    name,
    connections,
    durationSeconds: result.duration,
    requestsPerSecond: round(total / result.duration, 1),
    totalRequests: total,
    latencyMs: {
      average: round(result.latency.average, 2),
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    non2xx: result.non2xx,
    socketErrors: result.errors,
    timeouts: result.timeouts,
    bodyErrors: check.errors,
    errorRate: total + result.errors > 0 ? round(failures / (total + result.errors), 4) : 1,
    ...(check.firstError === undefined ? {} : { firstError: check.firstError }),
    statusCodes,
    bytesPerSecond: Math.round(result.throughput.average),
  };
}

async function runOnce(options: LoadRunOptions, durationSeconds: number): Promise<LoadRunResult> {
  const check: BodyCheck = { errors: 0, firstError: undefined };
  const result = await autocannon(autocannonOptions(options, durationSeconds, check));
  return summarise(options.name, options.connections, result, check);
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Two warm-up windows whose throughput is within this share of each other: the target is warm. */
const STEADY_WITHIN = 0.1;
/** Warm-up windows at most: a target that never settles is measured anyway, and says so. */
const MAX_WARMUP_WINDOWS = 8;

/**
 * Warm-up, then the measured run; only the measured run is returned. The warm-up runs in windows
 * of `warmupSeconds` until two in a row agree within 10% (a JIT still compiling, caches and
 * PostgreSQL's buffers still filling show as a rising throughput), at most 8 windows.
 */
export async function runLoad(options: LoadRunOptions, log: (line: string) => void = () => undefined): Promise<LoadRunResult> {
  if (options.warmupSeconds > 0) {
    log(`[${options.name}] warm-up in windows of ${options.warmupSeconds} s until two agree within ${STEADY_WITHIN * 100}%, ${options.connections} connections`);
    let previous: number | undefined;
    for (let window = 1; ; window += 1) {
      const warmup = await runOnce(options, options.warmupSeconds);
      log(`[${options.name}] warm-up ${window}: ${warmup.requestsPerSecond} req/s, error rate ${(warmup.errorRate * 100).toFixed(2)} %`);
      const rate = warmup.requestsPerSecond;
      if (previous !== undefined && Math.abs(rate - previous) <= STEADY_WITHIN * Math.max(rate, previous)) break;
      if (window >= MAX_WARMUP_WINDOWS) {
        log(`[${options.name}] still not steady after ${window} warm-up windows: measuring anyway`);
        break;
      }
      previous = rate;
    }
  }
  log(`[${options.name}] measuring ${options.durationSeconds} s, ${options.connections} connections`);
  const result = await runOnce(options, options.durationSeconds);
  log(
    `[${options.name}] ${result.requestsPerSecond} req/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, ` +
      `non-2xx ${result.non2xx}, socket errors ${result.socketErrors}, body errors ${result.bodyErrors}`,
  );
  return result;
}
