import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmailSendDocument, MessageSendRateUpdateDocument, SmsSendDocument } from './generated/graphql.js';
import { gqlClient, typedRequest, type GqlClient } from './support/client.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCustomer, createOrg, type TestOrg } from './support/world.js';

/** A real SMS gateway on a free port that notes when each message arrived, and from which sender. */
async function startGateway(): Promise<{ url: string; arrivals: { from: string; at: number }[]; close(): Promise<void> }> {
  const arrivals: { from: string; at: number }[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { from: string };
      arrivals.push({ from: body.from, at: Date.now() });
      response.writeHead(202, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`,
    arrivals,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function until<T>(what: string, read: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The longest run of arrivals that came faster than `rate` a second allows: 0 when message i
 * came no sooner than (i - burst) / rate seconds after `from` (by default the first arrival), for
 * the `burst` a worker's 1 s polling may gather.
 */
function aheadOfRate(times: readonly number[], rate: number, burst: number, from = times[0] ?? 0): number[] {
  return times.flatMap((at, index) => (at - from < ((index - burst) / rate) * 1000 - 50 ? [index] : []));
}

describe('an org send rate', () => {
  let server: TestServer;
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  let dataDir: string;
  let limited: TestOrg;
  let free: TestOrg;
  let limitedClient: GqlClient;
  let freeClient: GqlClient;
  let customers = 0;

  beforeAll(async () => {
    gateway = await startGateway();
    dataDir = await mkdtemp(path.join(tmpdir(), 'loyalty-rate-'));
    // No SMTP server: emails go to the outbox, each file written when the worker hands it over.
    server = await startTestServer({ config: { smsGatewayUrl: gateway.url, dataDir } });
    limited = await createOrg(server.em(), { role: 'ADMIN' });
    free = await createOrg(server.em(), { role: 'ADMIN' });
    // Each org's SMS go out under its own sender id, so the gateway tells them apart.
    await server.em().execute(`update org set default_sender_id = case id when ? then 'LIMITED' else 'FREE' end where id in (?, ?)`, [limited.orgId, limited.orgId, free.orgId]);
    limitedClient = gqlClient(server.url, limited.key);
    freeClient = gqlClient(server.url, free.key);
  });
  afterAll(async () => {
    await server?.stop();
    await gateway?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function customer(org: TestOrg): Promise<number> {
    customers += 1;
    return createCustomer(server.em(), org, { mobile: `659700${String(customers).padStart(4, '0')}`, email: `rate${customers}@example.com` });
  }

  async function sendSms(client: GqlClient, customerId: number, content: string) {
    const response = await typedRequest(client, SmsSendDocument, {
      input: { customer: { type: 'USER_ID', value: String(customerId) }, content, priority: 'BULK', idempotencyKey: crypto.randomUUID() },
    });
    expect(response.data?.smsSend.userErrors).toEqual([]);
  }

  it('hands an org its SMS at its rate, drops none, and holds back no other org', async () => {
    const set = await typedRequest(limitedClient, MessageSendRateUpdateDocument, { smsSendRate: 4 });
    expect(set.data?.orgSettingsUpdate).toMatchObject({ org: { smsSendRate: 4, emailSendRate: null }, userErrors: [] });

    const limitedCustomers = await Promise.all(Array.from({ length: 12 }, () => customer(limited)));
    const freeCustomer = await customer(free);
    const started = Date.now();
    for (const [index, id] of limitedCustomers.entries()) await sendSms(limitedClient, id, `Limited ${index}`);
    const queuedIn = Date.now() - started;
    // Sent after the whole burst of the limited org: it goes at once, not behind them.
    await sendSms(freeClient, freeCustomer, 'Free');

    const times = await until('12 SMS of the limited org', () => {
      const list = gateway.arrivals.filter((arrival) => arrival.from === 'LIMITED').map((arrival) => arrival.at);
      return list.length === 12 ? list : undefined;
    });
    const freeAt = gateway.arrivals.find((arrival) => arrival.from === 'FREE')?.at;
    // Twelve messages at 4 a second take at least 11 / 4 s from the first to the last, and none
    // runs ahead of the schedule by more than what one polling pass can gather.
    expect(queuedIn).toBeLessThan(2_000);
    expect(times[11]! - times[0]!).toBeGreaterThanOrEqual(2_700);
    expect(aheadOfRate(times, 4, 4)).toEqual([]);
    expect(freeAt).toBeDefined();
    expect(freeAt!).toBeLessThan(times[11]!);
    // The gateway has them all; each is recorded SENT once the worker hears back (its batch's
    // record may still be on its way), and none is lost or FAILED.
    const sent = await until('12 SMS of the limited org recorded SENT', async () => {
      const [counts] = await server.em().execute<{ sent: string; other: string }[]>(
        `select count(*) filter (where status = 'SENT') as sent, count(*) filter (where status <> 'SENT' and status <> 'QUEUED') as other from interaction where org_id = ?`,
        [limited.orgId],
      );
      return Number(counts!.sent) === 12 ? counts : undefined;
    }, 10_000);
    expect(Number(sent.other)).toBe(0);
  });

  it('lifts the limit with 0: the next burst goes as fast as the workers go', async () => {
    const lifted = await typedRequest(limitedClient, MessageSendRateUpdateDocument, { smsSendRate: 0 });
    expect(lifted.data?.orgSettingsUpdate).toMatchObject({ org: { smsSendRate: null }, userErrors: [] });
    const before = gateway.arrivals.length;
    const ids = await Promise.all(Array.from({ length: 8 }, () => customer(limited)));
    for (const [index, id] of ids.entries()) await sendSms(limitedClient, id, `Unlimited ${index}`);
    const times = await until('8 more SMS', () => {
      const list = gateway.arrivals.slice(before).map((arrival) => arrival.at);
      return list.length === 8 ? list : undefined;
    });
    // At 4 a second these would take 1.75 s; unlimited they follow the requests.
    expect(times[7]! - times[0]!).toBeLessThan(1_500);
  });

  it("spaces an org's emails at its email rate, apart from its SMS rate", async () => {
    const set = await typedRequest(limitedClient, MessageSendRateUpdateDocument, { emailSendRate: 2 });
    expect(set.data?.orgSettingsUpdate).toMatchObject({ org: { smsSendRate: null, emailSendRate: 2 }, userErrors: [] });
    const ids = await Promise.all(Array.from({ length: 5 }, () => customer(limited)));
    // No email can leave before the first request: a first one handed over late (a busy machine)
    // must not make the others look early, so times count from here.
    const started = Date.now();
    for (const [index, id] of ids.entries()) {
      const response = await typedRequest(limitedClient, EmailSendDocument, {
        input: { customer: { type: 'USER_ID', value: String(id) }, subject: `Rate ${index}`, text: 'Hi', priority: 'BULK', idempotencyKey: crypto.randomUUID() },
      });
      expect(response.data?.emailSend.userErrors).toEqual([]);
    }
    const outbox = path.join(dataDir, 'outbox', 'email');
    const files = await until('5 emails in the outbox', async () => {
      const names = await readdir(outbox).catch(() => [] as string[]);
      return names.length === 5 ? names : undefined;
    });
    const times = (await Promise.all(files.map(async (name) => (await stat(path.join(outbox, name))).mtimeMs))).sort((a, b) => a - b);
    // Five emails at 2 a second: the last at least 2 s after the first request.
    expect(times[4]! - started).toBeGreaterThanOrEqual(1_900);
    expect(aheadOfRate(times, 2, 2, started)).toEqual([]);
  });

  it('refuses a rate out of range with INVALID_INPUT and keeps the one set', async () => {
    for (const smsSendRate of [-1, 10_001]) {
      const response = await typedRequest(limitedClient, MessageSendRateUpdateDocument, { smsSendRate });
      expect(response.data?.orgSettingsUpdate).toMatchObject({ org: null, userErrors: [{ code: 'INVALID_INPUT', field: ['input', 'smsSendRate'] }] });
    }
    const kept = await typedRequest(limitedClient, MessageSendRateUpdateDocument, { emailSendRate: 2 });
    expect(kept.data?.orgSettingsUpdate.org).toMatchObject({ smsSendRate: null, emailSendRate: 2 });
  });
});

describe('a backlog at a send rate, after the workers were down', () => {
  let api: TestServer;
  let workers: TestServer | undefined;
  let gateway: Awaited<ReturnType<typeof startGateway>>;

  beforeAll(async () => {
    gateway = await startGateway();
    // The API server runs no workers: messages wait in the queue as if every worker were down.
    api = await startTestServer({ importWorkers: 0, config: { smsGatewayUrl: gateway.url } });
  });
  afterAll(async () => {
    await workers?.stop({ keepDatabase: true });
    await api?.stop();
    await gateway?.close();
  });

  it('drains at the rate when they are back, not in one burst', async () => {
    const org = await createOrg(api.em(), { role: 'ADMIN' });
    const client = gqlClient(api.url, org.key);
    expect((await typedRequest(client, MessageSendRateUpdateDocument, { smsSendRate: 4 })).data?.orgSettingsUpdate.userErrors).toEqual([]);
    for (let index = 0; index < 12; index += 1) {
      const customerId = await createCustomer(api.em(), org, { mobile: `659800${String(index).padStart(4, '0')}` });
      const response = await typedRequest(client, SmsSendDocument, {
        input: { customer: { type: 'USER_ID', value: String(customerId) }, content: `Backlog ${index}`, priority: 'BULK', idempotencyKey: crypto.randomUUID() },
      });
      expect(response.data?.smsSend.userErrors).toEqual([]);
    }
    // Every slot (the last 2.75 s after the first) is more than 3 s past when a worker comes.
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    expect(gateway.arrivals).toEqual([]);
    workers = await startTestServer({ database: api.database, importWorkers: 1, config: { smsGatewayUrl: gateway.url } });

    const times = await until('the 12 waiting SMS', () => (gateway.arrivals.length === 12 ? gateway.arrivals.map((arrival) => arrival.at) : undefined));
    // New slots from when the workers came back: 12 at 4 a second, handed over as each poll of the
    // queue (every second) finds them due, so at least (12 - 1 - 4) / 4 s from the first to the last.
    expect(times[11]! - times[0]!).toBeGreaterThanOrEqual(1_700);
    expect(aheadOfRate(times, 4, 4)).toEqual([]);
    const [row] = await api.em().execute<{ sent: string }[]>(`select count(*) filter (where status = 'SENT') as sent from interaction where org_id = ?`, [org.orgId]);
    expect(Number(row!.sent)).toBe(12);
  });
});
