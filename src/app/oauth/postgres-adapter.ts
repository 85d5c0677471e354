import type { EntityManager } from '@mikro-orm/postgresql';
import type { Adapter, AdapterConstructor, AdapterPayload, ClientMetadata } from 'oidc-provider';
import { selectRows, writeRows } from '../../core/sql/rows.js';
import { findOAuthClient, type OAuthClientRecord } from '../../domain/oauth/oauth-client.service.js';

/** Ids and lookups longer than this are no model of ours: refused without a query. */
const MAX_ID_CHARS = 255;

/** The scopes every client may ask for besides its customer scopes. */
export const PROTOCOL_SCOPES = ['openid', 'offline_access'] as const;

/**
 * How a client of the `oauth_client` table looks to oidc-provider: code flow only, exact
 * redirect URIs, PKCE (the provider requires it of every client), no secret for a public client
 * and the secret's hash for a confidential one (the provider compares hashes, see provider.ts).
 */
export function clientMetadata(client: OAuthClientRecord): ClientMetadata {
  return {
    client_id: client.clientId,
    client_name: client.name,
    redirect_uris: [...client.redirectUris],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    scope: [...PROTOCOL_SCOPES, ...client.allowedScopes].join(' '),
    ...(client.type === 'PUBLIC' ? { token_endpoint_auth_method: 'none' } : { token_endpoint_auth_method: 'client_secret_basic', client_secret: client.secretHash ?? '' }),
    org_id: client.orgId,
  };
}

interface ModelRow {
  readonly payload: AdapterPayload;
  /** When it was used, in epoch seconds. */
  readonly consumed: string | null;
}

function withConsumed(row: ModelRow | undefined): AdapterPayload | undefined {
  if (!row) return undefined;
  return row.consumed === null ? row.payload : { ...row.payload, consumed: Number(row.consumed) };
}

/**
 * oidc-provider's storage on PostgreSQL (`oauth_model`): every process of the API reads and writes
 * the same sessions, interactions, grants, codes and tokens. An expired row is never returned
 * (and is swept by `sweepExpiredOAuthState`); clients come from `oauth_client`.
 */
export function postgresAdapter(em: () => EntityManager): AdapterConstructor {
  return class PostgresAdapter implements Adapter {
    constructor(private readonly kind: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      const expiresAt = expiresIn ? new Date(Date.now() + expiresIn * 1000) : null;
      await writeRows(
        em(),
        `insert into oauth_model (kind, id, payload, grant_id, user_code, uid, expires_at) values (?, ?, ?::jsonb, ?, ?, ?, ?)
          on conflict (kind, id) do update set payload = excluded.payload, grant_id = excluded.grant_id, user_code = excluded.user_code,
            uid = excluded.uid, expires_at = excluded.expires_at`,
        [this.kind, id, JSON.stringify(payload), payload.grantId ?? null, payload.userCode ?? null, payload.uid ?? null, expiresAt],
      );
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_CHARS) return undefined;
      if (this.kind === 'Client') {
        const client = await findOAuthClient(em(), id);
        return client ? clientMetadata(client) : undefined;
      }
      return this.findWhere('id', id);
    }

    findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return this.findWhere('uid', uid);
    }

    findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return this.findWhere('user_code', userCode);
    }

    async destroy(id: string): Promise<void> {
      await writeRows(em(), 'delete from oauth_model where kind = ? and id = ?', [this.kind, id]);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await writeRows(em(), 'delete from oauth_model where kind = ? and grant_id = ?', [this.kind, grantId]);
    }

    /**
     * Marks a code or refresh token used, once: of two requests redeeming it at the same moment,
     * the one that loses revokes the grant and fails (oidc-provider checks `consumed` before
     * calling this, but both may pass that check together).
     */
    async consume(id: string): Promise<void> {
      const [won] = await writeRows(em(), 'update oauth_model set consumed_at = now() where kind = ? and id = ? and consumed_at is null returning id', [this.kind, id]);
      if (won) return;
      const [lost] = await selectRows<{ grantId: string | null }>(em(), 'select grant_id from oauth_model where kind = ? and id = ?', [this.kind, id]);
      if (lost?.grantId) await writeRows(em(), 'delete from oauth_model where grant_id = ? or (kind = ? and id = ?)', [lost.grantId, 'Grant', lost.grantId]);
      throw new Error(`${this.kind} ${id.slice(0, 8)}… was used twice at once; its grant is revoked`);
    }

    private async findWhere(column: 'id' | 'uid' | 'user_code', value: string): Promise<AdapterPayload | undefined> {
      if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_CHARS) return undefined;
      const [row] = await selectRows<ModelRow>(
        em(),
        `select payload, floor(extract(epoch from consumed_at))::bigint as consumed from oauth_model where kind = ? and ${column} = ? and (expires_at is null or expires_at > now())`,
        [this.kind, value],
      );
      return withConsumed(row);
    }
  };
}

/** Deletes the authorization server's expired state and sign-in codes; every API process runs it now and then. */
export async function sweepExpiredOAuthState(em: EntityManager): Promise<number> {
  const models = await writeRows(em, `delete from oauth_model where expires_at < now() - interval '5 minutes' returning 1`);
  const codes = await writeRows(em, `delete from oauth_otp where expires_at < now() - interval '1 hour' returning 1`);
  return models.length + codes.length;
}
