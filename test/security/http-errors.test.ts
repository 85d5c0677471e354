import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gqlClient, wsClient, wsRequest } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createOrg, type TestOrg } from '../support/world.js';

async function post(server: TestServer, key: string, body: string | Uint8Array, contentType = 'application/json'): Promise<Response> {
  return fetch(server.url, { method: 'POST', headers: { 'content-type': contentType, authorization: `Bearer ${key}` }, body });
}

describe('errors a client can read', () => {
  let server: TestServer;
  let org: TestOrg;

  beforeAll(async () => {
    server = await startTestServer();
    org = await createOrg(server.em());
  });
  afterAll(() => server?.stop());

  it.each([
    ['a malformed JSON body', () => post(server, org.key, '{"query": '), 400, 'MALFORMED_JSON'],
    ['a body over the 1 MB limit', () => post(server, org.key, JSON.stringify({ query: `{ viewer { role } } #${'x'.repeat(1_100_000)}` })), 413, 'PAYLOAD_TOO_LARGE'],
    ['a body of the wrong content type', () => post(server, org.key, 'query { viewer { role } }', 'application/xml'), 400, 'BAD_REQUEST'],
  ])('answers %s with a JSON error and a stable code, never an HTML page', async (_what, send, status, code) => {
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/(graphql-response\+)?json/);
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0].extensions.code).toBe(code);
    expect(JSON.stringify(body)).not.toMatch(/<html|<pre>/i);
  });

  it('counts aliases of __typename against the alias limit like any other field', async () => {
    const aliases = Array.from({ length: 1_000 }, (_, i) => `a${i}: __typename`).join(' ');
    const response = await gqlClient(server.url, org.key).request(`{ ${aliases} }`);
    expect(response.status).toBe(400);
    expect(response.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(response.errors?.[0].message).toMatch(/Aliases limit/);
  });
});

describe('in production', () => {
  let server: TestServer;
  let org: TestOrg;

  beforeAll(async () => {
    server = await startTestServer({ production: true });
    org = await createOrg(server.em());
  });
  afterAll(() => server?.stop());

  it('refuses introspection over WebSocket as over HTTP', async () => {
    const query = '{ __schema { types { name } } }';
    const overHttp = await gqlClient(server.url, org.key).request(query);
    expect(overHttp.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');

    const client = wsClient(server.wsUrl, org.key);
    try {
      const overWs = await wsRequest(client, query);
      expect(overWs.data ?? null).toBeNull();
      expect(overWs.errors?.[0].message).toMatch(/introspection/i);
    } finally {
      await client.dispose();
    }
  });

  it('gives no "Did you mean" hints about the schema, on either transport', async () => {
    const query = '{ viewr { role } }';
    const overHttp = await gqlClient(server.url, org.key).request(query);
    expect(overHttp.errors?.[0].message).toMatch(/Cannot query field "viewr"/);
    expect(overHttp.errors?.[0].message).not.toMatch(/Did you mean/);

    const client = wsClient(server.wsUrl, org.key);
    try {
      const overWs = await wsRequest(client, query);
      expect(overWs.errors?.[0].message).toMatch(/Cannot query field "viewr"/);
      expect(overWs.errors?.[0].message).not.toMatch(/Did you mean/);
    } finally {
      await client.dispose();
    }
  });
});
