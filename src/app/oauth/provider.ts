import type { EntityManager } from '@mikro-orm/postgresql';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { selectRows } from '../../core/sql/rows.js';
import { CUSTOMER_SCOPES } from '../../domain/oauth/customer-grant.js';
import { clientSecretMatches } from '../../domain/oauth/oauth-client.service.js';
import type { OAuthSecrets } from './oauth-secrets.js';
import { postgresAdapter, PROTOCOL_SCOPES } from './postgres-adapter.js';
import { escapeHtml } from './pages.js';

/** Where the provider is mounted on the app. */
export const OAUTH_PATH = '/oauth';
/** Where a sign-in's pages are: `/oauth/interaction/<uid>`. */
export const INTERACTION_PATH = '/interaction';

/** Lifetimes, in seconds: access tokens short (they cannot be recalled from a cache), refresh tokens a month. */
const TTL = {
  AccessToken: 10 * 60,
  AuthorizationCode: 60,
  RefreshToken: 30 * 24 * 3600,
  Interaction: 15 * 60,
  Session: 24 * 3600,
  Grant: 30 * 24 * 3600,
  IdToken: 10 * 60,
} as const;

export interface OAuthProviderOptions {
  /** `<public URL>/oauth`. */
  readonly issuer: string;
  readonly secrets: OAuthSecrets;
  readonly em: () => EntityManager;
  /** True behind a TLS-terminating proxy (X-Forwarded-Proto is trusted). */
  readonly behindProxy: boolean;
}

/** The account is the customer; it exists only within the org of the client asking. */
async function findCustomerAccount(em: () => EntityManager, ctx: KoaContextWithOIDC, id: string) {
  const orgId = Number(ctx.oidc.client?.['org_id']);
  if (!/^\d{1,18}$/.test(id) || !Number.isSafeInteger(orgId)) return undefined;
  const [row] = await selectRows(em(), 'select id from customer where org_id = ? and id = ?', [orgId, Number(id)]);
  if (!row) return undefined;
  return { accountId: id, claims: async () => ({ sub: id }) };
}

function configuration(options: OAuthProviderOptions): Configuration {
  return {
    adapter: postgresAdapter(options.em),
    jwks: { keys: options.secrets.signingKeys as NonNullable<Configuration['jwks']>['keys'] },
    cookies: { keys: options.secrets.cookieKeys },
    scopes: [...PROTOCOL_SCOPES, ...CUSTOMER_SCOPES],
    claims: { openid: ['sub'] },
    responseTypes: ['code'],
    clientAuthMethods: ['none', 'client_secret_basic', 'client_secret_post'],
    extraClientMetadata: { properties: ['org_id'] },
    // RFC 9700: PKCE for every client, S256 only (the provider knows no other method).
    pkce: { required: () => true },
    // Refresh tokens rotate on every use; a used one presented again revokes the whole grant.
    rotateRefreshToken: () => true,
    // Every client may refresh (without the OIDC rule that offline_access needs prompt=consent), and
    // a refresh token outlives the browser session it started in.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    expiresWithSession: async () => false,
    allowOmittingSingleRegisteredRedirectUri: false,
    ttl: TTL,
    findAccount: (ctx, id) => findCustomerAccount(options.em, ctx, id),
    interactions: { url: (_ctx, interaction) => `${OAUTH_PATH}${INTERACTION_PATH}/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      introspection: {
        enabled: true,
        // Only a confidential client may introspect, and only its own tokens.
        allowedPolicy: async (_ctx, client, token) => client.clientAuthMethod !== 'none' && token.clientId === client.clientId,
      },
      userinfo: { enabled: true },
      rpInitiatedLogout: { enabled: false },
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in error</title></head><body><main><h1>Sign-in error</h1><p>${escapeHtml(String(out.error))}: ${escapeHtml(String(out.error_description ?? ''))}</p></main></body></html>`;
    },
  };
}

/**
 * The OAuth 2.0 authorization server (oidc-provider), its state in PostgreSQL and its keys from
 * the database. Confidential clients' secrets are stored hashed: the provider compares the hash
 * of what the client presents with the stored hash instead of the secrets themselves.
 */
export function createOAuthProvider(options: OAuthProviderOptions): Provider {
  const provider = new Provider(options.issuer, configuration(options));
  provider.proxy = options.behindProxy;
  provider.Client.prototype.compareClientSecret = function compareHashedSecret(this: { clientSecret?: string }, actual: string) {
    return clientSecretMatches(this.clientSecret ?? null, actual);
  };
  return provider;
}
