import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../src/app/env.js';
import { MAX_OPERATION_NAMES } from '../src/app/metrics.js';
import { InteractionUpdatedWatchDocument, SmsSendDocument } from './generated/graphql.js';
import { globalId, gqlClient, typedRequest, wsClient, type GqlClient } from './support/client.js';
import { csv, customersTemplate, finishedJob, startInlineImport, storeCodeOf } from './support/imports.js';
import { startTestServer, type TestServer } from './support/server.js';
import { startGateway, type TestGateway } from './support/sms-gateway.js';
import { createCustomer, createOrg, type TestOrg } from './support/world.js';
import { print } from 'graphql';

const TOKEN = 'metrics-scrape-token-0123456789';

/** The value of one sample (`name{labels} value`), or undefined when the registry has no such series. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const series = line.slice(0, line.lastIndexOf(' '));
    if (Object.entries(labels).every(([key, value]) => series.includes(`${key}="${value}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

async function scrape(server: TestServer, token: string | null = TOKEN): Promise<{ status: number; text: string; type: string | null }> {
  const response = await fetch(new URL('/metrics', server.url), token === null ? {} : { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, text: await response.text(), type: response.headers.get('content-type') };
}

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('GET /metrics', () => {
  let server: TestServer;
  let gateway: TestGateway;
  let org: TestOrg;
  let client: GqlClient;

  beforeAll(async () => {
    gateway = await startGateway();
    server = await startTestServer({ config: { metricsToken: TOKEN, smsGatewayUrl: gateway.url, authFailurePolicy: { failures: 2, windowSeconds: 600, blockSeconds: 60 } } });
    org = await createOrg(server.em());
    client = gqlClient(server.url, org.key);
  });
  afterAll(async () => {
    gateway?.release();
    await server?.stop();
    await gateway?.close();
  });

  it('needs the scrape token: none or a wrong one is refused before anything is collected', async () => {
    expect(await scrape(server, null)).toMatchObject({ status: 401 });
    expect(await scrape(server, `${TOKEN}x`)).toMatchObject({ status: 401 });
    const answer = await scrape(server);
    expect(answer.status).toBe(200);
    expect(answer.type).toMatch(/^text\/plain; version=0\.0\.4/);
    // The process's own metrics come with the server's.
    expect(sample(answer.text, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(sample(answer.text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
  });

  it('is off without METRICS_TOKEN, and a short token is refused at start', async () => {
    expect(readConfig({}).metricsToken).toBeUndefined();
    expect(() => readConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be at least 16 characters/);
    const plain = await startTestServer();
    try {
      expect((await scrape(plain)).status).toBe(404);
    } finally {
      await plain.stop();
    }
  });

  it('counts HTTP requests by route and GraphQL operations by name, type and outcome', async () => {
    const before = (await scrape(server)).text;
    for (let i = 0; i < 3; i += 1) expect((await client.request('query MetricsProbe { customers(first: 1) { edges { node { id } } } }')).errors).toBeUndefined();
    expect((await client.request('query MetricsProbe { customers(first: 1000) { edges { node { id } } } }')).errors).toBeDefined();
    const after = (await scrape(server)).text;
    const delta = (name: string, labels: Record<string, string>) => (sample(after, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);
    expect(delta('graphql_operations_total', { operation: 'MetricsProbe', type: 'query', outcome: 'ok' })).toBe(3);
    expect(delta('graphql_operations_total', { operation: 'MetricsProbe', type: 'query', outcome: 'error' })).toBe(1);
    expect(delta('graphql_operation_duration_seconds_count', { operation: 'MetricsProbe', type: 'query' })).toBe(4);
    expect(delta('http_requests_total', { method: 'POST', route: '/graphql', status: '200' })).toBe(4);
    // The scrape before this one was counted too, under its own route.
    expect(sample(after, 'http_requests_total', { method: 'GET', route: '/metrics', status: '200' })).toBeGreaterThanOrEqual(1);
    // An unknown path is `other`, never the path itself.
    await fetch(new URL('/no/such/path/12345', server.url));
    const text = (await scrape(server)).text;
    expect(sample(text, 'http_requests_total', { route: 'other', status: '404' })).toBe(1);
    expect(text).not.toContain('12345');
    expect(sample(text, 'db_pool_connections', { state: 'idle' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'db_pool_connections', { state: 'waiting' })).toBe(0);
  });

  it('labels at most MAX_OPERATION_NAMES operation names; the rest, and overlong names, are counted as other', async () => {
    const long = `Q${'x'.repeat(80)}`;
    await client.request(`query ${long} { __typename }`);
    for (let i = 0; i < MAX_OPERATION_NAMES + 5; i += 1) await client.request(`query Named${i} { __typename }`);
    const text = (await scrape(server)).text;
    const names = new Set([...text.matchAll(/^graphql_operations_total\{operation="([^"]+)"/gm)].map((match) => match[1]));
    expect(names.size).toBeLessThanOrEqual(MAX_OPERATION_NAMES + 2);
    expect(names.has('other')).toBe(true);
    expect(text).not.toContain(long);
    expect(sample(text, 'graphql_operations_total', { operation: 'other', type: 'query', outcome: 'ok' })).toBeGreaterThanOrEqual(6);
  });

  it('counts open graphql-ws connections and their operations', async () => {
    const customer = await createCustomer(server.em(), org, { mobile: '6591230001' });
    const ws = wsClient(server.wsUrl, org.key);
    const events: unknown[] = [];
    const stop = ws.subscribe({ query: print(InteractionUpdatedWatchDocument), variables: { customerId: globalId('Customer', customer) } }, { next: (event) => void events.push(event), error: () => undefined, complete: () => undefined });
    try {
      await eventually(async () => {
        const text = (await scrape(server)).text;
        return sample(text, 'graphql_ws_connections') === 1 && sample(text, 'graphql_ws_operations') === 1;
      }, 'one connection with one operation');
    } finally {
      stop();
      await ws.dispose();
    }
    await eventually(async () => sample((await scrape(server)).text, 'graphql_ws_connections') === 0, 'no connection left');
  });

  it('counts the messages its workers delivered, by channel and outcome', async () => {
    await createCustomer(server.em(), org, { mobile: '6591230002' });
    const sent = await typedRequest(client, SmsSendDocument, { input: { customer: { type: 'MOBILE', value: '6591230002' }, content: 'Hello', priority: 'TRANS', idempotencyKey: 'metrics-sms-1' } });
    expect(sent.data?.smsSend.userErrors).toEqual([]);
    await eventually(async () => sample((await scrape(server)).text, 'message_deliveries_total', { channel: 'SMS', outcome: 'SENT' }) === 1, 'one SMS counted as SENT');
  });

  it('reports import jobs by state from the database', async () => {
    const templateId = await customersTemplate(client);
    const jobId = await startInlineImport(client, templateId, csv([['Mobile', 'First Name', 'Store'], ['6591230003', 'Ann', await storeCodeOf(server, org)]]));
    expect((await finishedJob(server, client, org.key, jobId)).state).toBe('COMPLETED');
    const text = (await scrape(server)).text;
    expect(sample(text, 'import_jobs', { state: 'COMPLETED' })).toBe(1);
    expect(sample(text, 'import_rows_per_second')).toBe(0);
  });

  it('counts rate-limit refusals (429) by route', async () => {
    const bad = gqlClient(server.url, 'lk_not_a_real_key_000000000000000000');
    for (let i = 0; i < 4; i += 1) await bad.request('{ __typename }').catch(() => undefined);
    const text = (await scrape(server)).text;
    expect(sample(text, 'rate_limit_refusals_total', { route: '/graphql' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'http_requests_total', { route: '/graphql', status: '429' })).toBe(sample(text, 'rate_limit_refusals_total', { route: '/graphql' }));
  });
});

describe('GET /metrics: the job queue', () => {
  let server: TestServer;

  beforeAll(async () => {
    // No workers in this process: what is queued stays queued.
    server = await startTestServer({ importWorkers: 0, config: { metricsToken: TOKEN } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('reports entries waiting per queue and how long the oldest due one has waited', async () => {
    const org = await createOrg(server.em());
    const client = gqlClient(server.url, org.key);
    const templateId = await customersTemplate(client);
    await startInlineImport(client, templateId, csv([['Mobile', 'First Name', 'Store'], ['6591230004', 'Bo', await storeCodeOf(server, org)]]));
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const text = (await scrape(server)).text;
    expect(sample(text, 'job_queue_waiting', { queue: 'import-job' })).toBe(1);
    expect(sample(text, 'job_queue_oldest_due_seconds', { queue: 'import-job' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'import_jobs', { state: 'QUEUED' })).toBe(1);
  });
});
