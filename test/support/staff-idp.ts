import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';

/** The part of oidc-provider's API the test uses (the package ships no types). */
type ProviderClass = new (issuer: string, configuration: Record<string, unknown>) => { callback(): http.RequestListener };

/** Loaded by name at run time: the package ships no type declarations for TypeScript to resolve. */
async function providerClass(): Promise<ProviderClass> {
  const name = 'oidc-provider';
  return ((await import(name)) as { default: ProviderClass }).default;
}

/** A staff member of the company: the client id their tokens are requested with, and the claims the provider puts in them. */
export interface StaffPersona {
  readonly id: string;
  readonly claims: Record<string, unknown>;
}

/**
 * A company's OpenID Connect provider, as staff sign in with: a real `oidc-provider` on a free
 * port of 127.0.0.1. Each persona is a client of it; `token` asks its token endpoint (client
 * credentials, with a resource indicator as the audience) for a signed JWT carrying the persona's
 * claims (`extraTokenClaims`). The test holds the provider's signing key too, to make tokens the
 * provider would not (expired ones).
 */
export interface TestIdp {
  readonly issuer: string;
  /** A JWT access token of the persona for `audience`, from the provider's token endpoint. */
  token(personaId: string, audience: string): Promise<string>;
  /** A token signed with the provider's own key, with the claims given (to make expired or premature ones). */
  sign(claims: JWTPayload): Promise<string>;
  stop(): Promise<void>;
}

const KID = 'test-signing-key';

async function signingKey(): Promise<{ jwk: JWK; privateKey: Parameters<SignJWT['sign']>[0] }> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { jwk: { ...(await exportJWK(privateKey)), kid: KID, alg: 'RS256', use: 'sig' }, privateKey };
}

export async function startTestIdp(personas: readonly StaffPersona[]): Promise<TestIdp> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { jwk, privateKey } = await signingKey();
  const claimsOf = new Map(personas.map((persona) => [persona.id, persona.claims]));
  const Provider = await providerClass();
  const provider = new Provider(issuer, {
    jwks: { keys: [jwk] },
    clients: personas.map((persona) => ({
      client_id: persona.id,
      client_secret: `secret-of-${persona.id}`,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_post',
    })),
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        getResourceServerInfo: async () => ({ scope: '', accessTokenFormat: 'jwt', accessTokenTTL: 300, jwt: { sign: { alg: 'RS256' } } }),
      },
    },
    extraTokenClaims: async (_ctx: unknown, token: { clientId?: string }) => claimsOf.get(String(token.clientId)),
  });
  server.on('request', provider.callback());

  return {
    issuer,
    async token(personaId, audience) {
      const response = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: personaId, client_secret: `secret-of-${personaId}`, resource: audience }),
      });
      const body = (await response.json()) as { access_token?: string; error?: string; error_description?: string };
      if (!body.access_token) throw new Error(`The test provider gave no token: ${body.error} ${body.error_description}`);
      return body.access_token;
    },
    sign(claims) {
      return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'at+jwt' }).sign(privateKey);
    },
    stop() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
