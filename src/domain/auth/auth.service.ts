import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { selectRows, toId } from '../../core/sql/rows.js';
import type { Caller } from './caller.js';
import { toOrgRow } from '../org/org.rows.js';
import type { StaffRole } from './api-key.entity.js';
import type { AuthFailureLimiter } from './auth-failures.js';
import { LruCache } from './lru-cache.js';

/** Keys are 192 random bits, so a fast hash is enough: there is nothing to brute-force. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function generateApiKey(): string {
  return `lg_${randomBytes(24).toString('base64url')}`;
}

/** Whether a bearer token is shaped as this server's API keys are (`lg_…`); anything else may be a staff member's or a customer's token. */
export function isApiKey(token: string): boolean {
  return token.startsWith('lg_');
}

/** Reads the bearer token of an `Authorization` header value, of at most `maxChars` characters. */
export function bearerToken(header: unknown, maxChars = 300): string | undefined {
  if (typeof header !== 'string' || header.length > maxChars + 10) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** How long a verified key (or an unknown one) is trusted without asking the database again. */
export const API_KEY_CACHE_MS = 10_000;
const CACHE_CAPACITY = 10_000;

/** A caller, with the hash of the key that made it (to check the key again later). */
export interface KeyHolder {
  readonly caller: Caller;
  readonly keyHash: string;
}

export type Authentication =
  | ({ readonly kind: 'ok' } & KeyHolder)
  | { readonly kind: 'unauthenticated' }
  /** The client sent too many bad keys: it is refused for a while, whatever it sends. */
  | { readonly kind: 'throttled'; readonly retryAfterSeconds: number };

interface Cached<T> {
  readonly value: T;
  readonly until: number;
}

/**
 * Resolves API keys to callers. Verified keys are cached for 10 s so that a busy client costs no
 * SQL per request; a revoked key therefore stops working within 10 s (open WebSockets are checked
 * again by `recheck`). Known keys and unknown ones live in separate bounded caches, so a flood of
 * made-up keys only pushes out other made-up keys. A client address that sends too many bad keys
 * is refused (throttled) for a while, in every process.
 */
export class ApiKeyAuthenticator {
  private readonly known: LruCache<string, Cached<Caller>>;
  private readonly unknown: LruCache<string, Cached<true>>;

  constructor(
    private readonly emFactory: () => EntityManager,
    private readonly failures?: AuthFailureLimiter,
    /** Entries each cache (known keys, unknown keys) holds. */
    capacity = CACHE_CAPACITY,
  ) {
    this.known = new LruCache(capacity);
    this.unknown = new LruCache(capacity);
  }

  /** Authenticates `token` for the client at `client` (its address). */
  async authenticate(token: string | undefined, client: string): Promise<Authentication> {
    const hash = token && token.length <= 200 ? hashApiKey(token) : undefined;
    const now = Date.now();
    const cached = hash === undefined ? undefined : this.known.get(hash);
    if (hash !== undefined && cached && cached.until > now) return { kind: 'ok', caller: cached.value, keyHash: hash };
    if (this.failures) {
      const wait = await this.failures.retryAfterSeconds(client);
      if (wait > 0) return { kind: 'throttled', retryAfterSeconds: wait };
    }
    const caller = hash === undefined || (this.unknown.get(hash)?.until ?? 0) > now ? undefined : await this.lookup(hash);
    if (hash !== undefined && caller) return { kind: 'ok', caller, keyHash: hash };
    const wait = (await this.failures?.recordFailure(client)) ?? 0;
    return wait > 0 ? { kind: 'throttled', retryAfterSeconds: wait } : { kind: 'unauthenticated' };
  }

  /** The caller a key hash stands for, as the cache knows it (at most `API_KEY_CACHE_MS` old). */
  async callerOf(hash: string): Promise<Caller | undefined> {
    const cached = this.known.get(hash);
    if (cached && cached.until > Date.now()) return cached.value;
    return this.lookup(hash);
  }

  /**
   * Reads the given keys again now, in one statement, and refreshes the cache: the callers they
   * stand for today (a revoked key is absent).
   */
  async recheck(hashes: readonly string[]): Promise<Map<string, Caller>> {
    const current = new Map<string, Caller>();
    if (hashes.length === 0) return current;
    const rows = await selectRows(this.emFactory(), `${CALLER_SELECT} where k.key_hash = any(?) and k.revoked_at is null`, [[...new Set(hashes)]]);
    const until = Date.now() + API_KEY_CACHE_MS;
    for (const row of rows) {
      const caller = toCaller(row);
      current.set(String(row.keyHash), caller);
      this.known.set(String(row.keyHash), { value: caller, until });
    }
    for (const hash of hashes) if (!current.has(hash)) this.known.delete(hash);
    return current;
  }

  private async lookup(hash: string): Promise<Caller | undefined> {
    const rows = await selectRows(this.emFactory(), `${CALLER_SELECT} where k.key_hash = ? and k.revoked_at is null`, [hash]);
    const until = Date.now() + API_KEY_CACHE_MS;
    const caller = rows[0] ? toCaller(rows[0]) : undefined;
    if (caller) {
      this.known.set(hash, { value: caller, until });
    } else {
      this.known.delete(hash);
      this.unknown.set(hash, { value: true, until });
    }
    return caller;
  }
}

const CALLER_SELECT = 'select k.id as api_key_id, k.key_hash, k.role, o.* from api_key k join org o on o.id = k.org_id';

function toCaller(row: Record<string, unknown>): Caller {
  const apiKeyId = toId(row.apiKeyId);
  return { org: toOrgRow(row), role: row.role as StaffRole, apiKeyId, actor: `api-key:${apiKeyId}` };
}

/** Whether two callers hold the same rights: the same key (or staff member), org and role. */
export function sameRights(a: Caller, b: Caller): boolean {
  return a.apiKeyId === b.apiKeyId && a.actor === b.actor && a.org.id === b.org.id && a.role === b.role;
}
