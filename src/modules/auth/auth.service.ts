import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { selectRows, toId } from '../../db/rows.js';
import type { Caller } from '../../server/context.js';
import { toOrgRow } from '../org/org.rows.js';
import type { StaffRole } from './api-key.entity.js';

/** Keys are 192 random bits, so a fast hash is enough: there is nothing to brute-force. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function generateApiKey(): string {
  return `lg_${randomBytes(24).toString('base64url')}`;
}

/** Reads the bearer token of an `Authorization` header value. */
export function bearerToken(header: unknown): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

const CACHE_TTL_MS = 10_000;

/**
 * Resolves API keys to callers. Verified keys are cached for 10 s so that a busy client costs no
 * SQL per request; a revoked key therefore stops working within 10 s.
 */
export class ApiKeyAuthenticator {
  private readonly cache = new Map<string, { caller: Caller | undefined; until: number }>();

  constructor(private readonly emFactory: () => EntityManager) {}

  async authenticate(token: string | undefined): Promise<Caller | undefined> {
    if (!token || token.length > 200) return undefined;
    const hash = hashApiKey(token);
    const cached = this.cache.get(hash);
    if (cached && cached.until > Date.now()) return cached.caller;
    const caller = await this.lookup(hash);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { caller, until: Date.now() + CACHE_TTL_MS });
    return caller;
  }

  private async lookup(hash: string): Promise<Caller | undefined> {
    const rows = await selectRows(
      this.emFactory(),
      `select k.id as api_key_id, k.role, o.* from api_key k join org o on o.id = k.org_id
        where k.key_hash = ? and k.revoked_at is null`,
      [hash],
    );
    const row = rows[0];
    if (!row) return undefined;
    return { org: toOrgRow(row), role: row.role as StaffRole, apiKeyId: toId(row.apiKeyId) };
  }
}
