import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Log } from './dataset.js';
import { withDatabase } from './dataset.js';
import { createBenchOrg } from './mutation-dataset.js';

/**
 * The import benchmark's data: a seed database holding one org with `existing` customers (each
 * with a mobile, an email and an external id, enrolled in the default program), cloned for every
 * run (`CREATE DATABASE … TEMPLATE`), and CSV files of Loyalty Customers rows in random key order.
 *
 * Row keys: key k < existing names existing customer k (its own mobile, email and external id: an
 * update of its name); the others are new customers. One row in UPDATE_EVERY is an update.
 */

export const MOBILE_BASE = 6_580_000_000;
/** Keys of the baseline table's own rows: never met in a file. */
const BASELINE_MOBILE_BASE = 6_590_000_000;
export const UPDATE_EVERY = 5;

export const CSV_HEADER = ['Mobile', 'Email', 'External Id', 'First Name', 'Last Name', 'Registration date', 'Store'];
/** The stores of the seed org (\`setUpOrg\` makes three). */
const STORES = ['bench-import-s1', 'bench-import-s2', 'bench-import-s3'];
export const MAPPING = [
  { header: 'Mobile', field: 'mobile' },
  { header: 'Email', field: 'email' },
  { header: 'External Id', field: 'externalId' },
  { header: 'First Name', field: 'firstName' },
  { header: 'Last Name', field: 'lastName' },
  { header: 'Registration date', field: 'joinedAt' },
  { header: 'Store', field: 'storeCode' },
];

export interface ImportSeed {
  readonly orgId: number;
  readonly existing: number;
  readonly seedUrl: string;
}

/** Builds the seed database `seed` beside `url`'s: one org, `existing` customers. */
export async function buildSeed(baseUrl: string, seed: string, existing: number, log: Log): Promise<ImportSeed> {
  const seedUrl = withDatabase(baseUrl, seed);
  const { orgId, programId, baseTierId } = await createBenchOrg(seedUrl, { slug: 'bench-import', name: 'Bench Import' }, () => undefined);
  const client = new pg.Client({ connectionString: seedUrl });
  await client.connect();
  try {
    const started = Date.now();
    await client.query(
      `insert into customer (org_id, first_name, last_name, mobile, email, joined_at, created_at, updated_at)
        select $1, 'Existing', 'Customer ' || g, ($3::bigint + g)::text, 'member' || g || '@example.com', now() - interval '1 year', now(), now()
        from generate_series(0, $2::int - 1) g`,
      [orgId, existing, MOBILE_BASE],
    );
    await client.query(
      `insert into customer_external_id (org_id, customer_id, value, created_at)
        select $1, id, 'X' || (mobile::bigint - $2::bigint), now() from customer where org_id = $1`,
      [orgId, MOBILE_BASE],
    );
    await client.query(
      `insert into loyalty_enrollment (org_id, program_id, customer_id, tier_id, lifetime_purchases, enrolled_at)
        select $1, $2, id, $3, 0, now() from customer where org_id = $1`,
      [orgId, programId, baseTierId],
    );
    // The baseline: a table shaped like the file, with the customer table's unique keys, holding as many rows.
    await client.query(
      `create table bench_baseline_customer (
         id bigserial primary key, org_id bigint not null default ${orgId}, mobile text, email text, external_id text,
         first_name text, last_name text, joined_at timestamp, store_code text, created_at timestamptz not null default now())`,
    );
    await client.query(
      `insert into bench_baseline_customer (mobile, email, external_id, first_name, last_name, joined_at)
        select ($2::bigint + g)::text, 'other' || g || '@example.com', 'Y' || g, 'Other', 'Row ' || g, now() - interval '1 year'
        from generate_series(0, $1::int - 1) g`,
      [existing, BASELINE_MOBILE_BASE],
    );
    for (const column of ['mobile', 'email', 'external_id']) {
      await client.query(`create unique index on bench_baseline_customer (org_id, ${column})`);
    }
    await client.query('vacuum analyze');
    log(`Seed: ${existing.toLocaleString('en-US')} customers (and as many baseline rows) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await client.end();
  }
  return { orgId, existing, seedUrl };
}

/** A fresh copy of the seed for one run. */
export async function cloneSeed(baseUrl: string, seed: string, run: string): Promise<string> {
  const maintenance = new pg.Client({ connectionString: withDatabase(baseUrl, 'postgres') });
  await maintenance.connect();
  try {
    await maintenance.query(`drop database if exists "${run}" with (force)`);
    // A file copy (not WAL-logged), then a checkpoint: every run starts with no checkpoint pending.
    await maintenance.query(`create database "${run}" template "${seed}" strategy file_copy`);
    await maintenance.query('checkpoint');
  } finally {
    await maintenance.end();
  }
  return withDatabase(baseUrl, run);
}

export async function dropDatabase(baseUrl: string, name: string): Promise<void> {
  const maintenance = new pg.Client({ connectionString: withDatabase(baseUrl, 'postgres') });
  await maintenance.connect();
  try {
    await maintenance.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await maintenance.end();
  }
}

const FIRST_NAMES = ['Ava', 'Wei Ling', 'Arjun', "Siobhan", 'Mei', 'Rahul', 'Nur Aisyah', 'Kenji', 'Chloe', 'Omar'];

/** A name part from a number, in letters only (names with digits are refused). */
function letters(n: number): string {
  let text = '';
  let rest = n;
  do {
    text += String.fromCharCode(97 + (rest % 26));
    rest = Math.floor(rest / 26);
  } while (rest > 0);
  return text;
}

/** Multiplier of a permutation of 0…n-1 (i ↦ (i·a + c) mod n): coprime to n, so every key once, in scattered order. */
function coprimeNear(n: number, target: number): number {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  let a = target % n;
  while (gcd(a, n) !== 1) a += 1;
  return a;
}

/** Writes `rows` Loyalty Customers rows in random key order; returns the file's size in bytes. */
export async function writeCsv(file: string, rows: number, existing: number): Promise<number> {
  const multiplier = coprimeNear(rows, Math.floor(rows * 0.618_034) + 7);
  const offset = Math.floor(rows / 3);
  // Keys 0…rows-1: key k is existing customer (k / UPDATE_EVERY) when k % UPDATE_EVERY == 0 and that customer exists.
  function* lines(): Generator<string> {
    yield `${CSV_HEADER.join(',')}\n`;
    let chunk = '';
    for (let i = 0; i < rows; i++) {
      const key = (i * multiplier + offset) % rows;
      const existingIndex = key % UPDATE_EVERY === 0 ? key / UPDATE_EVERY : -1;
      if (existingIndex >= 0 && existingIndex < existing) {
        chunk += `${MOBILE_BASE + existingIndex},member${existingIndex}@example.com,X${existingIndex},Existing,Renamed-${letters(existingIndex)},,${STORES[existingIndex % 3]}\n`;
      } else {
        const n = existing + key;
        const day = 1 + (key % 28);
        chunk += `${MOBILE_BASE + n},new${key}@example.com,N${key},${FIRST_NAMES[key % FIRST_NAMES.length]},"Tan-${letters(key)}",2024-03-${String(day).padStart(2, '0')} 10:15:00,${STORES[key % 3]}\n`;
      }
      if (chunk.length > 256 * 1024) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  await pipeline(lines(), createWriteStream(file));
  return (await stat(file)).size;
}

/** Rows of `file` that update existing customers (the rest are new). */
export function updatesIn(rows: number, existing: number): number {
  let updates = 0;
  for (let key = 0; key < rows; key += UPDATE_EVERY) if (key / UPDATE_EVERY < existing) updates += 1;
  return updates;
}

/**
 * The baseline: COPY of the same file straight into the seed's indexed baseline table (its unique
 * keys checked, nothing else), from the same client-side stream. Returns the seconds it took.
 */
export async function copyBaseline(url: string, file: string): Promise<{ seconds: number; rows: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = process.hrtime.bigint();
    const copy = client.query(
      copyFrom(`copy bench_baseline_customer (mobile, email, external_id, first_name, last_name, joined_at, store_code) from stdin with (format csv, header true)`),
    );
    await pipeline(createReadStream(file, { highWaterMark: 256 * 1024 }), copy);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { seconds, rows: Number(copy.rowCount) };
  } finally {
    await client.end();
  }
}
