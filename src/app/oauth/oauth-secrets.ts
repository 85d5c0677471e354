import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { selectRows, writeRows } from '../../core/sql/rows.js';

/** What every process of the authorization server must share: the keys it signs with. */
export interface OAuthSecrets {
  /** Private JWKs (ES256 first, the default; RS256 for clients that need it). */
  readonly signingKeys: JWK[];
  /** Keys the provider signs its cookies with. */
  readonly cookieKeys: string[];
}

async function makeSigningKeys(): Promise<JWK[]> {
  const keys: JWK[] = [];
  for (const alg of ['ES256', 'RS256'] as const) {
    const { privateKey } = await generateKeyPair(alg, { extractable: true });
    const jwk = await exportJWK(privateKey);
    keys.push({ ...jwk, alg, use: 'sig', kid: randomBytes(12).toString('base64url') });
  }
  return keys;
}

/** Reads a secret, making it first when no process has yet: the first writer wins, every process reads its value. */
async function sharedSecret<T>(em: EntityManager, name: string, make: () => Promise<T>): Promise<T> {
  const [existing] = await selectRows<{ value: T }>(em, 'select value from oauth_secret where name = ?', [name]);
  if (existing) return existing.value;
  await writeRows(em, 'insert into oauth_secret (name, value, created_at) values (?, ?::jsonb, now()) on conflict (name) do nothing', [name, JSON.stringify(await make())]);
  const [stored] = await selectRows<{ value: T }>(em, 'select value from oauth_secret where name = ?', [name]);
  if (!stored) throw new Error(`The OAuth secret "${name}" could not be stored`);
  return stored.value;
}

/**
 * The authorization server's keys, generated on the first start and kept in the database (never
 * in the repository or the environment), so that every API process signs and verifies alike.
 */
export async function loadOAuthSecrets(em: EntityManager): Promise<OAuthSecrets> {
  const signingKeys = await sharedSecret(em, 'signing-keys', makeSigningKeys);
  const cookieKeys = await sharedSecret(em, 'cookie-keys', async () => [randomBytes(32).toString('base64url'), randomBytes(32).toString('base64url')]);
  return { signingKeys, cookieKeys };
}
