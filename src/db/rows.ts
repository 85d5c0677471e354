import type { EntityManager } from '@mikro-orm/postgresql';

/** A database row with snake_case columns turned into camelCase keys. */
export type Row = Record<string, unknown>;

function camelCase(column: string): string {
  return column.replace(/_([a-z0-9])/g, (_, char: string) => char.toUpperCase());
}

/**
 * Runs one hand-written read statement (placeholders are `?`) on the request's EntityManager and
 * returns camelCased rows. Reads that batch many parents at once (window functions, aggregates)
 * are plain SQL; the statement is still counted by the ORM's `onQuery` hook like any other.
 */
export async function selectRows<T = Row>(em: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  const rows = await em.execute<Record<string, unknown>[]>(sql, params);
  return rows.map((row) => {
    const out: Row = {};
    for (const key of Object.keys(row)) out[camelCase(key)] = row[key];
    return out as T;
  });
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
