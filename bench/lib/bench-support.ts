import { randomBytes } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort } from '../../src/app/embedded-db.js';
import { hashApiKey } from '../../src/domain/auth/auth.service.js';
import { npmScriptNodeArgs } from '../../test/support/npm-scripts.js';
import { startChildServer, type ChildServer } from './child-server.js';

/** What the benchmarks share: HTTP to a GraphQL server, the servers under test, cleanup and result files. */

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The project's own Node (the `node` devDependency). */
export const NODE = path.join(ROOT, 'node_modules/.bin/node');
export const RESULTS_DIR = path.join(ROOT, 'bench/results');

export function log(line: string): void {
  console.log(line);
}

export interface GraphqlResponse {
  readonly status: number;
  readonly body: {
    readonly data?: Record<string, unknown> | null;
    readonly errors?: readonly { message: string }[];
    readonly extensions?: { readonly sqlStatements?: number };
  };
}

export async function postGraphql(url: string, headers: Record<string, string>, body: string): Promise<GraphqlResponse> {
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, body: (await response.json()) as GraphqlResponse['body'] };
}

export function requestHeaders(apiKey: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    // Apollo's CSRF prevention wants a preflight-forcing header on every request.
    'apollo-require-preflight': 'true',
    authorization: `Bearer ${apiKey}`,
  };
}

/** Cheap enough to run on every response: a GraphQL error always carries a top-level `errors` key. */
export function hasGraphqlErrors(body: string): boolean {
  return body.includes('"errors":');
}

/** A fresh API key of `role` for the org, stored as the server expects (its SHA-256 only). */
export async function insertApiKey(url: string, orgId: number, name: string, role = 'ADMIN'): Promise<string> {
  const key = `lg_${randomBytes(24).toString('base64url')}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('delete from api_key where org_id = $1 and name = $2', [orgId, name]);
    await client.query('insert into api_key (org_id, name, role, key_hash, key_prefix, created_at) values ($1, $2, $3, $4, $5, now())', [
      orgId,
      name,
      role,
      hashApiKey(key),
      key.slice(0, 8),
    ]);
  } finally {
    await client.end();
  }
  return key;
}

export async function postgresVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version: string }>('show server_version');
    return rows[0]?.server_version ?? 'unknown';
  } finally {
    await client.end();
  }
}

export interface Target {
  readonly name: string;
  readonly url: string;
  readonly server: ChildServer;
}

/** The real server (`src/app/main.ts`) as a child process on a free port, over `databaseUrl`; `env` adds to its environment. */
export async function startGraphqlServer(
  databaseUrl: string,
  apiKey: string,
  env: NodeJS.ProcessEnv = {},
  options: { readonly cpuProfileDir?: string; readonly name?: string; readonly nodeArgs?: readonly string[] } = {},
): Promise<Target> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/graphql`;
  const server = await startChildServer({
    name: options.name ?? 'graphql',
    command: NODE,
    // V8 writes the profile when the server exits (it exits on the SIGTERM that stops it).
    args: [...(options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : []), ...overridingNodeArgs(npmScriptNodeArgs('start'), options.nodeArgs ?? [])],
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), SEED_DEMO: '0', NODE_ENV: 'development', EXPOSE_QUERY_STATS: '1', ...env },
    ready: async () => {
      const response = await postGraphql(url, requestHeaders(apiKey), '{"query":"{ viewer { role } }"}');
      return response.status === 200 && !response.body.errors;
    },
    log,
  });
  return { name: options.name ?? 'graphql', url, server };
}

/** `args` (an npm script's node arguments) with each flag of `overrides` in place of the script's own (`--max-semi-space-size=32` for `=8`). */
export function overridingNodeArgs(args: readonly string[], overrides: readonly string[]): string[] {
  const flagOf = (arg: string): string => arg.split('=')[0] as string;
  const overridden = new Set(overrides.map(flagOf));
  return [...overrides, ...args.filter((arg) => !arg.startsWith('--') || !overridden.has(flagOf(arg)))];
}

/** Everything started is stopped in reverse order: on success, on error and on Ctrl-C. */
export class Cleanup {
  private readonly steps: (() => Promise<void>)[] = [];

  add(step: () => Promise<void>): void {
    this.steps.push(step);
  }

  async run(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) {
      await step().catch((error: unknown) => console.error('Cleanup step failed:', error));
    }
  }
}

/**
 * A benchmark's entry point: `body` registers what it starts with `cleanup`, which runs at the
 * end, on an error and on Ctrl-C; an error is printed and exits 1.
 */
export function runBenchMain(name: string, body: (cleanup: Cleanup) => Promise<void>): void {
  const cleanup = new Cleanup();
  const onSignal = (signal: NodeJS.Signals): void => {
    log(`${signal}: stopping servers and database…`);
    void cleanup.run().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  body(cleanup)
    .finally(() => cleanup.run())
    .catch((error: unknown) => {
      console.error(`${name} failed:`, error instanceof Error ? (error.stack ?? error.message) : error);
      process.exit(1);
    });
}

/** Written to a temporary name first, so an interrupted run never leaves half a file. */
export async function writeAtomically(file: string, content: string): Promise<void> {
  await writeFile(`${file}.tmp`, content);
  await rename(`${file}.tmp`, file);
}

export function thousands(value: number): string {
  return value.toLocaleString('en-US');
}
