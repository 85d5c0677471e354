import { getNamedType, isCompositeType, type GraphQLField } from 'graphql';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAppSchema } from '../src/app/schema.js';
import { createOAuthClient } from '../src/domain/oauth/oauth-client.service.js';
import type { CustomerScope } from '../src/domain/oauth/customer-grant.js';
import { globalId, gqlClient, wsClient, wsRequest, type GqlClient } from './support/client.js';
import { codeSentTo, TestBrowser } from './support/oauth-browser.js';
import { startGateway, type TestGateway } from './support/sms-gateway.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCustomer, createOrg, serviceContext, type TestOrg } from './support/world.js';

const REDIRECT = 'http://127.0.0.1:9/callback';
const ALL: readonly CustomerScope[] = ['profile', 'points:read', 'points:redeem', 'points:transfer'];

/** /graphql with a customer's access token, as a partner app calls it after sign-in. */
describe("a customer's access token on /graphql", () => {
  let server: TestServer;
  let gateway: TestGateway;
  let org: TestOrg;
  let staff: GqlClient;
  let origin: string;
  let app: oidc.Configuration;
  let mobiles = 0;

  beforeAll(async () => {
    gateway = await startGateway();
    server = await startTestServer({ config: { smsGatewayUrl: gateway.url } });
    origin = new URL(server.url).origin;
    org = await createOrg(server.em(), { role: 'ADMIN' });
    staff = gqlClient(server.url, org.key);
    const created = await createOAuthClient(await serviceContext(server, org, 'test'), { name: 'Wallet', type: 'PUBLIC', redirectUris: [REDIRECT], allowedScopes: [...ALL] });
    app = await oidc.discovery(new URL(`${origin}/oauth`), created.client.clientId, { token_endpoint_auth_method: 'none' }, oidc.None(), { execute: [oidc.allowInsecureRequests] });
  });
  afterAll(async () => {
    await server?.stop();
    await gateway?.close();
  });

  async function customer(firstName = 'Ana'): Promise<{ id: number; mobile: string }> {
    mobiles += 1;
    const mobile = `659300${String(mobiles).padStart(4, '0')}`;
    return { id: await createCustomer(server.em(), org, { mobile, firstName }), mobile };
  }

  /** Signs the customer in on the pages (code by SMS, consent) and returns their access token. */
  async function tokenFor(mobile: string, scopes: readonly CustomerScope[] = ALL): Promise<string> {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(app, {
      redirect_uri: REDIRECT,
      scope: ['openid', ...scopes].join(' '),
      state,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const browser = new TestBrowser(origin);
    const start = await browser.go(url.toString());
    const sentBefore = gateway.requests.length;
    const codePage = await browser.submit(start, { identifier: mobile });
    const consent = await browser.submit(codePage, { code: await codeSentTo(gateway, mobile, sentBefore) });
    const back = await browser.submit(consent, { decision: 'allow' });
    const tokens = await oidc.authorizationCodeGrant(app, new URL(back.url), { pkceCodeVerifier: verifier, expectedState: state });
    return tokens.access_token;
  }

  async function goodwill(customerId: number, points: number): Promise<void> {
    const response = await staff.request<{ goodwillPointsIssue: { userErrors: unknown[] } }>(
      'mutation ($input: GoodwillPointsIssueInput!) { goodwillPointsIssue(input: $input) { userErrors { code } } }',
      { input: { customer: { type: 'USER_ID', value: String(customerId) }, points, reason: 'Welcome', idempotencyKey: crypto.randomUUID() } },
    );
    expect(response.data?.goodwillPointsIssue.userErrors).toEqual([]);
  }

  it('reads its own customer through me, and a staff key gets null there', async () => {
    const who = await customer('Bea');
    await goodwill(who.id, 120);
    const app = gqlClient(server.url, await tokenFor(who.mobile));
    const response = await app.request('{ me { id firstName loyalty { pointsBalance } } }');
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ me: { id: globalId('Customer', who.id), firstName: 'Bea', loyalty: [{ pointsBalance: 120 }] } });
    expect((await staff.request('{ me { id } }')).data).toEqual({ me: null });
  });

  it("refuses staff roots and member care's fields with FORBIDDEN, running nothing", async () => {
    const who = await customer();
    const other = await customer('Other');
    const app = gqlClient(server.url, await tokenFor(who.mobile));
    const refused = [
      `{ customer(id: "${globalId('Customer', other.id)}") { id } }`,
      `{ customerByIdentifier(type: MOBILE, value: "${other.mobile}") { id } }`,
      '{ customers(first: 5) { edges { node { id } } } }',
      `{ node(id: "${globalId('Customer', other.id)}") { id } }`,
      '{ viewer { role } }',
      '{ me { fraudStatus { status } } }',
      '{ me { parent { id } } }',
      `mutation { goodwillPointsIssue(input: { customer: { type: USER_ID, value: "${who.id}" }, points: 1000, reason: "x", idempotencyKey: "self-goodwill" }) { userErrors { code } } }`,
      'mutation { orgSettingsUpdate(input: { goodwillPointsCap: 5 }) { userErrors { code } } }',
    ];
    for (const query of refused) {
      const response = await app.request(query);
      expect(response.status, query).toBe(403);
      expect(response.errors?.[0]?.extensions?.code, query).toBe('FORBIDDEN');
      expect(response.data ?? null, query).toBeNull();
    }
    const [{ n }] = await server.em().execute<{ n: string }[]>(`select count(*) as n from points_ledger_entry where customer_id = ?`, [who.id]);
    expect(Number(n)).toBe(0);
  });

  it('sends every root field but its own with a customer token, over HTTP and graphql-ws: each is refused with FORBIDDEN, nothing run', async () => {
    // The fields a token may use act on its own customer; the tests above and below show how.
    const own = new Set(['query.me', 'query.campaign', 'mutation.pointsRedeem', 'mutation.pointsTransfer', 'mutation.campaignJoin']);
    const who = await customer('Sweep');
    const token = await tokenFor(who.mobile);
    const app = gqlClient(server.url, token);
    const schema = await buildAppSchema();
    const audited = async () => Number((await server.em().execute<{ n: string }[]>('select count(*) as n from audit_entry where org_id = ?', [org.orgId]))[0]!.n);
    const auditedBefore = await audited();
    /** The field with each required argument as a declared variable left unset: valid, so the refusal is the access check's. */
    const documentOf = (operation: string, field: GraphQLField<unknown, unknown>): string => {
      const required = field.args.filter((arg) => arg.type.toString().endsWith('!'));
      const declared = required.map((arg, index) => `$v${index}: ${arg.type.toString()}`).join(', ');
      const passed = required.map((arg, index) => `${arg.name}: $v${index}`).join(', ');
      const selection = isCompositeType(getNamedType(field.type)) ? ' { __typename }' : '';
      return `${operation}${declared ? ` (${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''}${selection} }`;
    };
    const roots = [['query', schema.getQueryType()], ['mutation', schema.getMutationType()], ['subscription', schema.getSubscriptionType()]] as const;
    const refused: string[] = [];
    const socket = wsClient(server.wsUrl, token);
    try {
      for (const [operation, root] of roots) {
        for (const field of Object.values(root?.getFields() ?? {})) {
          const name = `${operation}.${field.name}`;
          if (own.has(name)) continue;
          const document = documentOf(operation, field);
          const response = operation === 'subscription' ? await wsRequest(socket, document) : await app.request(document);
          expect(response.errors?.[0]?.extensions?.code, document).toBe('FORBIDDEN');
          expect(response.data ?? null, document).toBeNull();
          if (operation !== 'subscription') expect((response as { status: number }).status, document).toBe(403);
          refused.push(name);
        }
      }
    } finally {
      await socket.dispose();
    }
    // Every mutation but the customer's own was sent, and the schema has many.
    expect(refused.filter((name) => name.startsWith('mutation.')).length).toBeGreaterThan(30);
    expect(refused.filter((name) => name.startsWith('subscription.')).length).toBeGreaterThan(0);
    expect(await audited()).toBe(auditedBefore);
  });

  it("redeems and transfers its own points only, within its scopes; another customer's points are not found", async () => {
    const who = await customer();
    const friend = await customer('Friend');
    await goodwill(who.id, 100);
    await goodwill(friend.id, 100);
    const app = gqlClient(server.url, await tokenFor(who.mobile));
    const redeem = (customerId: number, key: string) =>
      app.request<{ pointsRedeem: { userErrors: { code: string }[] } }>(
        `mutation { pointsRedeem(input: { customer: { type: USER_ID, value: "${customerId}" }, points: 30, reason: "Coffee", idempotencyKey: "${key}" }) { userErrors { code } } }`,
      );
    expect((await redeem(who.id, 'own-1')).data?.pointsRedeem.userErrors).toEqual([]);
    expect((await redeem(friend.id, 'friend-1')).data?.pointsRedeem.userErrors).toEqual([{ code: 'CUSTOMER_NOT_FOUND' }]);
    const transfer = await app.request<{ pointsTransfer: { userErrors: unknown[]; debit: { points: number } | null } }>(
      `mutation { pointsTransfer(input: { to: { type: MOBILE, value: "${friend.mobile}" }, points: 20, idempotencyKey: "gift-1" }) { debit { points } userErrors { code } } }`,
    );
    expect(transfer.data?.pointsTransfer).toEqual({ debit: { points: -20 }, userErrors: [] });
    const stolen = await app.request<{ pointsTransfer: { userErrors: { code: string }[] } }>(
      `mutation { pointsTransfer(input: { from: { type: MOBILE, value: "${friend.mobile}" }, to: { type: MOBILE, value: "${who.mobile}" }, points: 20, idempotencyKey: "steal-1" }) { userErrors { code } } }`,
    );
    expect(stolen.data?.pointsTransfer.userErrors).toEqual([{ code: 'CUSTOMER_NOT_FOUND' }]);
    const balances = await staff.request<{ a: { loyalty: { pointsBalance: number }[] }; b: { loyalty: { pointsBalance: number }[] } }>(
      `{ a: customer(id: "${globalId('Customer', who.id)}") { loyalty { pointsBalance } } b: customer(id: "${globalId('Customer', friend.id)}") { loyalty { pointsBalance } } }`,
    );
    expect(balances.data).toEqual({ a: { loyalty: [{ pointsBalance: 50 }] }, b: { loyalty: [{ pointsBalance: 120 }] } });

    // A token the customer granted points:read alone may not spend.
    const readOnly = gqlClient(server.url, await tokenFor(who.mobile, ['profile', 'points:read']));
    const refused = await readOnly.request(`mutation { pointsRedeem(input: { customer: { type: USER_ID, value: "${who.id}" }, points: 1, reason: "x", idempotencyKey: "ro-1" }) { userErrors { code } } }`);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(refused.errors?.[0]?.message).toContain('points:redeem');
  });

  it('answers 401 for an unknown token, and for a token whose client was deleted', async () => {
    const who = await customer();
    const token = await tokenFor(who.mobile);
    expect((await gqlClient(server.url, 'not-a-real-token-0123456789').request('{ me { id } }')).status).toBe(401);
    const clients = await staff.request<{ oauthClients: { clientId: string }[] }>('{ oauthClients { clientId } }');
    expect((await gqlClient(server.url, token).request('{ me { id } }')).status).toBe(200);
    // A second app, deleted: its tokens stop working (within the verifier's few seconds of cache).
    const ctx = await serviceContext(server, org, 'test');
    const doomed = await createOAuthClient(ctx, { name: 'Doomed', type: 'PUBLIC', redirectUris: [REDIRECT], allowedScopes: ['profile'] });
    expect(clients.data?.oauthClients.length).toBeGreaterThan(0);
    const doomedApp = await oidc.discovery(new URL(`${origin}/oauth`), doomed.client.clientId, { token_endpoint_auth_method: 'none' }, oidc.None(), { execute: [oidc.allowInsecureRequests] });
    const saved = app;
    app = doomedApp;
    const doomedToken = await tokenFor(who.mobile, ['profile']).finally(() => (app = saved));
    expect((await gqlClient(server.url, doomedToken).request('{ me { id } }')).status).toBe(200);
    const deleted = await staff.request<{ oauthClientDelete: { userErrors: unknown[] } }>(
      `mutation { oauthClientDelete(input: { clientId: "${doomed.client.clientId}" }) { userErrors { code } } }`,
    );
    expect(deleted.data?.oauthClientDelete.userErrors).toEqual([]);
    const deadline = Date.now() + 10_000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      status = (await gqlClient(server.url, doomedToken).request('{ me { id } }')).status;
    }
    expect(status).toBe(401);
  });

  it('works over graphql-ws, and closes the socket once its token is revoked', async () => {
    const who = await customer('Wes');
    const ctx = await serviceContext(server, org, 'test');
    const backend = await createOAuthClient(ctx, { name: 'Wallet backend', type: 'CONFIDENTIAL', redirectUris: [REDIRECT], allowedScopes: ['profile'] });
    const saved = app;
    app = await oidc.discovery(new URL(`${origin}/oauth`), backend.client.clientId, { client_secret: backend.secret ?? '' }, oidc.ClientSecretBasic(backend.secret ?? ''), {
      execute: [oidc.allowInsecureRequests],
    });
    const confidential = app;
    const token = await tokenFor(who.mobile, ['profile']).finally(() => (app = saved));
    const socket = wsClient(server.wsUrl, token);
    const closed = new Promise<number>((resolve) => socket.on('closed', (event) => resolve((event as { code: number }).code)));
    try {
      expect(await wsRequest(socket, '{ me { firstName } }')).toEqual({ data: { me: { firstName: 'Wes' } } });
      const refused = await wsRequest(socket, '{ customers(first: 1) { edges { node { id } } } }');
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      // The app revokes the token (RFC 7009): the open socket is closed at the next check.
      await oidc.tokenRevocation(confidential, token);
      expect(await Promise.race([closed, new Promise<number>((resolve) => setTimeout(() => resolve(-1), 15_000))])).toBe(4403);
      expect((await gqlClient(server.url, token).request('{ me { id } }')).status).toBe(401);
    } finally {
      await socket.dispose();
    }
  });
});
