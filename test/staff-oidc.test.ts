import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffIdentityProviderRemoveDocument, StaffIdentityProviderSetDocument, StaffIdentityProviderShowDocument } from './generated/graphql.js';
import type { StaffIdentityProviderSetInput } from './generated/schema-types.js';
import { gqlClient, operation, typedRequest, wsClient, wsRequest } from './support/client.js';
import { startTestServer, type TestServer } from './support/server.js';
import { startTestIdp, type TestIdp } from './support/staff-idp.js';
import { createApiKey } from '../src/app/seed/org-setup.js';
import { createOrg, type TestOrg } from './support/world.js';

const AUDIENCE = 'https://loyalty.test/acme';
const OTHER_AUDIENCE = 'https://loyalty.test/globex';

const PERSONAS = [
  { id: 'alice', claims: { email: 'Alice@Acme.test', email_verified: true, groups: ['everyone', 'loyalty-admins'] } },
  { id: 'victor', claims: { email: 'victor@acme.test', groups: ['loyalty-viewers'] } },
  { id: 'nora', claims: { email: 'nora@acme.test', groups: ['marketing'] } },
  { id: 'eve', claims: { email: 'eve@evil.test', email_verified: true, groups: ['loyalty-admins'] } },
  { id: 'una', claims: { email: 'una@acme.test', email_verified: false, groups: ['loyalty-admins'] } },
];

function acmeProvider(issuer: string, overrides: Partial<StaffIdentityProviderSetInput> = {}): StaffIdentityProviderSetInput {
  return {
    issuer,
    audience: AUDIENCE,
    allowedEmailDomains: ['ACME.test'],
    roleClaim: 'groups',
    roleMapping: [
      { value: 'loyalty-admins', role: 'ADMIN' },
      { value: 'loyalty-viewers', role: 'VIEWER' },
    ],
    defaultRole: null,
    ...overrides,
  };
}

/** A token whose payload was changed after signing (its signature is the original's). */
function tampered(token: string, change: Record<string, unknown>): string {
  const [header, payload, signature] = token.split('.');
  const claims = { ...JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')), ...change };
  return [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
}

/** An unsigned token (`alg: none`) with the claims given. */
function unsigned(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}

describe("staff sign in with their org's OpenID Connect provider", () => {
  let server: TestServer;
  let idp: TestIdp;
  let otherIdp: TestIdp;
  let acme: TestOrg;
  let globex: TestOrg;

  beforeAll(async () => {
    // Many refusals on purpose from one address: the throttle is tested apart, below.
    const config = { authFailurePolicy: { failures: 1_000, windowSeconds: 600, blockSeconds: 1 } };
    [server, idp, otherIdp] = await Promise.all([startTestServer({ config }), startTestIdp(PERSONAS), startTestIdp(PERSONAS)]);
    acme = await createOrg(server.em());
    globex = await createOrg(server.em());
    const set = await typedRequest(gqlClient(server.url, acme.key), StaffIdentityProviderSetDocument, { input: acmeProvider(idp.issuer) });
    expect(set.data?.staffIdentityProviderSet.userErrors).toEqual([]);
    // Globex trusts another issuer: a token of Acme's provider names no provider of Globex.
    const other = await typedRequest(gqlClient(server.url, globex.key), StaffIdentityProviderSetDocument, {
      input: acmeProvider(otherIdp.issuer, { audience: OTHER_AUDIENCE, allowedEmailDomains: ['acme.test'], defaultRole: 'VIEWER' }),
    });
    expect(other.data?.staffIdentityProviderSet.userErrors).toEqual([]);
  });
  afterAll(async () => {
    await server?.stop();
    await idp?.stop();
    await otherIdp?.stop();
  });

  it('stores the provider as an ADMIN set it (domains lowercased) and audits the change', async () => {
    const shown = await typedRequest(gqlClient(server.url, acme.key), StaffIdentityProviderShowDocument);
    expect(shown.data?.staffIdentityProvider).toEqual({
      issuer: idp.issuer,
      audience: AUDIENCE,
      allowedEmailDomains: ['acme.test'],
      roleClaim: 'groups',
      roleMapping: [
        { value: 'loyalty-admins', role: 'ADMIN' },
        { value: 'loyalty-viewers', role: 'VIEWER' },
      ],
      defaultRole: null,
    });
    const audit = await server.em().execute<{ action: string }[]>("select action from audit_entry where org_id = ? and subject_type = 'StaffIdentityProvider'", [acme.orgId]);
    expect(audit.map((row) => row.action)).toEqual(['staffIdentityProviderSet']);
  });

  it("lets a staff member of an allowed domain in as the org's staff, with the role their group maps to", async () => {
    const admin = await gqlClient(server.url, await idp.token('alice', AUDIENCE)).request<{ viewer: { role: string; org: { id: string } } }>(operation('Viewer'));
    expect(admin.status).toBe(200);
    expect(admin.data?.viewer.role).toBe('ADMIN');
    const byKey = await gqlClient(server.url, acme.key).request<{ viewer: { org: { id: string } } }>(operation('Viewer'));
    expect(admin.data?.viewer.org.id).toBe(byKey.data?.viewer.org.id);

    const viewer = await gqlClient(server.url, await idp.token('victor', AUDIENCE)).request<{ viewer: { role: string } }>(operation('Viewer'));
    expect(viewer.data?.viewer.role).toBe('VIEWER');
  });

  it('lets a VIEWER read but not write, and an ADMIN change settings, recorded as that person in the audit trail', async () => {
    const viewer = gqlClient(server.url, await idp.token('victor', AUDIENCE));
    const refused = await viewer.request(operation('OrgSettingsUpdate'), { input: { goodwillPointsCap: 777 } });
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const admin = gqlClient(server.url, await idp.token('alice', AUDIENCE));
    const changed = await admin.request<{ orgSettingsUpdate: { org: { goodwillPointsCap: number }; userErrors: unknown[] } }>(operation('OrgSettingsUpdate'), {
      input: { goodwillPointsCap: 4321 },
    });
    expect(changed.errors).toBeUndefined();
    expect(changed.data?.orgSettingsUpdate).toMatchObject({ org: { goodwillPointsCap: 4321 }, userErrors: [] });
    const audit = await server.em().execute<{ actor: string }[]>("select actor from audit_entry where org_id = ? and action = 'orgSettingsUpdate'", [acme.orgId]);
    expect(audit.map((row) => row.actor)).toEqual(['staff:alice@acme.test']);
  });

  it('refuses a staff member of another domain, an unverified email, and one whose groups map to no role (403)', async () => {
    for (const persona of ['eve', 'una', 'nora']) {
      const response = await gqlClient(server.url, await idp.token(persona, AUDIENCE)).request(operation('Viewer'));
      expect(response.status, persona).toBe(403);
      expect(response.errors?.[0].extensions?.code, persona).toBe('FORBIDDEN');
      expect(response.data ?? null).toBeNull();
    }
    const eve = await gqlClient(server.url, await idp.token('eve', AUDIENCE)).request(operation('Viewer'));
    expect(eve.errors?.[0].message).toContain('"evil.test" is not one');
    const nora = await gqlClient(server.url, await idp.token('nora', AUDIENCE)).request(operation('Viewer'));
    expect(nora.errors?.[0].message).toContain('no value this org maps to a role');
  });

  it('refuses a wrong audience, an expired token, another issuer, a tampered signature, alg none and HS256 (401)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: idp.issuer, aud: AUDIENCE, email: 'alice@acme.test', groups: ['loyalty-admins'] };
    const genuine = await idp.token('alice', AUDIENCE);
    const cases: Record<string, string> = {
      'wrong audience': await idp.token('alice', 'https://loyalty.test/nobody'),
      expired: await idp.sign({ ...claims, iat: now - 600, exp: now - 120 }),
      'not yet valid': await idp.sign({ ...claims, iat: now, nbf: now + 300, exp: now + 600 }),
      'no expiry': await idp.sign({ ...claims, iat: now }),
      'other issuer': await otherIdp.token('alice', AUDIENCE),
      'tampered payload': tampered(genuine, { email: 'victor@acme.test' }),
      'alg none': unsigned({ ...claims, exp: now + 300 }),
      HS256: await new SignJWT({ ...claims, exp: now + 300 }).setProtectedHeader({ alg: 'HS256', kid: 'test-signing-key' }).sign(new TextEncoder().encode('a shared secret of 32 bytes.....')),
    };
    for (const [name, token] of Object.entries(cases)) {
      const response = await gqlClient(server.url, token).request(operation('Viewer'));
      expect(response.status, name).toBe(401);
      expect(response.errors?.[0].extensions?.code, name).toBe('UNAUTHENTICATED');
    }
    // The genuine token still works: the refusals were about the tokens, not the provider.
    expect((await gqlClient(server.url, genuine).request(operation('Viewer'))).status).toBe(200);
  });

  it("refuses a provider's token at an org that names another provider", async () => {
    // Globex trusts otherIdp with OTHER_AUDIENCE; Acme's provider's token for that audience names no org.
    const response = await gqlClient(server.url, await idp.token('alice', OTHER_AUDIENCE)).request(operation('Viewer'));
    expect(response.status).toBe(401);
    // otherIdp's token for Globex gets into Globex only, with Globex's default role.
    const globexStaff = await gqlClient(server.url, await otherIdp.token('nora', OTHER_AUDIENCE)).request<{ viewer: { role: string; org: { id: string } } }>(operation('Viewer'));
    const globexByKey = await gqlClient(server.url, globex.key).request<{ viewer: { org: { id: string } } }>(operation('Viewer'));
    expect(globexStaff.data?.viewer).toEqual({ role: 'VIEWER', org: expect.objectContaining({ id: globexByKey.data?.viewer.org.id }) });
  });

  it('authenticates graphql-ws in connection_init with a staff token', async () => {
    const client = wsClient(server.wsUrl, await idp.token('alice', AUDIENCE));
    try {
      const result = await wsRequest<{ viewer: { role: string } }>(client, operation('Viewer'));
      expect(result.errors).toBeUndefined();
      expect(result.data?.viewer.role).toBe('ADMIN');
    } finally {
      await client.dispose();
    }
    const refused = wsClient(server.wsUrl, await idp.token('eve', AUDIENCE));
    try {
      await expect(wsRequest(refused, operation('Viewer'))).rejects.toBeDefined();
    } finally {
      await refused.dispose();
    }
  });

  it('takes staff tokens on POST /imports, with their role', async () => {
    const importsUrl = server.url.replace('/graphql', '/imports');
    const post = async (token: string) => fetch(importsUrl, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body: 'a,b\n' });
    const viewer = await post(await idp.token('victor', AUDIENCE));
    expect(viewer.status).toBe(403);
    const admin = await post(await idp.token('alice', AUDIENCE));
    expect(admin.status).toBe(422); // past authentication: the import is refused for its missing template
    const outsider = await post(await idp.token('eve', AUDIENCE));
    expect(outsider.status).toBe(403);
    expect(((await outsider.json()) as { errors: { message: string }[] }).errors[0].message).toContain('evil.test');
  });

  it('lets only ADMIN keys read, set or remove the provider', async () => {
    for (const role of ['VIEWER', 'MEMBER_CARE', 'INTEGRATION'] as const) {
      const key = gqlClient(server.url, await createApiKey(server.em(), acme.orgId, role));
      const set = await typedRequest(key, StaffIdentityProviderSetDocument, { input: acmeProvider(idp.issuer, { defaultRole: 'ADMIN' }) });
      expect(set.errors?.[0].extensions?.code, role).toBe('FORBIDDEN');
      expect((await typedRequest(key, StaffIdentityProviderShowDocument)).errors?.[0].extensions?.code, role).toBe('FORBIDDEN');
      expect((await typedRequest(key, StaffIdentityProviderRemoveDocument)).errors?.[0].extensions?.code, role).toBe('FORBIDDEN');
    }
    const viewerStaff = gqlClient(server.url, await idp.token('victor', AUDIENCE));
    expect((await typedRequest(viewerStaff, StaffIdentityProviderRemoveDocument)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await typedRequest(gqlClient(server.url, acme.key), StaffIdentityProviderShowDocument)).data?.staffIdentityProvider?.defaultRole).toBeNull();
  });

  it('refuses bad settings with userErrors', async () => {
    const admin = gqlClient(server.url, acme.key);
    const cases: [Partial<StaffIdentityProviderSetInput>, string, string[] | null][] = [
      [{ issuer: 'http://idp.example.com' }, 'INVALID_INPUT', ['input', 'issuer']],
      [{ issuer: 'not a url' }, 'INVALID_INPUT', ['input', 'issuer']],
      [{ issuer: `https://idp.example.com/${'x'.repeat(600)}` }, 'INVALID_INPUT', ['input', 'issuer']],
      [{ audience: ' ' }, 'INVALID_INPUT', ['input', 'audience']],
      [{ allowedEmailDomains: [] }, 'INVALID_INPUT', ['input', 'allowedEmailDomains']],
      [{ allowedEmailDomains: ['@acme.test'] }, 'INVALID_INPUT', ['input', 'allowedEmailDomains']],
      [{ roleMapping: [], defaultRole: null }, 'INVALID_INPUT', ['input', 'roleMapping']],
      [{ roleMapping: Array.from({ length: 51 }, (_, index) => ({ value: `g${index}`, role: 'VIEWER' as const })) }, 'INVALID_INPUT', ['input', 'roleMapping']],
      // Globex already trusts otherIdp with OTHER_AUDIENCE.
      [{ issuer: otherIdp.issuer, audience: OTHER_AUDIENCE }, 'STAFF_IDENTITY_PROVIDER_TAKEN', ['input', 'audience']],
    ];
    for (const [change, code, field] of cases) {
      const response = await typedRequest(admin, StaffIdentityProviderSetDocument, { input: acmeProvider(idp.issuer, change) });
      expect(response.data?.staffIdentityProviderSet.userErrors[0], JSON.stringify(change).slice(0, 80)).toMatchObject({ code, field });
    }
    expect((await typedRequest(admin, StaffIdentityProviderShowDocument)).data?.staffIdentityProvider?.issuer).toBe(idp.issuer);
  });

  it("stops taking a provider's tokens once the org removes it (within the 10 s cache)", async () => {
    const org = await createOrg(server.em());
    const audience = 'https://loyalty.test/initech';
    const admin = gqlClient(server.url, org.key);
    await typedRequest(admin, StaffIdentityProviderSetDocument, { input: acmeProvider(idp.issuer, { audience }) });
    const token = await idp.token('alice', audience);
    // Acme's lookup of this issuer may be cached from before Initech set it: wait for it to expire.
    await expect.poll(async () => (await gqlClient(server.url, token).request(operation('Viewer'))).status, { timeout: 12_000, interval: 500 }).toBe(200);
    const removed = await typedRequest(admin, StaffIdentityProviderRemoveDocument);
    expect(removed.data?.staffIdentityProviderRemove.userErrors).toEqual([]);
    await expect.poll(async () => (await gqlClient(server.url, token).request(operation('Viewer'))).status, { timeout: 12_000, interval: 500 }).toBe(401);
    const again = await typedRequest(admin, StaffIdentityProviderRemoveDocument);
    expect(again.data?.staffIdentityProviderRemove.userErrors[0].code).toBe('NOT_FOUND');
  }, 30_000);

  it('keeps API keys working as before', async () => {
    const response = await gqlClient(server.url, acme.key).request<{ viewer: { role: string } }>(operation('Viewer'));
    expect(response.data?.viewer.role).toBe('ADMIN');
  });
});

describe('bad staff tokens and the auth failure throttle', () => {
  let server: TestServer;
  let idp: TestIdp;

  beforeAll(async () => {
    [server, idp] = await Promise.all([startTestServer({ config: { authFailurePolicy: { failures: 3, windowSeconds: 600, blockSeconds: 600 } } }), startTestIdp(PERSONAS)]);
    const org = await createOrg(server.em());
    const set = await typedRequest(gqlClient(server.url, org.key), StaffIdentityProviderSetDocument, { input: acmeProvider(idp.issuer) });
    expect(set.data?.staffIdentityProviderSet.userErrors).toEqual([]);
  });
  afterAll(async () => {
    await server?.stop();
    await idp?.stop();
  });

  it('counts refused staff tokens like bad API keys: the address is throttled, whatever it sends next', async () => {
    const genuine = await idp.token('alice', AUDIENCE);
    expect((await gqlClient(server.url, genuine).request(operation('Viewer'))).status).toBe(200);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt += 1) {
      statuses.push((await gqlClient(server.url, tampered(genuine, { groups: ['loyalty-admins', `x${attempt}`] })).request(operation('Viewer'))).status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    const afterwards = await gqlClient(server.url, genuine).request(operation('Viewer'));
    expect(afterwards.status).toBe(429);
    expect(afterwards.errors?.[0].extensions?.code).toBe('TOO_MANY_FAILED_AUTHENTICATIONS');
  });
});
