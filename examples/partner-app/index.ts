/**
 * A partner app (a car's tablet, a wallet app) signing a customer in with the loyalty graph's
 * OAuth 2.0 server and reading their tier, points and the campaigns they are in. Against `npm start`
 * (the demo org):
 *
 *   npm run example:partner-app
 *
 * then open the printed link, sign in as the demo customer with mobile 6591000000, type the code
 * (without SMS_GATEWAY_URL the server writes it to .data/outbox/sms/, and this app prints it for
 * you), allow the app, and the terminal shows what the app can now read.
 *
 * ISSUER (http://localhost:4000/oauth), CLIENT_ID (demo-partner-app) and SMS_OUTBOX
 * (.data/outbox/sms) change where it looks.
 */
import { createServer } from 'node:http';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import * as oidc from 'openid-client';

const ISSUER = new URL(process.env.ISSUER ?? 'http://localhost:4000/oauth');
const CLIENT_ID = process.env.CLIENT_ID ?? 'demo-partner-app';
const OUTBOX = process.env.SMS_OUTBOX ?? path.join('.data', 'outbox', 'sms');
const CALLBACK_PORT = 8765;
const REDIRECT_URI = `http://127.0.0.1:${CALLBACK_PORT}/callback`;
const GRAPHQL = new URL('/graphql', ISSUER);
const ME = `{
  me {
    firstName
    loyalty { program { name } tier { name } pointsBalance pointsExpiringSoon(withinDays: 30) { points earliestExpiresAt } }
    campaigns(filter: ACTIVE, first: 5) { edges { node { name endsAt goal { kind } progress { value target percent } } } }
  }
}`;

// A public client: no secret, PKCE instead. Plain http is allowed for a server on this machine only.
const local = ISSUER.hostname === 'localhost' || ISSUER.hostname === '127.0.0.1';
const config = await oidc.discovery(ISSUER, CLIENT_ID, { token_endpoint_auth_method: 'none' }, oidc.None(), local ? { execute: [oidc.allowInsecureRequests] } : {});
const verifier = oidc.randomPKCECodeVerifier();
const state = oidc.randomState();
const authorizationUrl = oidc.buildAuthorizationUrl(config, {
  redirect_uri: REDIRECT_URI,
  scope: 'openid profile points:read campaigns:read',
  state,
  code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
  code_challenge_method: 'S256',
});

/** Waits for the browser to come back to the app with the authorization code. */
function callback(): Promise<URL> {
  return new Promise((resolve) => {
    const server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', REDIRECT_URI);
      if (url.pathname !== '/callback') {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('Signed in: you can close this tab and look at the terminal.\n');
      server.close();
      resolve(url);
    });
    server.listen(CALLBACK_PORT, '127.0.0.1');
  });
}

/** Prints sign-in codes the local server writes to its SMS outbox (when no gateway is configured). */
function printOutboxCodes(since: number): () => void {
  const seen = new Set<string>();
  const timer = setInterval(async () => {
    const names = await readdir(OUTBOX).catch(() => [] as string[]);
    for (const name of names) {
      const file = path.join(OUTBOX, name);
      if (seen.has(name) || (await stat(file)).mtimeMs < since) continue;
      seen.add(name);
      const sms = JSON.parse(await readFile(file, 'utf8')) as { to: string; text: string };
      const code = /\b(\d{6})\b/.exec(sms.text)?.[1];
      if (code) console.log(`  (the server's SMS outbox has a code for ${sms.to}: ${code})`);
    }
  }, 500);
  return () => clearInterval(timer);
}

const landing = callback();
const stopWatching = printOutboxCodes(Date.now());
console.log(`Open this link in a browser and sign in (demo customer: mobile 6591000000):\n\n  ${authorizationUrl.href}\n`);
const landed = await landing;
stopWatching();

const tokens = await oidc.authorizationCodeGrant(config, landed, { pkceCodeVerifier: verifier, expectedState: state });
const response = await fetch(GRAPHQL, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.access_token}` },
  body: JSON.stringify({ query: ME }),
});
const { data, errors } = (await response.json()) as {
  data?: {
    me: {
      firstName: string;
      loyalty: { program: { name: string }; tier: { name: string }; pointsBalance: number; pointsExpiringSoon: { points: number; earliestExpiresAt: string | null } }[];
      campaigns: { edges: { node: { name: string; endsAt: string | null; goal: { kind: 'SPEND' | 'VISITS' | 'POINTS' }; progress: { value: number; target: number; percent: number } | null } }[] };
    } | null;
  };
  errors?: { message: string }[];
};
if (errors || !data?.me) {
  console.error('The API refused the query:', errors ?? 'no customer');
  process.exit(1);
}
console.log(`Signed in as ${data.me.firstName} (scopes: ${tokens.scope ?? ''}).`);
for (const standing of data.me.loyalty) {
  const expiring = standing.pointsExpiringSoon.points > 0 ? `, ${standing.pointsExpiringSoon.points} expiring by ${standing.pointsExpiringSoon.earliestExpiresAt}` : '';
  console.log(`  ${standing.program.name}: ${standing.tier.name} tier, ${standing.pointsBalance} points${expiring}`);
}
const counted = { SPEND: 'spent', VISITS: 'visits', POINTS: 'points earned' } as const;
if (data.me.campaigns.edges.length === 0) console.log('  No campaigns under way.');
for (const { node: campaign } of data.me.campaigns.edges) {
  if (!campaign.progress) continue;
  const { value, target, percent } = campaign.progress;
  const ends = campaign.endsAt ? `, ends ${campaign.endsAt.slice(0, 10)}` : '';
  console.log(`  Campaign "${campaign.name}": ${value} of ${target} ${counted[campaign.goal.kind]} (${percent}%)${ends}`);
}
