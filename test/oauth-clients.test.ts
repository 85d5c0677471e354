import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/app/seed/org-setup.js';
import { OAuthClientCreateDocument, OAuthClientDeleteDocument, OAuthClientListDocument, OAuthClientUpdateDocument } from './generated/graphql.js';
import { gqlClient, typedRequest, type GqlClient } from './support/client.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createOrg, type TestOrg } from './support/world.js';

const APP = { name: 'Wallet', type: 'PUBLIC' as const, redirectUris: ['https://wallet.example/callback'], allowedScopes: ['POINTS_READ' as const] };

describe('OAuth clients per org, managed by ADMIN keys', () => {
  let server: TestServer;
  let org: TestOrg;
  let admin: GqlClient;
  let issuer: string;

  beforeAll(async () => {
    server = await startTestServer();
    org = await createOrg(server.em());
    admin = gqlClient(server.url, org.key);
    issuer = `${new URL(server.url).origin}/oauth`;
  });
  afterAll(() => server?.stop());

  it('creates a confidential client whose secret is shown once and kept only as a hash', async () => {
    const created = await typedRequest(admin, OAuthClientCreateDocument, { input: { ...APP, type: 'CONFIDENTIAL', allowedScopes: ['POINTS_READ', 'PROFILE'] } });
    const payload = created.data?.oauthClientCreate;
    expect(payload?.userErrors).toEqual([]);
    expect(payload?.client).toMatchObject({ name: 'Wallet', type: 'CONFIDENTIAL', redirectUris: APP.redirectUris, allowedScopes: ['POINTS_READ', 'PROFILE'] });
    const secret = payload?.clientSecret ?? '';
    expect(secret.length).toBeGreaterThanOrEqual(40);
    const [row] = await server.em().execute<{ secret_hash: string; allowed_scopes: string[] }[]>('select secret_hash, allowed_scopes from oauth_client where client_id = ?', [payload?.client?.clientId]);
    expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.allowed_scopes).toEqual(['points:read', 'profile']);
    const listed = await typedRequest(admin, OAuthClientListDocument);
    expect(JSON.stringify(listed.data)).not.toContain(secret);
    const [audit] = await server.em().execute<{ count: string }[]>(`select count(*) from audit_entry where org_id = ? and action = 'oauthClientCreate'`, [org.orgId]);
    expect(Number(audit.count)).toBeGreaterThan(0);

    // The secret authenticates the client at the token endpoint (it is compared by hash).
    const introspect = (password: string) =>
      fetch(`${issuer}/token/introspection`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${payload?.client?.clientId}:${password}`).toString('base64')}` },
        body: 'token=nothing',
      });
    expect((await introspect(secret)).status).toBe(200);
    expect((await introspect(row.secret_hash)).status).toBe(401);
  });

  it('gives a public client no secret', async () => {
    const created = await typedRequest(admin, OAuthClientCreateDocument, { input: APP });
    expect(created.data?.oauthClientCreate.clientSecret).toBeNull();
    expect(created.data?.oauthClientCreate.client?.type).toBe('PUBLIC');
  });

  it('refuses redirect URIs that could not be matched exactly or safely', async () => {
    for (const uri of ['http://wallet.example/callback', 'https://wallet.example/cb#frag', 'https://*.example/cb', '/relative', 'https://user:pw@wallet.example/cb', 'https://WALLET.example/cb', 'javascript:alert(1)']) {
      const response = await typedRequest(admin, OAuthClientCreateDocument, { input: { ...APP, redirectUris: [uri] } });
      expect(response.data?.oauthClientCreate.userErrors[0], uri).toMatchObject({ code: 'INVALID_INPUT', field: ['input', 'redirectUris', '0'] });
    }
    const none = await typedRequest(admin, OAuthClientCreateDocument, { input: { ...APP, allowedScopes: [] } });
    expect(none.data?.oauthClientCreate.userErrors[0]).toMatchObject({ code: 'INVALID_INPUT', field: ['input', 'allowedScopes'] });
    const tooMany = await typedRequest(admin, OAuthClientCreateDocument, { input: { ...APP, redirectUris: Array.from({ length: 11 }, (_, i) => `https://wallet.example/${i}`) } });
    expect(tooMany.data?.oauthClientCreate.userErrors[0]).toMatchObject({ code: 'INVALID_INPUT', field: ['input', 'redirectUris'] });
  });

  it('updates and deletes a client of its own org only; a deleted client can no longer authorize', async () => {
    const created = await typedRequest(admin, OAuthClientCreateDocument, { input: APP });
    const clientId = created.data?.oauthClientCreate.client?.clientId ?? '';
    const updated = await typedRequest(admin, OAuthClientUpdateDocument, { input: { clientId, name: 'Wallet 2', allowedScopes: ['POINTS_READ', 'POINTS_REDEEM'] } });
    expect(updated.data?.oauthClientUpdate.client).toMatchObject({ name: 'Wallet 2', allowedScopes: ['POINTS_READ', 'POINTS_REDEEM'], redirectUris: APP.redirectUris });

    const other = await createOrg(server.em());
    const stranger = gqlClient(server.url, other.key);
    expect((await typedRequest(stranger, OAuthClientUpdateDocument, { input: { clientId, name: 'Mine now' } })).data?.oauthClientUpdate.userErrors[0]).toMatchObject({ code: 'NOT_FOUND' });
    expect((await typedRequest(stranger, OAuthClientDeleteDocument, { input: { clientId } })).data?.oauthClientDelete.userErrors[0]).toMatchObject({ code: 'NOT_FOUND' });
    expect((await typedRequest(stranger, OAuthClientListDocument)).data?.oauthClients).toEqual([]);

    const authorize = () =>
      fetch(`${issuer}/auth?${new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: APP.redirectUris[0], scope: 'points:read', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' })}`, { redirect: 'manual' });
    expect((await authorize()).status).toBe(303);
    const deleted = await typedRequest(admin, OAuthClientDeleteDocument, { input: { clientId } });
    expect(deleted.data?.oauthClientDelete).toEqual({ deletedClientId: clientId, userErrors: [] });
    const refused = await authorize();
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('invalid_client');
  });

  it('refuses every other role', async () => {
    for (const role of ['VIEWER', 'MEMBER_CARE', 'INTEGRATION'] as const) {
      const client = gqlClient(server.url, await createApiKey(server.em(), org.orgId, role));
      const create = await typedRequest(client, OAuthClientCreateDocument, { input: APP });
      expect(create.errors?.[0]?.extensions?.code, role).toBe('FORBIDDEN');
      const list = await typedRequest(client, OAuthClientListDocument);
      expect(list.errors?.[0]?.extensions?.code, role).toBe('FORBIDDEN');
      const update = await typedRequest(client, OAuthClientUpdateDocument, { input: { clientId: 'x', name: 'y' } });
      expect(update.errors?.[0]?.extensions?.code, role).toBe('FORBIDDEN');
      const remove = await typedRequest(client, OAuthClientDeleteDocument, { input: { clientId: 'x' } });
      expect(remove.errors?.[0]?.extensions?.code, role).toBe('FORBIDDEN');
    }
  });
});
