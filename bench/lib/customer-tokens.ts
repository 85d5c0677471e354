import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadOAuthSecrets } from '../../src/app/oauth/oauth-secrets.js';
import { createOAuthProvider } from '../../src/app/oauth/provider.js';
import { initOrm } from '../../src/app/orm.js';

/**
 * Customers' access tokens for the benchmark, issued by the real authorization server
 * (oidc-provider with the app's PostgreSQL adapter and keys) without the interactive sign-in,
 * which is not what is measured: a grant and an opaque access token per customer, stored in
 * `oauth_model` exactly as the code flow stores them, through one public client of the org.
 */

/** The bench's partner app: its previous tokens and grants are removed with it on every run. */
const CLIENT_NAME = 'bench:query rewards page';
/** What a rewards page needs: `me` (profile), the points (points:read) and the campaigns (campaigns:read). */
const SCOPE = 'openid profile points:read campaigns:read';
const MINT_CONCURRENCY = 8;

export interface CustomerToken {
  readonly customerId: number;
  readonly token: string;
}

export interface MintedTokens {
  readonly clientId: string;
  readonly tokens: readonly CustomerToken[];
  /** Seconds each token lives from its minting. */
  readonly ttlSeconds: number;
}

/** `count` distinct customer ids drawn at random from 1..customers. */
function randomCustomerIds(customers: number, count: number): number[] {
  const picked = new Set<number>();
  const wanted = Math.min(count, customers);
  while (picked.size < wanted) picked.add(1 + Math.floor(Math.random() * customers));
  return [...picked];
}

/** Replaces the bench's OAuth client of the org (and everything issued through it) with a fresh public one. */
async function insertBenchClient(url: string, orgId: number): Promise<string> {
  const clientId = `lgc_bench_${randomBytes(12).toString('base64url')}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin');
    const { rows } = await client.query<{ client_id: string }>('delete from oauth_client where org_id = $1 and name = $2 returning client_id', [orgId, CLIENT_NAME]);
    if (rows.length > 0) await client.query(`delete from oauth_model where payload->>'clientId' = any($1::text[])`, [rows.map((row) => row.client_id)]);
    await client.query(
      `insert into oauth_client (org_id, client_id, name, type, secret_hash, redirect_uris, allowed_scopes, created_at, updated_at)
        values ($1, $2, $3, 'PUBLIC', null, $4::jsonb, $5::jsonb, now(), now())`,
      [orgId, clientId, CLIENT_NAME, JSON.stringify(['http://127.0.0.1/callback']), JSON.stringify(['profile', 'points:read', 'campaigns:read'])],
    );
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
  return clientId;
}

/**
 * Mints a token for each of `count` random customers of the org. The provider is built as the
 * server builds it (`createOAuthProvider`, keys from `loadOAuthSecrets`, which makes them if no
 * server has started yet); opaque tokens do not name the issuer, so any issuer serves.
 */
export async function mintCustomerTokens(options: {
  readonly url: string;
  readonly orgId: number;
  readonly customers: number;
  readonly count: number;
  readonly ttlSeconds: number;
}): Promise<MintedTokens> {
  const clientId = await insertBenchClient(options.url, options.orgId);
  const orm = await initOrm(options.url, { pool: { min: 0, max: MINT_CONCURRENCY } });
  try {
    const provider = createOAuthProvider({
      issuer: 'http://127.0.0.1/oauth',
      secrets: await loadOAuthSecrets(orm.em.fork()),
      em: () => orm.em.fork(),
      behindProxy: false,
    });
    const client = await provider.Client.find(clientId);
    if (!client) throw new Error(`The provider does not find the bench client ${clientId}`);

    const mintOne = async (customerId: number): Promise<CustomerToken> => {
      const accountId = String(customerId);
      const grant = new provider.Grant({ accountId, clientId });
      grant.addOIDCScope(SCOPE);
      const grantId = await grant.save();
      const token = await new provider.AccessToken({ accountId, client, grantId, gty: 'authorization_code', scope: SCOPE, expiresIn: options.ttlSeconds }).save();
      return { customerId, token };
    };
    const ids = randomCustomerIds(options.customers, options.count);
    const tokens: CustomerToken[] = [];
    for (let i = 0; i < ids.length; i += MINT_CONCURRENCY) tokens.push(...(await Promise.all(ids.slice(i, i + MINT_CONCURRENCY).map(mintOne))));
    return { clientId, tokens, ttlSeconds: options.ttlSeconds };
  } finally {
    await orm.close();
  }
}
