import { createHash } from 'node:crypto';
import { deferWrite } from '../../core/sql/deferred-writes.js';
import { selectRows, toId, toNullableId, writeRows } from '../../core/sql/rows.js';
import { CommonErrorCode, DomainError } from '../../core/errors.js';
import type { ServiceContext } from '../context.js';
import { requiredText, type FieldPath } from '../../core/input-rules.js';

/**
 * Idempotency keys: the first request with a key claims it (a row unique per org, scope and key)
 * in the same transaction as its writes; a repeat gets the first result back and writes nothing.
 *
 * The claim comes first, before any row lock of the work: a concurrent repeat then blocks on the
 * key's unique index until the first commits (or rolls back, in which case it claims the key
 * itself), and never holds a lock the first one needs. A failed first request (a user error)
 * rolls its claim back with everything else, so the key stays free for a corrected retry.
 */
export interface IdempotentRequest {
  /** The kind of change, e.g. `goodwillPointsIssue`: one key may serve different scopes. */
  readonly scope: string;
  /** The client's key, or one the server made for an import row; without one the work simply runs. */
  readonly key: string | ImportRowKey | null | undefined;
  /** What the key stands for: a repeat with another input is refused (IDEMPOTENCY_KEY_REUSED). */
  readonly input: unknown;
  readonly field?: FieldPath;
}

export interface IdempotentResult {
  /** The id the work returned, now or the first time. */
  readonly resultId: number;
  /** True when this was a repeat and nothing was written. */
  readonly replayed: boolean;
}

/**
 * The key of an import row's change (`import-job:7:row:12`), made by the server. It is claimed in a
 * scope of its own (`import:couponRedeem`), which no key a client sends can reach: GraphQL hands a
 * service only strings, so a client that sends the same text neither takes the row's key before the
 * import (and makes it skip or fail the row) nor replays what the import did.
 */
export interface ImportRowKey {
  readonly importRow: string;
}

export function importRowKey(jobId: number, row: number): ImportRowKey {
  return { importRow: `import-job:${jobId}:row:${row}` };
}

/** Where import rows' keys are claimed, beside the clients' scope of the same change. */
export function importScope(scope: string): string {
  return `import:${scope}`;
}

/** JSON with object keys sorted, so equal inputs hash equally whatever their key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item) && !(item instanceof Date)
      ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}

/** What a key's row keeps of the input it stands for. */
export function requestHash(input: unknown): string {
  return createHash('sha256').update(canonicalJson(input)).digest('hex');
}

/** A client's key as it is stored: trimmed, required, at most 200 characters (INVALID_INPUT on `field`). */
export function clientKey(key: string, field: FieldPath = ['input', 'idempotencyKey']): string {
  return requiredText(key, field, 200);
}

/** The refusal of a key repeated with a different input. */
export function keyReused(key: string, field: FieldPath = ['input', 'idempotencyKey']): DomainError {
  return new DomainError(CommonErrorCode.IDEMPOTENCY_KEY_REUSED, `The idempotency key "${key}" was already used with a different input.`, field);
}

/** A key claimed earlier: the hash of its input and the id its work returned. */
export interface ClaimedKey {
  readonly requestHash: string;
  readonly resultId: number;
}

/** The keys of `scope` claimed already (committed), among `keys`: one statement for any number. */
export async function claimedKeys(tx: ServiceContext, scope: string, keys: readonly string[]): Promise<Map<string, ClaimedKey>> {
  if (keys.length === 0) return new Map();
  const rows = await selectRows<{ key: string; requestHash: string; resultId: unknown }>(
    tx.em,
    'select key, request_hash, result_id from idempotency_key where org_id = ? and scope = ? and key = any(?::text[])',
    [tx.org.id, scope, [...new Set(keys)]],
  );
  return new Map(
    rows.map((row) => {
      const resultId = toNullableId(row.resultId);
      if (resultId === null) throw new Error(`Idempotency key ${scope}/${row.key} was claimed without a result`);
      return [row.key, { requestHash: row.requestHash, resultId }];
    }),
  );
}

/**
 * Claims many keys of `scope` at once, in `tx`, each with the id of the row its work will write,
 * drawn now from the id sequence of `resultTable`: the caller then inserts its rows with those ids.
 * Returns the claimed keys and their ids; a key missing from the answer was claimed by someone
 * else meanwhile (the insert waited for them to commit). Keys are claimed in sorted order, so two
 * batches sharing keys wait for each other instead of deadlocking.
 */
export async function claimKeys(tx: ServiceContext, scope: string, claims: readonly { key: string; hash: string }[], resultTable: string): Promise<Map<string, number>> {
  if (claims.length === 0) return new Map();
  const rows = await writeRows<{ key: string; resultId: string }>(
    tx.em,
    `insert into idempotency_key (org_id, scope, key, request_hash, result_id, created_at)
      select ?, ?, c.key, c.hash, nextval(pg_get_serial_sequence(?, 'id')), ?
      from unnest(?::text[], ?::text[]) as c(key, hash) order by c.key
      on conflict (org_id, scope, key) do nothing returning key, result_id`,
    [tx.org.id, scope, resultTable, tx.clock.now(), claims.map((claim) => claim.key), claims.map((claim) => claim.hash)],
  );
  return new Map(rows.map((row) => [row.key, toId(row.resultId)]));
}

/** Runs `work` (which returns the id of what it made) at most once per key; `tx` must be a transaction. */
export async function runOnce(tx: ServiceContext, request: IdempotentRequest, work: () => Promise<number>): Promise<IdempotentResult> {
  if (request.key === null || request.key === undefined) return { resultId: await work(), replayed: false };
  const field = request.field ?? ['input', 'idempotencyKey'];
  const fromImport = typeof request.key === 'object';
  const scope = fromImport ? importScope(request.scope) : request.scope;
  const key = typeof request.key === 'object' ? request.key.importRow : clientKey(request.key, field);
  const hash = requestHash(request.input);
  const claimed = await writeRows<{ id: string }>(
    tx.em,
    `insert into idempotency_key (org_id, scope, key, request_hash, created_at) values (?, ?, ?, ?, ?)
      on conflict (org_id, scope, key) do nothing returning id`,
    [tx.org.id, scope, key, hash, tx.clock.now()],
  );
  if (claimed[0]) {
    const resultId = await work();
    // Read by nobody before commit (a concurrent repeat waits on the key until then): it joins the transaction's other deferred writes.
    await deferWrite(tx.em, 'update idempotency_key set result_id = ? where id = ?', [resultId, claimed[0].id]);
    return { resultId, replayed: false };
  }
  // Someone else's claim, committed by now: the insert above waited for it.
  const [first] = await selectRows<{ requestHash: string; resultId: unknown }>(
    tx.em,
    'select request_hash, result_id from idempotency_key where org_id = ? and scope = ? and key = ?',
    [tx.org.id, scope, key],
  );
  if (!first) throw new Error(`Idempotency key ${scope}/${key} conflicted but cannot be read`);
  if (first.requestHash !== hash) throw keyReused(key, field);
  const resultId = toNullableId(first.resultId);
  if (resultId === null) throw new Error(`Idempotency key ${scope}/${key} was claimed without a result`);
  return { resultId, replayed: true };
}
