import cluster from 'node:cluster';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import type { Floor } from './floor-sql.js';
import { REWARDS_PAGE_FLOOR } from './rewards-page-floor.js';
import { SINGLE_VIEW_FLOOR } from './single-view-floor.js';

/**
 * A floor: the fastest answer a hand-written server can give to one GraphQL document. Plain `http`
 * + a `pg` Pool, no framework, no validation beyond what the statement needs, and ONE prepared SQL
 * statement per request that builds the whole JSON document in PostgreSQL (lateral subqueries +
 * json_agg), sent back as received. The floors themselves: single-view-floor.ts and
 * rewards-page-floor.ts.
 */

/** The floors a child process can serve, by the FLOOR environment variable. */
const FLOORS: Readonly<Record<string, Floor>> = { 'single-view': SINGLE_VIEW_FLOOR, 'rewards-page': REWARDS_PAGE_FLOOR };

export interface FloorServerOptions {
  readonly databaseUrl: string;
  readonly orgId: number;
  readonly port: number;
  readonly host?: string;
  /** Same as the GraphQL server's ORM pool, so neither side wins on connection count. */
  readonly poolSize?: number;
}

export interface FloorServer {
  readonly port: number;
  close(): Promise<void>;
}

function send(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function orgTimeZone(databaseUrl: string, orgId: number): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ time_zone: string }>('select time_zone from org where id = $1', [orgId]);
    if (!rows[0]) throw new Error(`Org ${orgId} not found`);
    return rows[0].time_zone;
  } finally {
    await client.end();
  }
}

export async function startFloorServer(options: FloorServerOptions, floor: Floor): Promise<FloorServer> {
  // The session time zone makes PostgreSQL render every timestamptz with the org's offset, as the
  // GraphQL API does, at no cost per row.
  const timeZone = await orgTimeZone(options.databaseUrl, options.orgId);
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 20, options: `-c TimeZone=${timeZone}` });
  // A named query is prepared once per connection: each request then only binds and executes.
  const query = { name: floor.name, text: floor.sql };

  const server = http.createServer((req, res) => {
    if (req.method !== 'POST') return send(res, 405, '{"errors":[{"message":"POST only"}]}');
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const values = floor.bind(req, Buffer.concat(chunks).toString('utf8'), options.orgId);
      if (!Array.isArray(values)) return send(res, values.status, values.body);
      pool.query<Record<string, unknown>>({ ...query, values }).then(
        ({ rows }) => {
          const reply = floor.answer(rows[0]);
          send(res, reply.status, reply.body);
        },
        (error: unknown) => send(res, 500, JSON.stringify({ errors: [{ message: error instanceof Error ? error.message : String(error) }] })),
      );
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // close() waits for idle keep-alive sockets otherwise.
      server.closeAllConnections();
      await closed;
      await pool.end();
    },
  };
}

/**
 * As a child process: `DATABASE_URL`, `ORG_ID`, `PORT` and `FLOOR` (single-view, the default, or
 * rewards-page) from the environment; SIGTERM stops it.
 */
async function main(): Promise<void> {
  // FLOOR_PROCESSES > 1: as many processes on the port (node:cluster), as API_PROCESSES gives the GraphQL server.
  const processes = Number(process.env.FLOOR_PROCESSES ?? 1);
  if (processes > 1 && cluster.isPrimary) {
    const workers = Array.from({ length: processes }, () => cluster.fork());
    let listening = 0;
    cluster.on('listening', (_worker, address) => {
      if (++listening === processes) console.log(`Floor server listening on ${address.port} (${processes} processes)`);
    });
    const stop = (): void => {
      for (const worker of workers) worker.process.kill('SIGTERM');
      void Promise.all(workers.map((worker) => new Promise((resolve) => (worker.isDead() ? resolve(null) : worker.once('exit', resolve))))).then(() => process.exit(0));
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    return;
  }
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is required');
  const name = process.env.FLOOR ?? 'single-view';
  const floor = FLOORS[name];
  if (!floor) throw new Error(`FLOOR must be one of ${Object.keys(FLOORS).join(', ')}, got "${name}"`);
  const server = await startFloorServer({ databaseUrl, orgId: Number(process.env.ORG_ID ?? 1), port: Number(process.env.PORT ?? 0) }, floor);
  console.log(`Floor server (${name}) listening on ${server.port}`);
  const stop = (): void => void server.close().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error('Floor server failed:', error);
    process.exit(1);
  });
}
