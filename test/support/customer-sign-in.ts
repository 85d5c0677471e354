import * as oidc from 'openid-client';
import type { CustomerScope } from '../../src/domain/oauth/customer-grant.js';
import { codeSentTo, TestBrowser } from './oauth-browser.js';
import type { TestGateway } from './sms-gateway.js';

/** A partner app registered with the server (a public client with PKCE), as openid-client sees it. */
export interface PartnerApp {
  readonly origin: string;
  readonly config: oidc.Configuration;
  readonly redirectUri: string;
  readonly gateway: TestGateway;
}

/** Discovers the server's authorization server for a public client. */
export async function partnerApp(serverUrl: string, clientId: string, redirectUri: string, gateway: TestGateway): Promise<PartnerApp> {
  const origin = new URL(serverUrl).origin;
  const config = await oidc.discovery(new URL(`${origin}/oauth`), clientId, { token_endpoint_auth_method: 'none' }, oidc.None(), { execute: [oidc.allowInsecureRequests] });
  return { origin, config, redirectUri, gateway };
}

/**
 * Signs a customer in on the real pages (their mobile, the code the SMS gateway received,
 * consent) and trades the code for an access token, as the app would: the token is minted by the
 * real flow, with exactly the scopes asked for.
 */
export async function customerAccessToken(app: PartnerApp, mobile: string, scopes: readonly CustomerScope[]): Promise<string> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(app.config, {
    redirect_uri: app.redirectUri,
    scope: ['openid', ...scopes].join(' '),
    state,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  const browser = new TestBrowser(app.origin);
  const start = await browser.go(url.toString());
  const sentBefore = app.gateway.requests.length;
  const codePage = await browser.submit(start, { identifier: mobile });
  const consent = await browser.submit(codePage, { code: await codeSentTo(app.gateway, mobile, sentBefore) });
  const back = await browser.submit(consent, { decision: 'allow' });
  const tokens = await oidc.authorizationCodeGrant(app.config, new URL(back.url), { pkceCodeVerifier: verifier, expectedState: state });
  return tokens.access_token;
}
