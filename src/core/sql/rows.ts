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

/** A JS array as a PostgreSQL array literal, for the inlining path of `em.execute` (null stays NULL). */
function toArrayLiteral(values: readonly unknown[]): string {
  return `{${values.map((value) => (value === null || value === undefined ? 'NULL' : `"${String(value).replace(/["\\]/g, '\\$&')}"`)).join(',')}}`;
}

interface PreparedText {
  readonly name: string;
  readonly text: string;
}

const prepared = new Map<string, PreparedText>();

function preparedStatement(sql: string): PreparedText {
  let statement = prepared.get(sql);
  if (!statement) {
    statement = { name: `r${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`, text: numberPlaceholders(sql) };
    prepared.set(sql, statement);
  }
  return statement;
}

/**
 * Runs one hand-written read statement (placeholders `?`, arrays bound as `?::bigint[]`) and
 * returns camelCased rows.
 *
 * Outside a transaction the statement runs on the ORM's own pool as a NAMED prepared statement:
 * PostgreSQL then plans each statement shape once per connection instead of on every request
 * (planning these short reads costs more than running them). Inside a transaction it goes
 * through the EntityManager, so it sees that transaction's writes.
 */
export async function selectRows<T = Row>(em: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  if (em.isInTransaction()) {
    const inlined = params.map((param) => (Array.isArray(param) ? toArrayLiteral(param) : param));
    const rows = await em.execute<Record<string, unknown>[]>(sql, inlined);
    return rows.map((row) => camelCaseRow(row) as T);
  }
  const pool = (await em.getConnection().getNativeClient()) as Pool;
  const statement = preparedStatement(sql);
  recordStatement();
  const result = await pool.query<Record<string, unknown>>({ name: statement.name, text: statement.text, values: params });
  return result.rows.map((row) => camelCaseRow(row) as T);
}

/**
 * Runs one hand-written statement that writes (INSERT, UPDATE or DELETE, with or without
 * RETURNING) the way `selectRows` runs a read, and returns the camelCased rows it returns.
 */
export function writeRows<T = Row>(em: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  return selectRows<T>(em, sql, params);
}

/**
 * Runs one statement whose parameters carry bytes (a `bytea` column) as bind parameters, sent to
 * PostgreSQL as binary. `em.execute` would inline them: a 200 KB file became 400 KB of hex in the
 * SQL text, built, sent and parsed again for every attachment. In a transaction it runs on that
 * transaction's connection.
 */
export async function writeBytes(em: EntityManager, sql: string, params: unknown[]): Promise<void> {
  const transaction = em.getTransactionContext<Transaction<unknown>>();
  recordStatement();
  if (transaction) {
    await transaction.executeQuery(CompiledQuery.raw(numberPlaceholders(sql), params));
    return;
  }
  const pool = (await em.getConnection().getNativeClient()) as Pool;
  await pool.query(numberPlaceholders(sql), params);
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

/** Timestamps arrive as Date from columns and as ISO strings from json_agg. */
export function toDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}

export function toNullableDate(value: unknown): Date | null {
  return value === null || value === undefined ? null : toDate(value);
}

export function toNullableString(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}
