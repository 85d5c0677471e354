import type { LoadRunOptions, LoadRunResult } from './autocannon-run.js';
import { hasGraphqlErrors, log, postGraphql, type Target } from './bench-support.js';

/**
 * One measured query of `bench:query`, the same for the GraphQL server and its floor: SQL
 * statements per request sampled before the load, the load itself, and the same-data check of
 * both servers' answers for sampled customers.
 */

export interface BenchRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The requests of one query: the load's (a random customer each) and the sampled customers'. */
export interface QueryRequests {
  /** The root field the answer is under (`customer`, `me`). */
  readonly rootField: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly nextBody: () => string;
  /** Per-request headers over `headers` (a random customer's token); none: `headers` alone. */
  readonly nextHeaders?: () => Readonly<Record<string, string>>;
  /** The customers whose answers both servers must agree on. */
  readonly samples: readonly { readonly label: string; readonly request: BenchRequest }[];
}

export interface LoadSettings {
  readonly connections: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  /** Processes serving each side (the GraphQL server's API_PROCESSES, the floor's as many); 1 unless asked. */
  readonly processes?: number;
  /** Alternating rounds of the floor and the GraphQL server (lib/paired-rounds.ts); absent in results written before them. */
  readonly rounds?: number;
}

const STATEMENT_SAMPLES = 20;

export interface StatementStats {
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  readonly samples: number;
}

function nextRequest(requests: QueryRequests): BenchRequest {
  return { headers: { ...requests.headers, ...requests.nextHeaders?.() }, body: requests.nextBody() };
}

/** Sequential requests for random customers, before the load: SQL statements per request. */
async function sampleStatements(target: Target, requests: QueryRequests): Promise<StatementStats> {
  const counts: number[] = [];
  for (let i = 0; i < STATEMENT_SAMPLES; i++) {
    const { headers, body } = nextRequest(requests);
    const response = await postGraphql(target.url, { ...headers }, body);
    if (response.status !== 200 || response.body.errors) {
      throw new Error(`${target.name} answered ${response.status}: ${JSON.stringify(response.body).slice(0, 1000)}`);
    }
    if (!response.body.data?.[requests.rootField]) throw new Error(`${target.name} found no ${requests.rootField}: ${JSON.stringify(response.body).slice(0, 500)}`);
    const statements = response.body.extensions?.sqlStatements;
    if (typeof statements !== 'number') throw new Error(`${target.name} reports no extensions.sqlStatements (is EXPOSE_QUERY_STATS honoured?)`);
    counts.push(statements);
  }
  return {
    mean: Math.round((counts.reduce((sum, n) => sum + n, 0) / counts.length) * 100) / 100,
    min: Math.min(...counts),
    max: Math.max(...counts),
    samples: counts.length,
  };
}

export interface MeasuredRun extends LoadRunResult {
  readonly sqlStatementsPerRequest: StatementStats;
}

/** The load on `target`: its requests at `load`'s connections and durations. */
export function loadRunOptions(target: Target, load: LoadSettings, requests: QueryRequests): LoadRunOptions {
  return {
    name: target.name,
    url: target.url,
    connections: load.connections,
    durationSeconds: load.durationSeconds,
    warmupSeconds: load.warmupSeconds,
    headers: requests.headers,
    nextBody: requests.nextBody,
    ...(requests.nextHeaders ? { nextHeaders: requests.nextHeaders } : {}),
    isErrorBody: hasGraphqlErrors,
  };
}

/** SQL statements per request on `target`, sampled and logged before the load. */
export async function statementsOf(target: Target, requests: QueryRequests): Promise<StatementStats> {
  const statements = await sampleStatements(target, requests);
  log(`[${target.name}] SQL statements per request: mean ${statements.mean} (min ${statements.min}, max ${statements.max}, ${statements.samples} requests)`);
  return statements;
}

/** The `data` of each sampled customer's answer, in the order of `requests.samples`. */
export async function fetchViews(target: Target, requests: QueryRequests): Promise<unknown[]> {
  const views: unknown[] = [];
  for (const { request } of requests.samples) views.push((await postGraphql(target.url, { ...request.headers }, request.body)).body.data ?? null);
  return views;
}

const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d/;

/**
 * Paths where two responses differ. Instants compare as instants: PostgreSQL trims trailing zeros
 * of milliseconds ("12.29+08:00") where Luxon does not ("12.290+08:00"); both name the same time.
 */
function differences(a: unknown, b: unknown, at: string, found: string[]): string[] {
  if (found.length >= 20) return found;
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const left = a as Record<string, unknown>;
    const right = b as Record<string, unknown>;
    for (const key of new Set([...Object.keys(left), ...Object.keys(right)])) differences(left[key], right[key], `${at}.${key}`, found);
    return found;
  }
  const instant = (value: unknown): unknown => (typeof value === 'string' && ISO_INSTANT.test(value) ? new Date(value).getTime() : value);
  if (JSON.stringify(instant(a)) !== JSON.stringify(instant(b))) {
    found.push(`${at}: graphql ${JSON.stringify(a)?.slice(0, 80)} / floor ${JSON.stringify(b)?.slice(0, 80)}`);
  }
  return found;
}

export interface SameDataCheck {
  readonly customersCompared: number;
  /** Empty when the floor returned exactly what the GraphQL API returned (up to 20 listed). */
  readonly differences: string[];
}

export function compareViews(requests: QueryRequests, graphql: readonly unknown[], floor: readonly unknown[]): SameDataCheck {
  const found: string[] = [];
  requests.samples.forEach(({ label }, i) => differences(graphql[i], floor[i], label, found));
  log(`Same data: ${found.length === 0 ? 'identical' : `${found.length} differences`} on ${requests.samples.length} customers`);
  for (const difference of found) log(`  ${difference}`);
  return { customersCompared: requests.samples.length, differences: found };
}
