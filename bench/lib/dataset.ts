import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { startEmbeddedDatabase } from '../../src/app/embedded-db.js';
import { initOrm, migrateUp, MIGRATIONS_DIR } from '../../src/app/orm.js';
import { seededRandom } from '../../test/support/random.js';

/**
 * The benchmark dataset: one org with a realistic single view per customer, loaded with COPY.
 *
 * Every customer's rows are derived from a PRNG seeded with the customer id (and a salt per kind of
 * row), so each table can be streamed on its own while staying consistent with the others (the
 * ledger matches the transactions, enrollments match lifetime purchases) and no table is ever
 * held in memory.
 */

export type Log = (line: string) => void;

export interface DatasetSizes {
  readonly customers: number;
  readonly stores: number;
  readonly cardsPerCustomer: number;
  readonly transactionsPerCustomer: number;
  /** Every n-th transaction gets a line item; one per transaction would double the biggest table. */
  readonly lineItemEvery: number;
  readonly interactionsPerCustomer: number;
  readonly timelineEventsPerCustomer: number;
  readonly badgesPerCustomer: number;
  /** One code of each incentive series per customer. */
  readonly incentivesPerCustomer: number;
  /** Every n-th customer also holds an ended (not current) partner membership. */
  readonly endedMembershipEvery: number;
  /** Every n-th customer is the primary member of a group with the next `groupSize - 1` customers. */
  readonly groupEvery: number;
  readonly groupSize: number;
}

export const DEFAULT_SIZES: DatasetSizes = {
  customers: 100_000,
  stores: 50,
  cardsPerCustomer: 2,
  transactionsPerCustomer: 20,
  lineItemEvery: 4,
  interactionsPerCustomer: 12,
  timelineEventsPerCustomer: 12,
  badgesPerCustomer: 2,
  incentivesPerCustomer: 3,
  endedMembershipEvery: 3,
  groupEvery: 20,
  groupSize: 3,
};

/** Bump when the generated rows change shape, so that stored datasets are rebuilt. */
const GENERATOR_VERSION = 2;
const MARKER_TABLE = 'bench_dataset';

export const ORG_ID = 1;
export const ORG_TIME_ZONE = 'Asia/Singapore';
const ORG_UTC_OFFSET_MS = 8 * 3_600_000; // Singapore has no DST: bill dates are UTC+8 calendar days.
const DEFAULT_PROGRAM_ID = 1;
const DAY_MS = 86_400_000;

export interface DatasetInfo {
  readonly sizes: DatasetSizes;
  readonly orgId: number;
  /** Customer ids are 1..customers. */
  readonly customerIds: { readonly first: number; readonly last: number };
  readonly rowCounts: Record<string, number>;
  readonly reused: boolean;
  /** Seconds taken by the last build (stored in the marker when reused). */
  readonly buildSeconds: number;
  readonly builtAt: string;
}

// ---------------------------------------------------------------------------------------------
// The database server

export interface BenchDatabase {
  /** Connection string of the benchmark database. */
  readonly url: string;
  readonly embedded: boolean;
  stop(): Promise<void>;
}

/**
 * The server to benchmark on: the one in DATABASE_URL (the benchmark then owns a database called
 * `database` there) or an embedded PostgreSQL kept in `embeddedDir` across runs.
 */
export async function openBenchDatabase(options: {
  readonly database: string;
  readonly embeddedDir: string;
  readonly log: Log;
}): Promise<BenchDatabase> {
  const external = process.env.DATABASE_URL;
  if (external) {
    const url = withDatabase(external, options.database);
    await ensureDatabaseExists(url);
    return { url, embedded: false, stop: async () => undefined };
  }
  const embedded = await startEmbeddedDatabase({ dir: options.embeddedDir, database: options.database, notice: options.log });
  options.log(`Embedded PostgreSQL on port ${embedded.port} (${options.embeddedDir})`);
  return { url: embedded.url, embedded: true, stop: () => embedded.stop() };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

async function withMaintenanceClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function ensureDatabaseExists(url: string): Promise<void> {
  const name = databaseName(url);
  await withMaintenanceClient(url, async (client) => {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`create database ${quoteIdent(name)}`);
  });
}

/** Drops and creates the benchmark database: a rebuild starts from an empty schema. */
export async function recreateDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  await withMaintenanceClient(url, async (client) => {
    await client.query(`drop database if exists ${quoteIdent(name)} with (force)`);
    await client.query(`create database ${quoteIdent(name)}`);
  });
}

// ---------------------------------------------------------------------------------------------
// Reuse or rebuild

function fingerprint(sizes: DatasetSizes): string {
  const migrations = readdirSync(MIGRATIONS_DIR)
    .filter((file) => /^Migration.*\.ts$/.test(file))
    .sort();
  return createHash('sha256')
    .update(JSON.stringify({ version: GENERATOR_VERSION, sizes, migrations }))
    .digest('hex');
}

interface Marker {
  readonly fingerprint: string;
  readonly rowCounts: Record<string, number>;
  readonly buildSeconds: number;
  readonly builtAt: string;
}

async function readMarker(url: string): Promise<Marker | undefined> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: exists } = await client.query<{ found: string | null }>('select to_regclass($1) as found', [MARKER_TABLE]);
    if (!exists[0]?.found) return undefined;
    const { rows } = await client.query<{ fingerprint: string; row_counts: Record<string, number>; build_seconds: string; built_at: Date }>(
      `select fingerprint, row_counts, build_seconds, built_at from ${MARKER_TABLE} limit 1`,
    );
    const row = rows[0];
    if (!row) return undefined;
    return { fingerprint: row.fingerprint, rowCounts: row.row_counts, buildSeconds: Number(row.build_seconds), builtAt: row.built_at.toISOString() };
  } finally {
    await client.end();
  }
}

/** The marker only counts when the tables still hold what it says (someone may have emptied them). */
async function markerStillHolds(url: string, marker: Marker): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const table of ['customer', 'transaction', 'points_ledger_entry']) {
      const { rows } = await client.query<{ n: string }>(`select count(*) as n from ${quoteIdent(table)}`);
      if (Number(rows[0]?.n) !== marker.rowCounts[table]) return false;
    }
    return true;
  } finally {
    await client.end();
  }
}

/**
 * Makes sure the benchmark database holds the dataset for `sizes`: reuses it when the marker's
 * fingerprint (generator version, sizes, migration files) matches, otherwise drops the database,
 * applies the migrations and loads everything again.
 */
export async function prepareDataset(options: {
  readonly url: string;
  readonly sizes: DatasetSizes;
  readonly rebuild: boolean;
  readonly log: Log;
}): Promise<DatasetInfo> {
  const { url, sizes, log } = options;
  const wanted = fingerprint(sizes);
  const marker = options.rebuild ? undefined : await readMarker(url);
  if (marker && marker.fingerprint === wanted && (await markerStillHolds(url, marker))) {
    log(`Reusing the dataset built ${marker.builtAt} (pass --rebuild to build it again)`);
    return datasetInfo(sizes, marker.rowCounts, true, marker.buildSeconds, marker.builtAt);
  }

  log(options.rebuild ? 'Rebuilding the dataset (--rebuild)' : 'No matching dataset: building it');
  await recreateDatabase(url);
  const orm = await initOrm(url);
  try {
    const applied = await migrateUp(orm);
    log(`Applied migrations: ${applied.join(', ')}`);
  } finally {
    await orm.close();
  }

  const started = performance.now();
  const rowCounts = await loadDataset(url, sizes, log);
  const buildSeconds = (performance.now() - started) / 1000;
  const builtAt = new Date().toISOString();
  await writeMarker(url, { fingerprint: wanted, rowCounts, buildSeconds, builtAt });
  return datasetInfo(sizes, rowCounts, false, buildSeconds, builtAt);
}

function datasetInfo(sizes: DatasetSizes, rowCounts: Record<string, number>, reused: boolean, buildSeconds: number, builtAt: string): DatasetInfo {
  return { sizes, orgId: ORG_ID, customerIds: { first: 1, last: sizes.customers }, rowCounts, reused, buildSeconds, builtAt };
}

async function writeMarker(url: string, marker: Marker): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `create table ${MARKER_TABLE} (fingerprint text primary key, row_counts jsonb not null, build_seconds numeric not null, built_at timestamptz not null)`,
    );
    await client.query(`insert into ${MARKER_TABLE} values ($1, $2, $3, $4)`, [
      marker.fingerprint,
      JSON.stringify(marker.rowCounts),
      marker.buildSeconds.toFixed(1),
      marker.builtAt,
    ]);
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// COPY plumbing

type CopyValue = string | number | boolean | null;
type CopyRow = readonly CopyValue[];

interface TableLoad {
  readonly table: string;
  readonly columns: readonly string[];
  readonly rows: () => Iterable<CopyRow>;
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;

/** One value in COPY's text format. */
function encodeValue(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (char) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[char] ?? char);
}

const CHUNK_CHARS = 256 * 1024;

/** Rows joined into ~256 KB chunks: one stream write per row would cost more than the encoding. */
function* encodeRows(rows: Iterable<CopyRow>, counter: { rows: number }): Generator<string> {
  let chunk = '';
  for (const row of rows) {
    let line = encodeValue(row[0] ?? null);
    for (let i = 1; i < row.length; i++) line += '\t' + encodeValue(row[i] ?? null);
    chunk += line + '\n';
    counter.rows += 1;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

async function copyTable(client: pg.ClientBase, load: TableLoad): Promise<number> {
  const counter = { rows: 0 };
  const columns = load.columns.map(quoteIdent).join(', ');
  // FREEZE: the tables were truncated in this transaction, so rows can be written frozen and
  // all-visible; no hint-bit rewrites or anti-wraparound vacuum later disturb the measurements.
  const copy = client.query(copyFrom(`copy ${quoteIdent(load.table)} (${columns}) from stdin with (format text, freeze)`));
  await pipeline(Readable.from(encodeRows(load.rows(), counter), { objectMode: false }), copy);
  return counter.rows;
}

async function loadDataset(url: string, sizes: DatasetSizes, log: Log): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const rowCounts: Record<string, number> = {};
  try {
    const loads = tableLoads(sizes, Date.now());
    await client.query('begin');
    await disableForeignKeyTriggers(client, log);
    // The database is fresh and empty; the truncate is there for COPY FREEZE (see copyTable), and
    // cascades to the tables we do not fill (api keys, OAuth clients) because they reference ours.
    await client.query(`truncate ${loads.map((load) => quoteIdent(load.table)).join(', ')} cascade`);
    for (const load of loads) {
      const started = performance.now();
      rowCounts[load.table] = await copyTable(client, load);
      log(`  ${load.table.padEnd(22)} ${String(rowCounts[load.table]).padStart(9)} rows  ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    await client.query('commit');
    await resetSequences(client, loads);
    const started = performance.now();
    await client.query('analyze');
    log(`  analyze ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
  return rowCounts;
}

/**
 * Foreign keys are enforced by row triggers, one index probe per key per row: the largest part of
 * a load's cost. The generator only emits ids it has created, so a superuser session skips them
 * (replica mode). Without superuser rights the load still works, just more slowly.
 */
async function disableForeignKeyTriggers(client: pg.ClientBase, log: Log): Promise<void> {
  try {
    await client.query('savepoint replica_role');
    await client.query('set local session_replication_role = replica');
    await client.query('release savepoint replica_role');
  } catch {
    await client.query('rollback to savepoint replica_role');
    log('  (not a superuser: foreign keys are checked row by row, the load will be slower)');
  }
}

/** Ids were supplied explicitly, so each sequence must be moved past them for later inserts. */
async function resetSequences(client: pg.ClientBase, loads: readonly TableLoad[]): Promise<void> {
  for (const { table, columns } of loads) {
    if (!columns.includes('id')) continue;
    await client.query(
      `select setval(pg_get_serial_sequence($1, 'id'), coalesce((select max(id) from ${quoteIdent(table)}), 0) + 1, false)`,
      [table],
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

/** A PRNG for one customer and one kind of row: any table can re-derive another table's values. */
function rngFor(customerId: number, salt: number): () => number {
  return seededRandom(Math.imul(customerId, 0x9e3779b1) ^ Math.imul(salt, 0x85ebca6b));
}

function intBetween(rng: () => number, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

function pick<T>(rng: () => number, values: readonly T[]): T {
  return values[Math.floor(rng() * values.length)] as T;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The calendar day in the org's zone: bill dates are business days there. */
function orgDate(ms: number): string {
  return new Date(ms + ORG_UTC_OFFSET_MS).toISOString().slice(0, 10);
}

function money(cents: number): string {
  return (cents / 100).toFixed(2);
}

const SALT = { customer: 1, transactions: 2, cards: 3, interactions: 4, timeline: 5, badges: 6, incentives: 7, memberships: 8, subscriptions: 9 } as const;

// ---------------------------------------------------------------------------------------------
// Per-customer facts shared by several tables

interface Purchase {
  readonly id: number;
  readonly storeId: number;
  readonly amountCents: number;
  readonly occurredAt: number;
}

interface CustomerFacts {
  readonly joinedAt: number;
  readonly joinStoreId: number;
}

function customerFacts(customerId: number, sizes: DatasetSizes, now: number): CustomerFacts {
  const rng = rngFor(customerId, SALT.customer);
  return { joinedAt: now - intBetween(rng, 30, 5 * 365) * DAY_MS - intBetween(rng, 0, DAY_MS), joinStoreId: intBetween(rng, 1, sizes.stores) };
}

function purchasesOf(customerId: number, sizes: DatasetSizes, now: number): Purchase[] {
  const { joinedAt } = customerFacts(customerId, sizes, now);
  const rng = rngFor(customerId, SALT.transactions);
  const purchases: Purchase[] = [];
  const firstId = (customerId - 1) * sizes.transactionsPerCustomer + 1;
  for (let i = 0; i < sizes.transactionsPerCustomer; i++) {
    purchases.push({
      id: firstId + i,
      storeId: intBetween(rng, 1, sizes.stores),
      amountCents: intBetween(rng, 500, 50_000),
      occurredAt: joinedAt + Math.floor(rng() * (now - joinedAt)),
    });
  }
  return purchases;
}

/** 95 % of customers are ACTIVE (label 1), the rest suspended, under review or staff. */
function statusIdOf(roll: number): number {
  return roll < 0.95 ? 1 : roll < 0.97 ? 2 : roll < 0.99 ? 3 : 4;
}

/** The customer's status label: the first draw of the customer row's PRNG. */
function customerStatusId(customerId: number): number {
  return statusIdOf(rngFor(customerId, SALT.customer + 100)());
}

interface TierDef {
  readonly id: number;
  readonly name: string;
  readonly rank: number;
  readonly thresholdCents: number;
  readonly multiplier: number;
}

const TIERS: readonly TierDef[] = [
  { id: 1, name: 'Member', rank: 0, thresholdCents: 0, multiplier: 1 },
  { id: 2, name: 'Silver', rank: 1, thresholdCents: 480_000, multiplier: 1.25 },
  { id: 3, name: 'Gold', rank: 2, thresholdCents: 560_000, multiplier: 1.5 },
];

function tierFor(lifetimeCents: number): TierDef {
  let reached = TIERS[0] as TierDef;
  for (const tier of TIERS) if (lifetimeCents >= tier.thresholdCents) reached = tier;
  return reached;
}

function earnedPoints(purchase: Purchase, tier: TierDef): number {
  return Math.max(1, Math.floor((purchase.amountCents / 100) * tier.multiplier));
}

/** Status of the k-th incentive of a customer: a third redeemed, some expired, the rest active. */
function incentiveStatus(customerId: number, k: number): 'ACTIVE' | 'REDEEMED' | 'EXPIRED' {
  const roll = rngFor(customerId * 8 + k, SALT.incentives)();
  return roll < 0.33 ? 'REDEEMED' : roll < 0.45 ? 'EXPIRED' : 'ACTIVE';
}

// ---------------------------------------------------------------------------------------------
// Campaigns

interface CampaignDef {
  readonly id: number;
  readonly code: string;
  readonly name: string;
  readonly goalKind: 'SPEND' | 'VISITS' | 'POINTS';
  /** In the goal's unit (currency for SPEND). */
  readonly target: number;
  readonly rewardPoints: number;
  /** Days before the build it starts (negative: after it). */
  readonly startsDaysAgo: number;
  /** Days before the build it ends (negative: after it); null for open-ended. */
  readonly endsDaysAgo: number | null;
  readonly requiresOptIn: boolean;
  /** Tiers a customer must hold one of; null for any. */
  readonly tierIds: readonly number[] | null;
}

/**
 * The org's campaigns, windows counted from the build: three running (spend open to all, visits
 * on opt-in, points for the upper tiers), one ended and one not started yet, so that a customer's
 * active list has campaigns to leave out. The running ones end a year after the build: a reused
 * dataset keeps them running. All are for ACTIVE customers.
 */
const CAMPAIGNS: readonly CampaignDef[] = [
  { id: 1, code: 'SPEND-1500', name: 'Spend 1,500', goalKind: 'SPEND', target: 1500, rewardPoints: 500, startsDaysAgo: 180, endsDaysAgo: -365, requiresOptIn: false, tierIds: null },
  { id: 2, code: 'VISITS-3', name: 'Three visits', goalKind: 'VISITS', target: 3, rewardPoints: 100, startsDaysAgo: 90, endsDaysAgo: null, requiresOptIn: true, tierIds: null },
  { id: 3, code: 'POINTS-3000', name: 'Silver and Gold: earn 3,000 points', goalKind: 'POINTS', target: 3000, rewardPoints: 300, startsDaysAgo: 365, endsDaysAgo: -365, requiresOptIn: false, tierIds: [2, 3] },
  { id: 4, code: 'SPEND-LAST-YEAR', name: "Last year's spend challenge", goalKind: 'SPEND', target: 1000, rewardPoints: 200, startsDaysAgo: 540, endsDaysAgo: 360, requiresOptIn: false, tierIds: null },
  { id: 5, code: 'VISITS-NEXT', name: 'Five visits next month', goalKind: 'VISITS', target: 5, rewardPoints: 150, startsDaysAgo: -30, endsDaysAgo: -60, requiresOptIn: false, tierIds: null },
];

/** Where a customer stands in one campaign, as purchases through `addTransaction` would have left it. */
interface CampaignOutcome {
  readonly campaign: CampaignDef;
  /** Cents for SPEND. */
  readonly value: number;
  readonly joinedAt: number | null;
  /** The purchase that reached the goal, if one did. */
  readonly completedBy: Purchase | null;
}

/** Every 4th customer joined the opt-in campaign, some days after it started. */
function optInJoinedAt(customerId: number, startsAt: number): number | null {
  return customerId % 4 === 0 ? startsAt + (customerId % 30) * DAY_MS : null;
}

/**
 * The customer's progress in each campaign that has started: their purchases within its window
 * (after they joined, for an opt-in one), oldest first, up to the one that reaches the goal.
 * Eligibility is judged as the customer stands now (status, tier); customers the rules leave out,
 * and those with nothing counted (and not joined), have no progress.
 */
function campaignOutcomes(customerId: number, sizes: DatasetSizes, now: number): CampaignOutcome[] {
  if (customerStatusId(customerId) !== 1) return [];
  const purchases = purchasesOf(customerId, sizes, now).sort((a, b) => a.occurredAt - b.occurredAt || a.id - b.id);
  const tier = tierFor(purchases.reduce((sum, p) => sum + p.amountCents, 0));
  const outcomes: CampaignOutcome[] = [];
  for (const campaign of CAMPAIGNS) {
    const startsAt = now - campaign.startsDaysAgo * DAY_MS;
    const endsAt = campaign.endsDaysAgo === null ? Infinity : now - campaign.endsDaysAgo * DAY_MS;
    if (startsAt > now || (campaign.tierIds && !campaign.tierIds.includes(tier.id))) continue;
    const joinedAt = campaign.requiresOptIn ? optInJoinedAt(customerId, startsAt) : null;
    if (campaign.requiresOptIn && joinedAt === null) continue;
    const target = campaign.goalKind === 'SPEND' ? campaign.target * 100 : campaign.target;
    let value = 0;
    let completedBy: Purchase | null = null;
    for (const p of purchases) {
      if (p.occurredAt < startsAt || p.occurredAt >= endsAt || (joinedAt !== null && p.occurredAt < joinedAt)) continue;
      value += campaign.goalKind === 'SPEND' ? p.amountCents : campaign.goalKind === 'VISITS' ? 1 : earnedPoints(p, tier);
      if (value >= target) {
        completedBy = p;
        break;
      }
    }
    if (value > 0 || joinedAt !== null) outcomes.push({ campaign, value, joinedAt, completedBy });
  }
  return outcomes;
}

/** A completion's CAMPAIGN ledger entry id: a range of its own after every other entry's, so the timeline can name it. */
function campaignLedgerId(customerId: number, campaignId: number, sizes: DatasetSizes): number {
  return sizes.customers * (sizes.transactionsPerCustomer + 1) + (customerId - 1) * CAMPAIGNS.length + campaignId;
}

// ---------------------------------------------------------------------------------------------
// Static reference data

const FIRST_NAMES = ['Wei', 'Mei', 'Jun', 'Hui', 'Arjun', 'Priya', 'Siti', 'Ahmad', 'Grace', 'Daniel', 'Nur', 'Ravi', 'Li', 'Chloe', 'Marcus', 'Aisha'];
const LAST_NAMES = ['Tan', 'Lim', 'Lee', 'Ng', 'Ong', 'Wong', 'Goh', 'Chua', 'Kumar', 'Rahman', 'Teo', 'Koh', 'Chan', 'Yeo', 'Singh', 'Ho'];
const SKUS = ['SKU-COFFEE', 'SKU-TEA', 'SKU-CAKE', 'SKU-SANDWICH', 'SKU-JUICE', 'SKU-BEANS', 'SKU-MUG', 'SKU-GIFTCARD'];
const STATUS_LABELS = [
  { id: 1, label: 'Active', status: 'ACTIVE' },
  { id: 2, label: 'Suspended', status: 'SUSPENDED' },
  { id: 3, label: 'Under review', status: 'FRAUD_SUSPECTED' },
  { id: 4, label: 'Staff', status: 'INTERNAL' },
] as const;
const CARD_STATUS_LABELS = [
  { id: 1, label: 'Active', status: 'ACTIVE' },
  { id: 2, label: 'Blocked', status: 'INACTIVE' },
  { id: 3, label: 'Expired', status: 'EXPIRED' },
] as const;
const CARD_SERIES = [
  { id: 1, code: 'PHYS', type: 'PHYSICAL', prefix: '8800' },
  { id: 2, code: 'DIGI', type: 'DIGITAL', prefix: '9900' },
] as const;
const INCENTIVE_SERIES = [
  { id: 1, kind: 'COUPON', code: 'WELCOME10' },
  { id: 2, kind: 'PROMO_CODE', code: 'BDAY' },
  { id: 3, kind: 'GIFT_VOUCHER', code: 'GV50' },
] as const;
const PARTNER_PROGRAMS = [
  { id: 1, code: 'AIRMILES', name: 'Air Miles', type: 'EXTERNAL' },
  { id: 2, code: 'BANKPLUS', name: 'Bank Plus', type: 'EXTERNAL' },
  { id: 3, code: 'KIDSCLUB', name: 'Kids Club', type: 'SUPPLEMENTARY' },
] as const;
const BADGE_COUNT = 10;
const TIMELINE_TYPES = ['PURCHASED', 'POINTS_ISSUED', 'POINTS_REDEEMED', 'TIER_UPGRADED', 'COUPON_REDEEMED', 'BADGE_EARNED', 'OPENED_EMAIL'] as const;
const SUBSCRIPTIONS = [
  ['MOBILE', 'TRANS'],
  ['MOBILE', 'BULK'],
  ['EMAIL', 'TRANS'],
  ['EMAIL', 'BULK'],
] as const;

// ---------------------------------------------------------------------------------------------
// Row generators, one per table, in foreign-key order

function* customerIds(sizes: DatasetSizes): Generator<number> {
  for (let id = 1; id <= sizes.customers; id++) yield id;
}

function tableLoads(sizes: DatasetSizes, now: number): TableLoad[] {
  const created = iso(now - 6 * 365 * DAY_MS);
  const org = ORG_ID;
  return [
    {
      table: 'org',
      columns: ['id', 'slug', 'name', 'time_zone', 'base_country', 'country_calling_code', 'mobile_regex', 'default_sender_id', 'created_at'],
      rows: () => [[org, 'bench', 'Bench Coffee Co.', ORG_TIME_ZONE, 'SG', '65', '^65[0-9]{8}$', 'LOYALTY', created]],
    },
    {
      table: 'org_unit',
      columns: ['id', 'org_id', 'code', 'name', 'sender_ids'],
      rows: () => [
        [1, org, 'CAFE', 'Cafés', '{LOYALTY,CAFE}'],
        [2, org, 'RETAIL', 'Retail', '{LOYALTY}'],
      ],
    },
    {
      table: 'store',
      columns: ['id', 'org_id', 'org_unit_id', 'code', 'external_id', 'name'],
      rows: function* () {
        for (let id = 1; id <= sizes.stores; id++) {
          const code = `S${String(id).padStart(3, '0')}`;
          yield [id, org, id % 2 === 0 ? 2 : 1, code, `EXT-${code}`, `Store ${code}`];
        }
      },
    },
    {
      table: 'loyalty_program',
      columns: ['id', 'org_id', 'name', 'is_default', 'points_per_currency_unit', 'points_expiry_days', 'created_at'],
      rows: () => [[DEFAULT_PROGRAM_ID, org, 'Bench Rewards', true, 1, 365, created]],
    },
    {
      table: 'tier',
      columns: ['id', 'org_id', 'program_id', 'name', 'rank', 'purchase_threshold', 'points_multiplier'],
      rows: () => TIERS.map((tier) => [tier.id, org, DEFAULT_PROGRAM_ID, tier.name, tier.rank, money(tier.thresholdCents), tier.multiplier]),
    },
    {
      table: 'campaign',
      columns: [
        'id', 'org_id', 'code', 'name', 'description', 'starts_at', 'ends_at', 'requires_opt_in', 'eligible_tier_ids', 'eligible_statuses',
        'goal_kind', 'goal_target', 'reward_program_id', 'reward_points', 'created_at', 'updated_at',
      ],
      rows: () =>
        CAMPAIGNS.map((c) => {
          const startsAt = now - c.startsDaysAgo * DAY_MS;
          const definedAt = iso(Math.min(now, startsAt) - 7 * DAY_MS);
          return [
            c.id, org, c.code, c.name, `${c.name}: ${c.rewardPoints} bonus points`, iso(startsAt), c.endsDaysAgo === null ? null : iso(now - c.endsDaysAgo * DAY_MS),
            c.requiresOptIn, c.tierIds === null ? null : JSON.stringify(c.tierIds), '["ACTIVE"]', c.goalKind, c.target, DEFAULT_PROGRAM_ID, c.rewardPoints,
            definedAt, definedAt,
          ];
        }),
    },
    {
      table: 'status_label',
      columns: ['id', 'org_id', 'label', 'standard_status'],
      rows: () => STATUS_LABELS.map((label) => [label.id, org, label.label, label.status]),
    },
    {
      table: 'card_status_label',
      columns: ['id', 'org_id', 'label', 'system_status'],
      rows: () => CARD_STATUS_LABELS.map((label) => [label.id, org, label.label, label.status]),
    },
    {
      table: 'card_series',
      columns: ['id', 'org_id', 'code', 'description', 'type', 'prefix', 'suffix', 'number_length', 'auto_generate', 'expiry_days', 'store_id', 'program_id', 'created_at'],
      rows: () =>
        CARD_SERIES.map((series) => [series.id, org, series.code, `${series.type} cards`, series.type, series.prefix, '', 12, true, 730, null, DEFAULT_PROGRAM_ID, created]),
    },
    {
      table: 'badge_definition',
      columns: ['id', 'org_id', 'meta_id', 'name', 'description', 'created_at'],
      rows: function* () {
        for (let id = 1; id <= BADGE_COUNT; id++) yield [id, org, `badge-${id}`, `Badge ${id}`, `Awarded for challenge ${id}`, created];
      },
    },
    {
      table: 'incentive_series',
      columns: ['id', 'org_id', 'kind', 'code', 'description', 'valid_from', 'valid_until', 'max_redemptions_per_code', 'holder_only', 'created_at'],
      rows: () => INCENTIVE_SERIES.map((series) => [series.id, org, series.kind, series.code, `${series.code} series`, created, iso(now + 365 * DAY_MS), 1, true, created]),
    },
    {
      table: 'supplementary_program',
      columns: ['id', 'org_id', 'code', 'name', 'type', 'created_at'],
      rows: () => PARTNER_PROGRAMS.map((program) => [program.id, org, program.code, program.name, program.type, created]),
    },
    {
      table: 'customer',
      columns: [
        'id', 'org_id', 'first_name', 'last_name', 'mobile', 'email', 'joined_at', 'join_store_id', 'status_label_id',
        'status_reason', 'fraud_status', 'fraud_reason', 'custom_fields', 'extended_fields', 'created_at', 'updated_at',
      ],
      rows: function* () {
        for (const id of customerIds(sizes)) {
          const facts = customerFacts(id, sizes, now);
          const rng = rngFor(id, SALT.customer + 100);
          const statusId = statusIdOf(rng());
          const fraudRoll = rng();
          const fraud = fraudRoll < 0.01 ? 'MARKED' : fraudRoll < 0.05 ? 'NOT_FRAUD' : null;
          const joined = iso(facts.joinedAt);
          yield [
            id, org, pick(rng, FIRST_NAMES), pick(rng, LAST_NAMES), String(6580000000 + id), `member${id}@example.com`, joined,
            facts.joinStoreId, statusId, statusId === 1 ? null : 'Set by member care', fraud, fraud === 'MARKED' ? 'Unusual redemptions' : null,
            `{"favouriteDrink":"${pick(rng, SKUS)}"}`, `{"gender":"${rng() < 0.5 ? 'F' : 'M'}","marketingSource":"store"}`, joined, joined,
          ];
        }
      },
    },
    {
      table: 'customer_external_id',
      columns: ['org_id', 'customer_id', 'value', 'created_at'],
      rows: function* () {
        for (const id of customerIds(sizes)) yield [org, id, `CRM-${id}`, iso(customerFacts(id, sizes, now).joinedAt)];
      },
    },
    {
      table: 'channel_subscription',
      columns: ['id', 'org_id', 'customer_id', 'channel', 'priority', 'account', 'status', 'updated_at'],
      rows: function* () {
        let rowId = 0;
        for (const id of customerIds(sizes)) {
          const rng = rngFor(id, SALT.subscriptions);
          const updated = iso(customerFacts(id, sizes, now).joinedAt);
          for (const [channel, priority] of SUBSCRIPTIONS) yield [++rowId, org, id, channel, priority, '', rng() < 0.8 ? 'OPTIN' : 'OPTOUT', updated];
        }
      },
    },
    {
      table: 'card',
      columns: ['id', 'org_id', 'series_id', 'number', 'external_id', 'status_label_id', 'customer_id', 'issued_at', 'expires_at', 'created_at'],
      rows: function* () {
        let cardId = 0;
        for (const id of customerIds(sizes)) {
          const rng = rngFor(id, SALT.cards);
          const joinedAt = customerFacts(id, sizes, now).joinedAt;
          for (let k = 0; k < sizes.cardsPerCustomer; k++) {
            cardId += 1;
            const series = CARD_SERIES[k % CARD_SERIES.length] as (typeof CARD_SERIES)[number];
            const issuedAt = joinedAt + k * intBetween(rng, 1, 300) * DAY_MS;
            const statusId = k === 0 && rng() < 0.1 ? 2 : 1;
            yield [cardId, org, series.id, `${series.prefix}${String(cardId).padStart(8, '0')}`, null, statusId, id, iso(issuedAt), iso(issuedAt + 730 * DAY_MS), iso(issuedAt)];
          }
        }
      },
    },
    {
      table: 'user_group',
      columns: ['id', 'org_id', 'name', 'external_id', 'primary_member_id', 'created_at'],
      rows: function* () {
        for (const group of groups(sizes)) yield [group.id, org, `Family ${group.id}`, `GRP-${group.id}`, group.primaryId, iso(customerFacts(group.primaryId, sizes, now).joinedAt)];
      },
    },
    {
      table: 'user_group_member',
      columns: ['id', 'org_id', 'group_id', 'customer_id', 'joined_at'],
      rows: function* () {
        let rowId = 0;
        for (const group of groups(sizes)) {
          for (const memberId of group.memberIds) yield [++rowId, org, group.id, memberId, iso(customerFacts(memberId, sizes, now).joinedAt)];
        }
      },
    },
    {
      table: 'transaction',
      columns: ['id', 'org_id', 'customer_id', 'store_id', 'bill_number', 'bill_date', 'amount', 'occurred_at', 'created_at'],
      rows: function* () {
        for (const id of customerIds(sizes)) {
          for (const p of purchasesOf(id, sizes, now)) {
            const at = iso(p.occurredAt);
            yield [p.id, org, id, p.storeId, `B${p.id}`, orgDate(p.occurredAt), money(p.amountCents), at, at];
          }
        }
      },
    },
    {
      table: 'transaction_line_item',
      columns: ['id', 'org_id', 'transaction_id', 'sku', 'description', 'quantity', 'amount'],
      rows: function* () {
        let rowId = 0;
        for (const id of customerIds(sizes)) {
          for (const p of purchasesOf(id, sizes, now)) {
            if (p.id % sizes.lineItemEvery !== 0) continue;
            const sku = SKUS[p.id % SKUS.length] as string;
            yield [++rowId, org, p.id, sku, `Item ${sku}`, (p.id % 3) + 1, money(p.amountCents)];
          }
        }
      },
    },
    {
      table: 'loyalty_enrollment',
      columns: ['id', 'org_id', 'program_id', 'customer_id', 'tier_id', 'lifetime_purchases', 'enrolled_at'],
      rows: function* () {
        for (const id of customerIds(sizes)) {
          const lifetime = purchasesOf(id, sizes, now).reduce((sum, p) => sum + p.amountCents, 0);
          yield [id, org, DEFAULT_PROGRAM_ID, id, tierFor(lifetime).id, money(lifetime), iso(customerFacts(id, sizes, now).joinedAt)];
        }
      },
    },
    {
      table: 'campaign_progress',
      columns: ['id', 'org_id', 'campaign_id', 'customer_id', 'value', 'joined_at', 'completed_at', 'updated_at'],
      rows: function* () {
        let rowId = 0;
        for (const id of customerIds(sizes)) {
          for (const { campaign, value, joinedAt, completedBy } of campaignOutcomes(id, sizes, now)) {
            const last = completedBy?.occurredAt ?? joinedAt ?? now;
            yield [
              ++rowId, org, campaign.id, id, campaign.goalKind === 'SPEND' ? money(value) : value, joinedAt === null ? null : iso(joinedAt),
              completedBy ? iso(completedBy.occurredAt) : null, iso(last),
            ];
          }
        }
      },
    },
    {
      table: 'points_ledger_entry',
      columns: ['id', 'org_id', 'program_id', 'customer_id', 'transaction_id', 'campaign_id', 'kind', 'points', 'reason', 'source', 'expires_at', 'created_by', 'created_at'],
      rows: function* () {
        let rowId = 0;
        for (const id of customerIds(sizes)) {
          const purchases = purchasesOf(id, sizes, now);
          const tier = tierFor(purchases.reduce((sum, p) => sum + p.amountCents, 0));
          let balance = 0;
          for (const p of purchases) {
            const points = earnedPoints(p, tier);
            balance += points;
            yield [++rowId, org, DEFAULT_PROGRAM_ID, id, p.id, null, 'EARN', points, null, 'pos', iso(p.occurredAt + 365 * DAY_MS), null, iso(p.occurredAt)];
          }
          // Half the members have redeemed some points, so balances are not plain sums of earnings.
          if (id % 2 === 0) yield [++rowId, org, DEFAULT_PROGRAM_ID, id, null, null, 'REDEMPTION', -Math.floor(balance / 3), 'Reward redeemed', 'redeemPoints', null, 'bench', iso(now - (id % 90) * DAY_MS)];
          for (const { campaign, completedBy } of campaignOutcomes(id, sizes, now)) {
            if (!completedBy) continue;
            yield [
              campaignLedgerId(id, campaign.id, sizes), org, DEFAULT_PROGRAM_ID, id, null, campaign.id, 'CAMPAIGN', campaign.rewardPoints, `Completed campaign ${campaign.name}`,
              `campaign:${campaign.id}`, iso(completedBy.occurredAt + 365 * DAY_MS), null, iso(completedBy.occurredAt),
            ];
          }
        }
      },
    },
    {
      table: 'incentive',
      columns: ['id', 'org_id', 'series_id', 'kind', 'code', 'status', 'holder_id', 'valid_from', 'valid_until', 'redemption_count', 'issued_at'],
      rows: function* () {
        for (const id of customerIds(sizes)) {
          const issuedAt = customerFacts(id, sizes, now).joinedAt;
          for (let k = 0; k < sizes.incentivesPerCustomer; k++) {
            const incentiveId = (id - 1) * sizes.incentivesPerCustomer + k + 1;
            const series = INCENTIVE_SERIES[k % INCENTIVE_SERIES.length] as (typeof INCENTIVE_SERIES)[number];
            const status = incentiveStatus(id, k);
            const validUntil = status === 'EXPIRED' ? now - 10 * DAY_MS : now + 180 * DAY_MS;
            yield [incentiveId, org, series.id, series.kind, `${series.code}-${incentiveId}`, status, id, iso(issuedAt), iso(validUntil), status === 'REDEEMED' ? 1 : 0, iso(issuedAt)];
          }
        }
      },
    },
    {
      table: 'incentive_redemption',
      columns: ['id', 'org_id', 'incentive_id', 'sequence', 'customer_id', 'transaction_number', 'bill_amount', 'store_id', 'redeemed_at', 'created_by', 'created_at'],
      rows: function* () {
        let rowId = 0;
        for (const id of customerIds(sizes)) {
          const purchases = purchasesOf(id, sizes, now);
          for (let k = 0; k < sizes.incentivesPerCustomer; k++) {
            if (incentiveStatus(id, k) !== 'REDEEMED') continue;
            const p = purchases[k % purchases.length] as Purchase;
            const at = iso(p.occurredAt);
            // Single-use codes: each redeemed code has its first and only redemption.
            yield [++rowId, org, (id - 1) * sizes.incentivesPerCustomer + k + 1, 1, id, `B${p.id}`, money(p.amountCents), p.storeId, at, 'pos', at];
          }
        }
      },
    },
    {
      table: 'earned_badge',
      columns: ['id', 'org_id', 'badge_id', 'customer_id', 'earned_at', 'expires_at', 'created_at'],
      rows: function* () {
        let rowId = 0;
        for (const id of customerIds(sizes)) {
          const rng = rngFor(id, SALT.badges);
          const joinedAt = customerFacts(id, sizes, now).joinedAt;
          const firstBadge = intBetween(rng, 1, BADGE_COUNT);
          for (let k = 0; k < sizes.badgesPerCustomer; k++) {
            const earnedAt = joinedAt + Math.floor(rng() * (now - joinedAt));
            yield [++rowId, org, ((firstBadge + k - 1) % BADGE_COUNT) + 1, id, iso(earnedAt), iso(earnedAt + 365 * DAY_MS), iso(earnedAt)];
          }
        }
      },
    },
    {
      table: 'program_membership',
      columns: ['id', 'org_id', 'program_id', 'customer_id', 'membership_id', 'tier_name', 'tier_expires_at', 'status', 'started_at', 'ended_at', 'last_updated_at', 'last_activity', 'last_activity_at'],
      rows: function* () {
        for (const m of memberships(sizes, now)) {
          const lastAt = iso(m.ended ? m.endedAt : m.renewedAt);
          yield [
            m.id, org, m.programId, m.customerId, `PM-${m.id}`, m.tierName, m.ended ? null : iso(now + 200 * DAY_MS), m.ended ? 'ENDED' : 'ACTIVE',
            iso(m.startedAt), m.ended ? iso(m.endedAt) : null, lastAt, m.ended ? 'ENDED' : 'RENEWED', lastAt,
          ];
        }
      },
    },
    {
      table: 'membership_activity',
      columns: ['id', 'org_id', 'membership_id', 'kind', 'description', 'tier_name', 'occurred_at'],
      rows: function* () {
        let rowId = 0;
        for (const m of memberships(sizes, now)) {
          yield [++rowId, org, m.id, 'JOINED', 'Joined the partner program', m.tierName, iso(m.startedAt)];
          yield [++rowId, org, m.id, 'RENEWED', 'Renewed for a year', m.tierName, iso(m.renewedAt)];
          if (m.ended) yield [++rowId, org, m.id, 'ENDED', 'Membership ended', m.tierName, iso(m.endedAt)];
        }
      },
    },
    {
      table: 'interaction',
      columns: ['id', 'org_id', 'customer_id', 'channel', 'sender_id', 'subject', 'content', 'status', 'sent_at', 'delivered_at', 'created_at'],
      rows: function* () {
        let rowId = 0;
        for (const id of customerIds(sizes)) {
          const rng = rngFor(id, SALT.interactions);
          const joinedAt = customerFacts(id, sizes, now).joinedAt;
          for (let k = 0; k < sizes.interactionsPerCustomer; k++) {
            const email = rng() < 0.4;
            const sentAt = joinedAt + Math.floor(rng() * (now - joinedAt));
            const status = pick(rng, ['SENT', 'DELIVERED', 'DELIVERED', 'OPENED', 'FAILED'] as const);
            yield [
              ++rowId, org, id, email ? 'EMAIL' : 'SMS', 'LOYALTY', email ? 'Your monthly rewards' : null,
              email ? 'Hi! You have new rewards waiting. Visit a store near you to redeem them.' : 'You earned points at Bench Coffee. Reply STOP to opt out.',
              status, iso(sentAt), status === 'DELIVERED' || status === 'OPENED' ? iso(sentAt + 5_000) : null, iso(sentAt),
            ];
          }
        }
      },
    },
    {
      table: 'timeline_event',
      columns: ['id', 'org_id', 'customer_id', 'type', 'summary', 'data', 'occurred_at'],
      rows: function* () {
        let rowId = 0;
        for (const id of customerIds(sizes)) {
          const rng = rngFor(id, SALT.timeline);
          const joinedAt = customerFacts(id, sizes, now).joinedAt;
          yield [++rowId, org, id, 'JOINED', 'Joined Bench Rewards', `{"storeId":${customerFacts(id, sizes, now).joinStoreId}}`, iso(joinedAt)];
          for (let k = 1; k < sizes.timelineEventsPerCustomer; k++) {
            const type = pick(rng, TIMELINE_TYPES);
            yield [++rowId, org, id, type, `${type.toLowerCase().replace('_', ' ')} event`, `{"seq":${k}}`, iso(joinedAt + Math.floor(rng() * (now - joinedAt)))];
          }
          for (const { campaign, completedBy } of campaignOutcomes(id, sizes, now)) {
            if (!completedBy) continue;
            const data = { campaignId: campaign.id, campaign: campaign.name, points: campaign.rewardPoints, ledgerEntryId: campaignLedgerId(id, campaign.id, sizes), transactionId: completedBy.id };
            yield [++rowId, org, id, 'CAMPAIGN_COMPLETED', `Completed ${campaign.name}, rewarded ${campaign.rewardPoints} points`, JSON.stringify(data), iso(completedBy.occurredAt)];
          }
        }
      },
    },
  ];
}

interface Group {
  readonly id: number;
  readonly primaryId: number;
  readonly memberIds: readonly number[];
}

function* groups(sizes: DatasetSizes): Generator<Group> {
  let groupId = 0;
  for (let primaryId = 1; primaryId + sizes.groupSize - 1 <= sizes.customers; primaryId += sizes.groupEvery) {
    const memberIds = Array.from({ length: sizes.groupSize }, (_, k) => primaryId + k);
    yield { id: ++groupId, primaryId, memberIds };
  }
}

interface Membership {
  readonly id: number;
  readonly customerId: number;
  readonly programId: number;
  readonly tierName: string;
  readonly startedAt: number;
  readonly renewedAt: number;
  readonly ended: boolean;
  readonly endedAt: number;
}

/**
 * Every customer has one current partner membership (id = customer id); every n-th also has an
 * ended one (ids after the current ones), so "current memberships" has something to filter out.
 */
function* memberships(sizes: DatasetSizes, now: number): Generator<Membership> {
  let endedId = sizes.customers;
  for (const id of customerIds(sizes)) {
    const rng = rngFor(id, SALT.memberships);
    const joinedAt = customerFacts(id, sizes, now).joinedAt;
    const startedAt = joinedAt + Math.floor(rng() * (now - joinedAt) * 0.5);
    const program = PARTNER_PROGRAMS[id % PARTNER_PROGRAMS.length] as (typeof PARTNER_PROGRAMS)[number];
    const tierName = pick(rng, ['Blue', 'Silver', 'Gold']);
    yield { id, customerId: id, programId: program.id, tierName, startedAt, renewedAt: startedAt + (now - startedAt) / 2, ended: false, endedAt: 0 };
    if (id % sizes.endedMembershipEvery === 0) {
      const other = PARTNER_PROGRAMS[(id + 1) % PARTNER_PROGRAMS.length] as (typeof PARTNER_PROGRAMS)[number];
      const endedAt = startedAt + (now - startedAt) * 0.8;
      yield { id: ++endedId, customerId: id, programId: other.id, tierName, startedAt: joinedAt, renewedAt: (joinedAt + endedAt) / 2, ended: true, endedAt };
    }
  }
}
