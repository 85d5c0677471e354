import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CompiledQuery, type Transaction } from 'kysely';
import type { Pool } from 'pg';
import { recordStatement } from './query-stats.js';

/** A database row with snake_case columns turned into camelCase keys. */
export type Row = Record<string, unknown>;

const camelCaseCache = new Map<string, string>();

function camelCase(column: string): string {
  let camel = camelCaseCache.get(column);
  if (camel === undefined) {
    camel = column.replace(/_([a-z0-9])/g, (_, char: string) => char.toUpperCase());
    camelCaseCache.set(column, camel);
  }
  return camel;
}

export function camelCaseRow(row: Record<string, unknown>): Row {
  const out: Row = {};
  for (const key in row) out[camelCase(key)] = row[key];
  return out;
}

/** `?` placeholders become `$1…$n` (the SQL of this codebase never uses `?` otherwise). */
function numberPlaceholders(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
}

export interface PreparedText {
  readonly name: string;
  readonly text: string;
}

const prepared = new Map<string, PreparedText>();
/**
 * Statement shapes prepared by name at most. Combined reads (below) make a shape of each mix of
 * reads a request level asks for; past this many, new shapes run unnamed (planned every time)
 * rather than fill PostgreSQL's per-connection memory.
 */
const MAX_PREPARED_SHAPES = 4_000;
/**
 * Texts seen once and not yet prepared. A shape is named on its second run: a text that never
 * comes back (an import's statements name their job's staging table and batch rows) runs unnamed,
 * so one-off texts neither stay prepared on every connection nor use up MAX_PREPARED_SHAPES.
 */
const seenOnce = new Set<string>();
const MAX_SEEN_ONCE = 10_000;

export function preparedStatement(sql: string): PreparedText {
  const statement = prepared.get(sql);
  if (statement) return statement;
  const text = numberPlaceholders(sql);
  if (!seenOnce.has(sql) || prepared.size >= MAX_PREPARED_SHAPES) {
    if (seenOnce.size >= MAX_SEEN_ONCE) seenOnce.clear();
    seenOnce.add(sql);
    return { name: '', text };
  }
  seenOnce.delete(sql);
  const named = { name: `r${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`, text };
  prepared.set(sql, named);
  return named;
}

/**
 * A `from` item: the rows of `table` whose primary key `id` is in the next parameter (a bigint[]),
 * named `alias`; the statement still checks `alias.org_id`. The keys are looked up on their own
 * (OFFSET 0 keeps PostgreSQL from merging the subquery): the server's pool runs generic plans, and
 * with statistics taken while a table was young, an index that starts with org_id looks selective,
 * so a plan ANDed the key with a bitmap of every row of the org. That read cost 11.8 ms per
 * interaction by id in bench:messages, against 0.03 ms by the key alone.
 */
export function rowsByKey(table: string, alias: string): string {
  return `(select * from ${table} where id = any(?::bigint[]) offset 0) ${alias}`;
}

/**
 * One statement on the connection of `em`'s transaction, as a NAMED prepared statement (see
 * `preparedStatement`): PostgreSQL plans each shape once per connection. Kysely hands its
 * `sql` to node-postgres' `client.query(config, values)` as is, and node-postgres takes a
 * `{ name, text }` config there; a fresh object each time, as node-postgres writes `values` into it.
 */
async function runInTransaction(em: EntityManager, sql: string, params: readonly unknown[]): Promise<Record<string, unknown>[]> {
  const transaction = em.getTransactionContext<Transaction<unknown>>();
  if (!transaction) throw new Error('runInTransaction needs an EntityManager in a transaction');
  const statement = preparedStatement(sql);
  recordStatement();
  const config = statement.name ? { name: statement.name, text: statement.text } : { text: statement.text };
  const result = await transaction.executeQuery<Record<string, unknown>>(CompiledQuery.raw(config as unknown as string, [...params]));
  return result.rows as Record<string, unknown>[];
}

async function runOnPool(em: EntityManager, sql: string, params: readonly unknown[]): Promise<Record<string, unknown>[]> {
  const pool = (await em.getConnection().getNativeClient()) as Pool;
  const statement = preparedStatement(sql);
  recordStatement();
  const result = await pool.query<Record<string, unknown>>(statement.name ? { name: statement.name, text: statement.text, values: [...params] } : { text: statement.text, values: [...params] });
  return result.rows;
}

/*
 * Combined reads. A GraphQL request resolves level by level, and each level's DataLoaders fire
 * their batches together (one statement each: cards, transactions, badges, …). For an
 * EntityManager marked by `combineReads` (a GraphQL request's own), every plain read issued in the
 * same turn of the event loop waits for the end of that turn, and all of them go to PostgreSQL as
 * ONE statement: each read becomes a branch of a UNION ALL that returns its rows as JSON
 * (`to_json`), tagged with the read's position and numbered in its own order. One round trip and
 * one statement per level instead of one per list.
 *
 * Rows of such an EntityManager therefore arrive as JSON gives them, the same whether a read was
 * combined or ran alone (a read alone goes the same way): timestamps as ISO strings, bigint and
 * numeric as numbers, `date` as yyyy-mm-dd, bytea as hex text (no request reads bytes). The `to*`
 * readers below accept both forms. Reads in a transaction, writes, and reads that lock rows are
 * never combined; nor is anything read through another EntityManager (workers, jobs).
 */
interface PendingRead {
  readonly sql: string;
  readonly params: readonly unknown[];
  readonly resolve: (rows: Record<string, unknown>[]) => void;
  readonly reject: (error: unknown) => void;
}

const combining = new WeakMap<EntityManager, { queue: PendingRead[] }>();

/** Marks `em` (one GraphQL request's) so that its plain reads are combined per turn of the event loop. */
export function combineReads(em: EntityManager): void {
  if (!combining.has(em)) combining.set(em, { queue: [] });
}

/** Only a plain SELECT can be a branch of a UNION ALL in a subquery. */
function combinable(sql: string): boolean {
  return /^\s*select\b/i.test(sql) && !/\bfor\s+(update|share|no\s+key\s+update|key\s+share)\b/i.test(sql);
}

function asJsonBranch(index: number, sql: string): string {
  return `select ${index} as q, row_number() over () as n, to_json(t) as r from (${sql}) t`;
}

function readAlone(em: EntityManager, read: PendingRead): void {
  runOnPool(em, `select r from (${asJsonBranch(0, read.sql)}) u order by n`, read.params).then((rows) => read.resolve(rows.map((row) => row.r as Record<string, unknown>)), read.reject);
}

async function flushReads(em: EntityManager, reads: PendingRead[]): Promise<void> {
  if (reads.length === 1) {
    readAlone(em, reads[0]);
    return;
  }
  let rows: Record<string, unknown>[];
  try {
    rows = await runOnPool(
      em,
      `select q, r from (${reads.map((read, index) => `(${asJsonBranch(index, read.sql)})`).join(' union all ')}) u order by q, n`,
      reads.flatMap((read) => read.params),
    );
  } catch {
    // One read's failure (a bad cast of someone's input) must not fail its neighbours: each runs alone.
    for (const read of reads) readAlone(em, read);
    return;
  }
  const byRead: Record<string, unknown>[][] = reads.map(() => []);
  for (const row of rows) byRead[Number(row.q)].push(row.r as Record<string, unknown>);
  reads.forEach((read, index) => read.resolve(byRead[index]));
}

function combinedRead(em: EntityManager, sql: string, params: readonly unknown[]): Promise<Record<string, unknown>[]> | undefined {
  const combiner = combining.get(em);
  if (!combiner || !combinable(sql)) return undefined;
  return new Promise((resolve, reject) => {
    if (combiner.queue.length === 0) {
      setImmediate(() => {
        const reads = combiner.queue;
        combiner.queue = [];
        void flushReads(em, reads);
      });
    }
    combiner.queue.push({ sql, params, resolve, reject });
  });
}

/**
 * Runs one hand-written read statement (placeholders `?`, arrays bound as `?::bigint[]`) and
 * returns camelCased rows.
 *
 * It runs as a NAMED prepared statement: PostgreSQL then plans each statement shape once per
 * connection instead of on every request (planning these short statements costs more than
 * running them). Outside a transaction it runs on the ORM's own pool; inside one, on that
 * transaction's connection, so it sees the transaction's writes.
 */
export async function selectRows<T = Row>(em: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  if (em.isInTransaction()) {
    const rows = await runInTransaction(em, sql, params);
    return rows.map((row) => camelCaseRow(row) as T);
  }
  const rows = (await combinedRead(em, sql, params)) ?? (await runOnPool(em, sql, params));
  return rows.map((row) => camelCaseRow(row) as T);
}

/**
 * Runs one hand-written statement that writes (INSERT, UPDATE or DELETE, with or without
 * RETURNING) the way `selectRows` runs a read, and returns the camelCased rows it returns.
 */
export async function writeRows<T = Row>(em: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  if (em.isInTransaction()) return selectRows<T>(em, sql, params);
  return (await runOnPool(em, sql, params)).map((row) => camelCaseRow(row) as T);
}

/** bigint ids arrive from PostgreSQL as strings; ids in this API stay below 2^53. */
export function toId(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

export function toNullableId(value: unknown): number | null {
  return value === null || value === undefined ? null : toId(value);
}

/** numeric columns arrive as strings. */
export function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(value ?? 0);
}

/** Timestamps arrive as Date from columns and as ISO strings from JSON (json_agg, combined reads). */
export function toDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}

export function toNullableDate(value: unknown): Date | null {
  return value === null || value === undefined ? null : toDate(value);
}

export function toNullableString(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}
