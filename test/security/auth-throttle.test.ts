import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeyAuthenticator } from '../../src/domain/auth/auth.service.js';
import { gqlClient, operation, wsClient, wsRequest } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createOrg, type TestOrg } from '../support/world.js';

const ALLOWED = 5;

describe('bad keys are rate-limited per client address, across processes', () => {
  let first: TestServer;
  let second: TestServer;
  let org: TestOrg;

  beforeAll(async () => {
    const config = { authFailurePolicy: { failures: ALLOWED, windowSeconds: 600, blockSeconds: 60 } };
    first = await startTestServer({ config });
    // A second API process on the same database: the count is shared through it.
    second = await startTestServer({ config, database: first.database });
    org = await createOrg(first.em());
  });
  afterAll(async () => {
    await second?.stop({ keepDatabase: true });
    await first?.stop();
  });

  it('answers 429 with Retry-After once a client has sent too many bad keys, in every process', async () => {
    const viewer = operation('Viewer');
    // A valid key used before the flood stays usable (it is known), so one broken integration
    // behind the same address does not lock out the others.
    expect((await gqlClient(first.url, org.key).request(viewer)).status).toBe(200);

    for (let attempt = 0; attempt < ALLOWED; attempt += 1) {
      const server = attempt % 2 === 0 ? first : second;
      expect((await gqlClient(server.url, `lg_bad-${attempt}`).request(viewer)).status).toBe(401);
    }
    for (const server of [first, second]) {
      const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer lg_bad-again' }, body: JSON.stringify({ query: viewer }) });
      expect(response.status).toBe(429);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'TOO_MANY_FAILED_AUTHENTICATIONS' } }] });
    }
    // The same holds on a WebSocket: the socket closes with 4429.
    const client = wsClient(second.wsUrl, 'lg_bad-socket');
    const closed = new Promise<number>((resolve) => client.on('closed', (event) => resolve((event as { code: number }).code)));
    await expect(wsRequest(client, viewer)).rejects.toBeDefined();
    expect(await closed).toBe(4429);
    await client.dispose();

    expect((await gqlClient(first.url, org.key).request(viewer)).status).toBe(200);
  });
});

describe('the key cache', () => {
  let server: TestServer;
  let org: TestOrg;

  beforeAll(async () => {
    server = await startTestServer();
    org = await createOrg(server.em());
  });
  afterAll(() => server?.stop());

  it('keeps a verified key cached through a flood of unknown keys (no flush for everyone)', async () => {
    let lookups = 0;
    const capacity = 200;
    const authenticator = new ApiKeyAuthenticator(
      () => {
        lookups += 1;
        return server.em();
      },
      undefined,
      capacity,
    );
    expect((await authenticator.authenticate(org.key, '10.0.0.1')).kind).toBe('ok');
    expect(lookups).toBe(1);

    // More unknown keys than the cache holds entries.
    for (let i = 0; i < capacity + 50; i += 1) await authenticator.authenticate(`lg_unknown-${i}`, '10.0.0.2');
    const afterFlood = lookups;

    expect((await authenticator.authenticate(org.key, '10.0.0.1')).kind).toBe('ok');
    expect(lookups).toBe(afterFlood);
  });
});
