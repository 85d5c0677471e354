import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOAuthClient } from '../src/domain/oauth/oauth-client.service.js';
import { gqlClient } from './support/client.js';
import { launchBrowser } from './support/browser.js';
import { codeSentTo } from './support/oauth-browser.js';
import { startGateway, type TestGateway } from './support/sms-gateway.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCustomer, createOrg, serviceContext } from './support/world.js';

/** The partner app's redirect URI: a real server that notes where the browser was sent back to. */
async function startCallback(): Promise<{ url: string; landed: Promise<URL>; close(): Promise<void> }> {
  let resolveLanded: (url: URL) => void = () => undefined;
  const landed = new Promise<URL>((resolve) => (resolveLanded = resolve));
  const server: Server = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Back in the app</title><p>Signed in.</p>');
    resolveLanded(new URL(request.url ?? '/', `http://${request.headers.host}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`,
    landed,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The sign-in pages in a real browser (headless Chromium), then `me` with the token the app gets. */
describe('customer sign-in in Chromium', () => {
  let server: TestServer;
  let gateway: TestGateway;
  let callback: Awaited<ReturnType<typeof startCallback>>;
  let browser: Browser;

  beforeAll(async () => {
    gateway = await startGateway();
    callback = await startCallback();
    server = await startTestServer({ config: { smsGatewayUrl: gateway.url } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await gateway?.close();
    await callback?.close();
  });

  it('signs a customer in with the code sent by SMS, asks their consent, and the app reads me with the token', async () => {
    const org = await createOrg(server.em(), { role: 'ADMIN' });
    const mobile = '6594000001';
    const customerId = await createCustomer(server.em(), org, { mobile, firstName: 'Chloé' });
    const created = await createOAuthClient(await serviceContext(server, org, 'test'), {
      name: 'Car tablet',
      type: 'PUBLIC',
      redirectUris: [callback.url],
      allowedScopes: ['profile', 'points:read'],
    });
    const origin = new URL(server.url).origin;
    const app = await oidc.discovery(new URL(`${origin}/oauth`), created.client.clientId, { token_endpoint_auth_method: 'none' }, oidc.None(), { execute: [oidc.allowInsecureRequests] });
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const authorization = oidc.buildAuthorizationUrl(app, {
      redirect_uri: callback.url,
      scope: 'openid profile points:read',
      state,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });

    const page = await browser.newPage({ javaScriptEnabled: false });
    try {
      await page.goto(authorization.toString());
      expect(await page.getAttribute('html', 'lang')).toBeTruthy();
      await page.getByLabel('Mobile number or email').fill(mobile);
      const sentBefore = gateway.requests.length;
      await page.getByRole('button', { name: 'Send code' }).click();
      await page.getByLabel('6-digit code').fill(await codeSentTo(gateway, mobile, sentBefore));
      await page.getByRole('button', { name: 'Sign in' }).click();
      // The consent screen names the app.
      expect(await page.textContent('body')).toContain('Car tablet');
      await page.getByRole('button', { name: 'Allow' }).click();
      const landed = await callback.landed;
      expect(landed.searchParams.get('state')).toBe(state);

      const tokens = await oidc.authorizationCodeGrant(app, landed, { pkceCodeVerifier: verifier, expectedState: state });
      const me = await gqlClient(server.url, tokens.access_token).request('{ me { id firstName } }');
      expect(me.data).toEqual({ me: { id: Buffer.from(`Customer:${customerId}`).toString('base64url'), firstName: 'Chloé' } });
    } finally {
      await page.close();
    }
  });
});
