import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Provider from 'oidc-provider';
import { loadOAuthSecrets } from '../src/app/oauth/oauth-secrets.js';
import { createOAuthProvider } from '../src/app/oauth/provider.js';
import { OAuthTokenVerifier } from '../src/app/oauth/token-verifier.js';
import { createOAuthClient } from '../src/domain/oauth/oauth-client.service.js';
import { codeSentTo, TestBrowser } from './support/oauth-browser.js';
import { startGateway, type TestGateway } from './support/sms-gateway.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCustomer, createOrg, serviceContext, type TestOrg } from './support/world.js';

const REDIRECT = 'http://127.0.0.1:9/callback';

describe('the OAuth authorization server, driven as a partner app would', () => {
  let server: TestServer;
  let gateway: TestGateway;
  let org: TestOrg;
  let origin: string;
  let issuer: string;
  let publicClient: oidc.Configuration;
  let publicClientId: string;
  let confidential: { config: oidc.Configuration; clientId: string; secret: string };
  let mobiles = 0;
  /** The authorization server as another API process builds it: same keys and state, from the database. */
  let otherProcess: Provider;

  /** A verifier with an empty cache, in that other process. */
  function verifier(): OAuthTokenVerifier {
    const fresh = new OAuthTokenVerifier(server.orm);
    fresh.attach(otherProcess);
    return fresh;
  }
  const freshVerifier = verifier;

  /** A customer of the org with a mobile of their own. */
  async function customer(): Promise<{ id: number; mobile: string }> {
    mobiles += 1;
    const mobile = `659100${String(mobiles).padStart(4, '0')}`;
    return { id: await createCustomer(server.em(), org, { mobile }), mobile };
  }

  async function discover(clientId: string, secret?: string): Promise<oidc.Configuration> {
    return oidc.discovery(new URL(issuer), clientId, secret ? { client_secret: secret } : { token_endpoint_auth_method: 'none' }, secret ? oidc.ClientSecretBasic(secret) : oidc.None(), {
      execute: [oidc.allowInsecureRequests],
    });
  }

  /** The app's authorization request (PKCE S256, state). */
  async function authorization(config: oidc.Configuration, scope = 'openid offline_access points:read') {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope, state, code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    return { url, verifier, state };
  }

  /** The customer signs in on the pages with the code from the gateway and allows the app; returns where they land. */
  async function signIn(browser: TestBrowser, url: URL, mobile: string): Promise<URL> {
    const start = await browser.go(url.toString());
    expect(start.html).toContain('Mobile number or email');
    const sentBefore = gateway.requests.length;
    const codePage = await browser.submit(start, { identifier: mobile });
    expect(codePage.html).toContain('6-digit code');
    const consent = await browser.submit(codePage, { code: await codeSentTo(gateway, mobile, sentBefore) });
    expect(consent.html).toContain('See your points, tier and transactions');
    const back = await browser.submit(consent, { decision: 'allow' });
    return new URL(back.url);
  }

  async function tokensFor(config: oidc.Configuration, mobile: string, scope?: string) {
    const request = await authorization(config, scope);
    const landed = await signIn(new TestBrowser(origin), request.url, mobile);
    return oidc.authorizationCodeGrant(config, landed, { pkceCodeVerifier: request.verifier, expectedState: request.state });
  }

  beforeAll(async () => {
    gateway = await startGateway();
    server = await startTestServer({ config: { smsGatewayUrl: gateway.url } });
    origin = new URL(server.url).origin;
    issuer = `${origin}/oauth`;
    org = await createOrg(server.em());
    const ctx = await serviceContext(server, org, 'test');
    const created = await createOAuthClient(ctx, { name: 'Car tablet', type: 'PUBLIC', redirectUris: [REDIRECT], allowedScopes: ['points:read', 'points:redeem', 'profile'] });
    publicClientId = created.client.clientId;
    publicClient = await discover(publicClientId);
    const server2server = await createOAuthClient(await serviceContext(server, org, 'test'), { name: 'Wallet backend', type: 'CONFIDENTIAL', redirectUris: [REDIRECT], allowedScopes: ['points:read'] });
    otherProcess = createOAuthProvider({ issuer, secrets: await loadOAuthSecrets(server.em()), em: () => server.em(), behindProxy: false });
    confidential = { clientId: server2server.client.clientId, secret: server2server.secret ?? '', config: await discover(server2server.client.clientId, server2server.secret ?? '') };
  });
  afterAll(async () => {
    await server?.stop();
    await gateway?.close();
  });

  it('publishes its discovery document and its keys (public keys only)', async () => {
    const metadata = publicClient.serverMetadata();
    expect(metadata.issuer).toBe(issuer);
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.response_types_supported).toEqual(['code']);
    const jwks = (await (await fetch(metadata.jwks_uri ?? '')).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys.map((key) => key.kty).sort()).toEqual(['EC', 'RSA']);
    for (const key of jwks.keys) expect(key.d).toBeUndefined();
    const [stored] = await server.em().execute<{ count: string }[]>(`select count(*) from oauth_secret where name = 'signing-keys'`);
    expect(Number(stored.count)).toBe(1);
  });

  it('signs a customer in with a code by SMS and gives tokens the verifier maps to that customer, org, client and scopes', async () => {
    const who = await customer();
    const tokens = await tokensFor(publicClient, who.mobile, 'openid offline_access points:read profile');
    expect(tokens.refresh_token).toBeTruthy();
    const grant = await verifier().verify(tokens.access_token);
    expect(grant).toMatchObject({ orgId: org.orgId, customerId: who.id, clientId: publicClientId });
    expect([...(grant?.scopes ?? [])].sort()).toEqual(['points:read', 'profile']);
    expect(grant?.expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(await verifier().verify('not-a-token-at-all-but-long-enough')).toBeNull();
  });

  it("masks the code in member care's view of the Interaction; only the gateway got the digits", async () => {
    const who = await customer();
    await tokensFor(publicClient, who.mobile);
    const sent = gateway.requests.filter((request) => request.body.to === who.mobile).at(-1);
    expect(sent?.body.text).toMatch(/^\d{6} is your Org \d+ sign-in code/);
    expect(sent?.body.priority).toBe('TRANS');
    const rows = await server.em().execute<{ content: string; secret_content: string | null; status: string }[]>(`select content, secret_content, status from interaction where customer_id = ?`, [who.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].content).toMatch(/^\*{6} is your Org \d+ sign-in code/);
    expect(rows[0].content).not.toMatch(/\d{6}/);
    expect(rows[0].status).toBe('SENT');
    expect(rows[0].secret_content).toBeNull();
  });

  it('refuses an authorization request without PKCE, and a token request with the wrong verifier', async () => {
    const browser = new TestBrowser(origin);
    const noPkce = new URL(`${issuer}/auth`);
    noPkce.search = new URLSearchParams({ client_id: publicClientId, response_type: 'code', redirect_uri: REDIRECT, scope: 'openid points:read', state: 'abc' }).toString();
    const refused = await browser.go(noPkce.toString());
    expect(refused.url).toContain(REDIRECT);
    expect(new URL(refused.url).searchParams.get('error')).toBe('invalid_request');
    expect(new URL(refused.url).searchParams.get('error_description')).toMatch(/PKCE/);

    const who = await customer();
    const request = await authorization(publicClient);
    const landed = await signIn(new TestBrowser(origin), request.url, who.mobile);
    await expect(oidc.authorizationCodeGrant(publicClient, landed, { pkceCodeVerifier: oidc.randomPKCECodeVerifier(), expectedState: request.state })).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('matches redirect URIs exactly: a trailing slash, another port, path or host are refused without redirecting', async () => {
    for (const variant of [`${REDIRECT}/`, 'http://127.0.0.1:10/callback', 'http://127.0.0.1:9/callback/../evil', 'http://127.0.0.1:9/other', 'https://evil.example/callback', 'http://127.0.0.1:9/callback?next=https://evil.example']) {
      const url = oidc.buildAuthorizationUrl(publicClient, { redirect_uri: variant, scope: 'openid points:read', code_challenge: await oidc.calculatePKCECodeChallenge('x'.repeat(43)), code_challenge_method: 'S256' });
      const page = await new TestBrowser(origin).go(url.toString());
      expect(page.status, variant).toBe(400);
      expect(page.url.startsWith(origin), variant).toBe(true);
      expect(page.html, variant).toContain('redirect_uri');
    }
  });

  it('accepts a code once: a replayed code is refused and revokes the tokens it gave', async () => {
    const who = await customer();
    const request = await authorization(publicClient);
    const landed = await signIn(new TestBrowser(origin), request.url, who.mobile);
    const tokens = await oidc.authorizationCodeGrant(publicClient, landed, { pkceCodeVerifier: request.verifier, expectedState: request.state });
    expect(await verifier().verify(tokens.access_token)).not.toBeNull();
    const replay = await fetch(publicClient.serverMetadata().token_endpoint ?? '', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: landed.searchParams.get('code') ?? '', redirect_uri: REDIRECT, code_verifier: request.verifier, client_id: publicClientId }),
    });
    expect({ status: replay.status, body: await replay.json() }).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    await expect(oidc.refreshTokenGrant(publicClient, tokens.refresh_token ?? '')).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(await freshVerifier().verify(tokens.access_token)).toBeNull();
  });

  it('rotates refresh tokens; a used one presented again revokes the whole grant', async () => {
    const who = await customer();
    const first = await tokensFor(publicClient, who.mobile);
    const second = await oidc.refreshTokenGrant(publicClient, first.refresh_token ?? '');
    expect(second.refresh_token).toBeTruthy();
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(await freshVerifier().verify(second.access_token)).toMatchObject({ customerId: who.id });
    await expect(oidc.refreshTokenGrant(publicClient, first.refresh_token ?? '')).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(oidc.refreshTokenGrant(publicClient, second.refresh_token ?? '')).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(await freshVerifier().verify(second.access_token)).toBeNull();
  });

  it('lets a confidential client introspect and revoke its tokens; a wrong secret and a public client are refused', async () => {
    const who = await customer();
    const tokens = await tokensFor(confidential.config, who.mobile);
    const active = await oidc.tokenIntrospection(confidential.config, tokens.access_token);
    expect(active).toMatchObject({ active: true, sub: String(who.id), client_id: confidential.clientId });
    const wrongSecret = await discover(confidential.clientId, 'not-the-secret');
    await expect(oidc.tokenIntrospection(wrongSecret, tokens.access_token)).rejects.toMatchObject({ status: 401 });
    const byPublic = await oidc.tokenIntrospection(publicClient, tokens.access_token).catch((error: unknown) => error);
    expect(byPublic).not.toMatchObject({ active: true });
    await oidc.tokenRevocation(confidential.config, tokens.access_token);
    expect(await oidc.tokenIntrospection(confidential.config, tokens.access_token)).toMatchObject({ active: false });
    expect(await freshVerifier().verify(tokens.access_token)).toBeNull();
    const [stored] = await server.em().execute<{ secret_hash: string }[]>('select secret_hash from oauth_client where client_id = ?', [confidential.clientId]);
    expect(stored.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.secret_hash).not.toContain(confidential.secret);
  });

  it('refuses a scope the client is not allowed', async () => {
    const request = await authorization(confidential.config, 'openid points:transfer');
    const page = await new TestBrowser(origin).go(request.url.toString());
    expect(new URL(page.url).searchParams.get('error')).toBe('invalid_scope');
  });

  it('locks a code after 5 wrong tries, even with the right one typed last', async () => {
    const who = await customer();
    const browser = new TestBrowser(origin);
    const start = await browser.go((await authorization(publicClient)).url.toString());
    const before = gateway.requests.length;
    let page = await browser.submit(start, { identifier: who.mobile });
    const code = await codeSentTo(gateway, who.mobile, before);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      page = await browser.submit(page, { code: wrong });
      expect(page.html).toContain(`${5 - attempt} ${5 - attempt === 1 ? 'try' : 'tries'} left`);
    }
    page = await browser.submit(page, { code: wrong });
    expect(page.html).toContain('can no longer be used');
    const again = await browser.go(page.url.replace(/\/code$/, ''));
    expect(again.html).toContain('Mobile number or email');
    const late = await browser.go(`${origin}/oauth/interaction/${page.url.split('/').at(-2)}/code`, { code });
    expect(late.html).toContain('can no longer be used');
  });

  it('limits the codes sent to one identifier', async () => {
    const who = await customer();
    const browser = new TestBrowser(origin);
    const start = await browser.go((await authorization(publicClient)).url.toString());
    for (let sent = 0; sent < 5; sent += 1) {
      const page = await browser.submit(start, { identifier: who.mobile });
      expect(page.status).toBe(200);
    }
    const refused = await browser.submit(start, { identifier: who.mobile });
    expect(refused.status).toBe(429);
    expect(refused.html).toContain('Too many codes');
  });

  it('shows a stranger the same pages as a member, and sends nothing', async () => {
    const member = await customer();
    const stranger = `659999${String(mobiles).padStart(4, '0')}`;
    const pages: string[] = [];
    for (const mobile of [member.mobile, stranger]) {
      const browser = new TestBrowser(origin);
      const start = await browser.go((await authorization(publicClient)).url.toString());
      const codePage = await browser.submit(start, { identifier: mobile });
      const wrong = await browser.submit(codePage, { code: '123456' });
      pages.push(`${codePage.status} ${codePage.html.replace(/nonce-[^']+'|nonce="[^"]+"/g, '').replace(/interaction\/[^/"?]+/g, '')}`, `${wrong.status}`);
    }
    expect(pages[2]).toBe(pages[0]);
    expect(pages[3]).toBe(pages[1]);
    await codeSentTo(gateway, member.mobile);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(gateway.requests.filter((request) => request.body.to === stranger)).toEqual([]);
    const [otp] = await server.em().execute<{ count: string }[]>('select count(*) from oauth_otp where customer_id is null');
    expect(Number(otp.count)).toBeGreaterThan(0);
  });

  it('serves pages that load nothing from elsewhere and run no script', async () => {
    const page = await fetch((await authorization(publicClient)).url.toString(), { redirect: 'manual' });
    const interaction = await fetch(new URL(page.headers.get('location') ?? '', origin), { headers: { cookie: page.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ') } });
    const csp = interaction.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    const html = await interaction.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<label for="identifier">');
    expect(html).not.toMatch(/<script|https?:\/\//);
  });
});
