import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gqlClient, operation, wsClient, wsRequest } from './support/client.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createOrg, type TestOrg } from './support/world.js';

describe('staff API keys', () => {
  let server: TestServer;
  let org: TestOrg;

  beforeAll(async () => {
    server = await startTestServer();
    org = await createOrg(server.em(), { timeZone: 'Europe/Berlin', role: 'MEMBER_CARE' });
  });
  afterAll(() => server?.stop());

  it('tells the caller its org, time zone and role', async () => {
    const response = await gqlClient(server.url, org.key).request(operation('Viewer'));
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({
      viewer: { role: 'MEMBER_CARE', org: { id: expect.any(String), name: expect.any(String), timeZone: 'Europe/Berlin', baseCountry: 'SG' } },
    });
  });

  it('rejects a request without a key as UNAUTHENTICATED', async () => {
    const response = await gqlClient(server.url).request(operation('Viewer'));
    expect(response.status).toBe(401);
    expect(response.data ?? null).toBeNull();
    expect(response.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('rejects an unknown or revoked key', async () => {
    const unknown = await gqlClient(server.url, `${org.key}x`).request(operation('Viewer'));
    expect(unknown.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

    const revokedOrg = await createOrg(server.em());
    await server.em().execute('update api_key set revoked_at = now() where org_id = ?', [revokedOrg.orgId]);
    const revoked = await gqlClient(server.url, revokedOrg.key).request(operation('Viewer'));
    expect(revoked.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('stores only a hash of the key', async () => {
    const rows = await server.em().execute<{ key_hash: string }[]>('select key_hash from api_key where org_id = ?', [org.orgId]);
    expect(rows).toHaveLength(1);
    expect(rows[0].key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].key_hash).not.toContain(org.key);
  });

  it('authenticates a WebSocket in connection_init', async () => {
    const client = wsClient(server.wsUrl, org.key);
    try {
      const result = await wsRequest<{ viewer: { role: string } }>(client, operation('Viewer'));
      expect(result.errors).toBeUndefined();
      expect(result.data?.viewer.role).toBe('MEMBER_CARE');
    } finally {
      await client.dispose();
    }
  });

  it.each([
    ['no key', undefined],
    ['a bad key', 'lg_not-a-real-key'],
  ])('closes a WebSocket with %s with 4403', async (_case, key) => {
    const client = wsClient(server.wsUrl, key);
    const closed = new Promise<number>((resolve) => client.on('closed', (event) => resolve((event as { code: number }).code)));
    await expect(wsRequest(client, operation('Viewer'))).rejects.toBeDefined();
    expect(await closed).toBe(4403);
    await client.dispose();
  });
});
