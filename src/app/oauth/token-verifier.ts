import type { MikroORM } from '@mikro-orm/postgresql';
import type Provider from 'oidc-provider';
import { CUSTOMER_SCOPES, type CustomerGrant, type CustomerScope, type CustomerTokenVerifier } from '../../domain/oauth/customer-grant.js';
import { findOAuthClient } from '../../domain/oauth/oauth-client.service.js';

/** A verified token is trusted this long without a new look: the longest a revocation takes to be seen. */
export const TOKEN_CACHE_MS = 5_000;
const MAX_CACHED = 10_000;
const MAX_TOKEN_CHARS = 200;

/**
 * Verifies a partner app's opaque access token through the authorization server's storage
 * (`provider.AccessToken.find`: unknown, expired and revoked tokens are not found), then maps it
 * to its customer, org (the client's) and scopes (those granted that the client is still allowed).
 * Answers are cached per token for at most TOKEN_CACHE_MS (and never past the token's expiry), and
 * clients for as long: a revoked token, a deleted client or a scope the client lost stops working
 * within that time in every process.
 */
export class OAuthTokenVerifier implements CustomerTokenVerifier {
  private provider: Provider | undefined;
  private readonly cache = new Map<string, { grant: CustomerGrant; until: number }>();
  /** Clients by id, for as long as a token's answer: many tokens share one client. */
  private readonly clients = new Map<string, { client: Awaited<ReturnType<typeof findOAuthClient>>; until: number }>();

  constructor(private readonly orm: MikroORM) {}

  /** Connects the verifier to the authorization server once the HTTP server knows its issuer; until then every token is refused. */
  attach(provider: Provider): void {
    this.provider = provider;
  }

  async verify(token: string): Promise<CustomerGrant | null> {
    if (!this.provider || typeof token !== 'string' || token.length < 16 || token.length > MAX_TOKEN_CHARS) return null;
    const now = Date.now();
    const cached = this.cache.get(token);
    if (cached && cached.until > now) return cached.grant;
    this.cache.delete(token);
    const grant = await this.lookUp(this.provider, token);
    if (grant) this.remember(token, grant, now);
    return grant;
  }

  private async lookUp(provider: Provider, token: string): Promise<CustomerGrant | null> {
    const accessToken = await provider.AccessToken.find(token);
    if (!accessToken || accessToken.isExpired || !accessToken.accountId || !accessToken.clientId) return null;
    const client = await this.clientOf(accessToken.clientId);
    const customerId = Number(accessToken.accountId);
    if (!client || !Number.isSafeInteger(customerId)) return null;
    const granted = new Set(String(accessToken.scope ?? '').split(' '));
    const scopes = new Set<CustomerScope>(CUSTOMER_SCOPES.filter((scope) => granted.has(scope) && client.allowedScopes.includes(scope)));
    return { orgId: client.orgId, customerId, clientId: client.clientId, scopes, expiresAt: new Date((accessToken.exp ?? 0) * 1000) };
  }

  private async clientOf(clientId: string): Promise<Awaited<ReturnType<typeof findOAuthClient>>> {
    const now = Date.now();
    const cached = this.clients.get(clientId);
    if (cached && cached.until > now) return cached.client;
    const client = await findOAuthClient(this.orm.em.fork(), clientId);
    if (this.clients.size >= MAX_CACHED) this.clients.clear();
    this.clients.set(clientId, { client, until: now + TOKEN_CACHE_MS });
    return client;
  }

  private remember(token: string, grant: CustomerGrant, now: number): void {
    if (this.cache.size >= MAX_CACHED) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(token, { grant, until: Math.min(now + TOKEN_CACHE_MS, grant.expiresAt.getTime()) });
  }
}
