import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { print } from 'graphql';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InteractionStateByIdDocument, InteractionUpdatedWatchDocument, SmsSendDocument, type InteractionStateFragment } from './generated/graphql.js';
import { globalId, gqlClient, typedRequest, wsClient, type GqlClient } from './support/client.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCustomer, createOrg, type TestOrg } from './support/world.js';

const SECRET = 'receipts-test-secret-0123456789';

/** A real SMS gateway: it answers 202 at once, except texts starting with HOLD, answered once `release()` is called. */
async function startGateway(): Promise<{ url: string; release(): void; held(): number; close(): Promise<void> }> {
  let releaseHeld: (() => void)[] = [];
  let released = false;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { text: string };
      const answer = () => response.writeHead(202, { 'content-type': 'application/json' }).end('{"ok":true}');
      if (body.text.startsWith('HOLD') && !released) releaseHeld.push(answer);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`,
    held: () => releaseHeld.length,
    release() {
      released = true;
      for (const answer of releaseHeld) answer();
      releaseHeld = [];
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function numericId(interactionId: string): number {
  return Number(Buffer.from(interactionId, 'base64url').toString('utf8').split(':')[1]);
}

function sign(raw: string, secret = SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
}

/** POSTs a receipt to the server's webhook, signed with the shared secret unless a signature is given. */
async function postReceipt(server: TestServer, body: unknown, options: { signature?: string | null } = {}): Promise<{ status: number; body: unknown }> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const signature = options.signature === undefined ? sign(raw) : options.signature;
  if (signature !== null) headers['x-signature'] = signature;
  const response = await fetch(new URL('/webhooks/sms', server.url), { method: 'POST', headers, body: raw });
  return { status: response.status, body: await response.json() };
}

function isInteraction(node: object): node is InteractionStateFragment {
  return 'status' in node;
}

async function stateOf(client: GqlClient, id: string): Promise<InteractionStateFragment> {
  const response = await typedRequest(client, InteractionStateByIdDocument, { id });
  const node = response.data?.node;
  if (!node || !isInteraction(node)) throw new Error(`Interaction ${id} cannot be read: ${JSON.stringify(response.errors)}`);
  return node;
}

/** Reads an interaction until its status is no longer QUEUED. */
async function settled(client: GqlClient, id: string, timeoutMs = 30_000): Promise<InteractionStateFragment> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await stateOf(client, id);
    if (state.status !== 'QUEUED') return state;
    if (Date.now() > deadline) throw new Error(`Interaction ${id} is still QUEUED after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** What a subscription has sent so far, and a way to wait for the next state of one interaction. */
function watch(client: Client, customerId: string) {
  const seen: InteractionStateFragment[] = [];
  const errors: unknown[] = [];
  let wake: (() => void) | undefined;
  const unsubscribe = client.subscribe<{ interactionUpdated: InteractionStateFragment }>(
    { query: print(InteractionUpdatedWatchDocument), variables: { customerId } },
    {
      next: (value) => {
        if (value.errors) errors.push(value.errors);
        if (value.data) seen.push(value.data.interactionUpdated);
        wake?.();
      },
      error: (error: unknown) => {
        errors.push(error);
        wake?.();
      },
      complete: () => undefined,
    },
  );
  return {
    seen,
    errors,
    unsubscribe,
    /** The states of `id` sent so far, once at least `count` of them have come (or the timeout has passed). */
    async statesOf(id: string, count: number, timeoutMs = 15_000): Promise<string[]> {
      const deadline = Date.now() + timeoutMs;
      const states = () => seen.filter((state) => state.id === id).map((state) => state.status);
      while (states().length < count && errors.length === 0 && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, Math.min(250, Math.max(0, deadline - Date.now())));
        });
        wake = undefined;
      }
      return states();
    },
  };
}

describe('SMS delivery receipts and live interaction updates', () => {
  let server: TestServer;
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  let org: TestOrg;
  let client: GqlClient;
  let mobiles = 0;

  beforeAll(async () => {
    gateway = await startGateway();
    server = await startTestServer({ config: { smsGatewayUrl: gateway.url, smsWebhookSecret: SECRET } });
    org = await createOrg(server.em(), { role: 'MEMBER_CARE' });
    client = gqlClient(server.url, org.key);
  });
  afterAll(async () => {
    gateway?.release();
    await server?.stop();
    await gateway?.close();
  });

  async function newCustomer(): Promise<number> {
    mobiles += 1;
    return createCustomer(server.em(), org, { mobile: `659600${String(mobiles).padStart(4, '0')}` });
  }

  async function send(customerId: number, content = 'Your points expire soon'): Promise<string> {
    const response = await typedRequest(client, SmsSendDocument, {
      input: { customer: { type: 'USER_ID', value: String(customerId) }, content, priority: 'TRANS', idempotencyKey: crypto.randomUUID() },
    });
    const interaction = response.data?.smsSend.interaction;
    if (!interaction) throw new Error(`smsSend failed: ${JSON.stringify(response.errors ?? response.data?.smsSend.userErrors)}`);
    return interaction.id;
  }

  /** An SMS the gateway has taken (SENT), ready for its receipt. */
  async function sentSms(): Promise<string> {
    const id = await send(await newCustomer());
    expect((await settled(client, id)).status).toBe('SENT');
    return id;
  }

  it('records a signed DELIVERED receipt: DELIVERED, with the time the gateway gave, in the org time zone', async () => {
    const id = await sentSms();
    const at = new Date(Date.now() - 1_000);
    const answer = await postReceipt(server, { id: numericId(id), status: 'DELIVERED', at: at.toISOString() });
    expect(answer).toEqual({ status: 200, body: { id: numericId(id), status: 'DELIVERED', changed: true } });
    const state = await stateOf(client, id);
    expect(state).toMatchObject({ status: 'DELIVERED', failedAt: null, failureReason: null });
    expect(state.deliveredAt).toMatch(/\+08:00$/);
    expect(new Date(state.deliveredAt!).getTime()).toBe(at.getTime());
  });

  it('records a FAILED receipt with its reason, and the time it arrived when none is given', async () => {
    const id = await sentSms();
    const before = Date.now();
    const answer = await postReceipt(server, { id: numericId(id), status: 'FAILED', reason: 'Handset unreachable' });
    expect(answer.status).toBe(200);
    const state = await stateOf(client, id);
    expect(state).toMatchObject({ status: 'FAILED', deliveredAt: null, failureReason: 'Handset unreachable' });
    expect(state.failedAt).toMatch(/\+08:00$/);
    expect(new Date(state.failedAt!).getTime()).toBeGreaterThanOrEqual(before - 1_000);
  });

  it('refuses a bad or missing signature with 401 and changes nothing', async () => {
    const id = await sentSms();
    const body = JSON.stringify({ id: numericId(id), status: 'DELIVERED' });
    for (const signature of [null, 'sha256=00', sign(body, 'another-secret-0123456789'), sign(body).replace('sha256=', 'sha1='), sign(`${body} `)]) {
      const answer = await postReceipt(server, body, { signature });
      expect(answer.status).toBe(401);
      expect(JSON.stringify(answer.body)).toContain('BAD_SIGNATURE');
    }
    expect((await stateOf(client, id)).status).toBe('SENT');
  });

  it('refuses a body over 16 KB with 413, signed or not, and changes nothing', async () => {
    const id = await sentSms();
    const body = JSON.stringify({ id: numericId(id), status: 'DELIVERED', reason: 'x'.repeat(20_000) });
    const answer = await postReceipt(server, body);
    expect(answer.status).toBe(413);
    expect((await stateOf(client, id)).status).toBe('SENT');
  });

  it('answers 404 for an id the server never sent, and 400 for a malformed receipt', async () => {
    expect((await postReceipt(server, { id: 987_654_321, status: 'DELIVERED' })).status).toBe(404);
    const id = numericId(await sentSms());
    for (const body of ['not json', { id, status: 'READ' }, { id: String(id), status: 'DELIVERED' }, { id, status: 'DELIVERED', at: 'yesterday' }]) {
      expect((await postReceipt(server, body)).status).toBe(400);
    }
  });

  it('takes the same receipt twice: the second changes nothing and is answered 200', async () => {
    const id = await sentSms();
    const receipt = { id: numericId(id), status: 'DELIVERED' };
    expect((await postReceipt(server, receipt)).body).toMatchObject({ status: 'DELIVERED', changed: true });
    const first = await stateOf(client, id);
    expect(await postReceipt(server, receipt)).toEqual({ status: 200, body: { id: numericId(id), status: 'DELIVERED', changed: false } });
    expect(await stateOf(client, id)).toEqual(first);
  });

  it('keeps a DELIVERED message DELIVERED on a late FAILED receipt (a message never moves backwards)', async () => {
    const id = await sentSms();
    await postReceipt(server, { id: numericId(id), status: 'DELIVERED' });
    const delivered = await stateOf(client, id);
    const late = await postReceipt(server, { id: numericId(id), status: 'FAILED', reason: 'Expired' });
    expect(late).toEqual({ status: 200, body: { id: numericId(id), status: 'DELIVERED', changed: false } });
    expect(await stateOf(client, id)).toEqual(delivered);
  });

  it('lets a FAILED message become DELIVERED (the gateway delivered after all), its failure cleared', async () => {
    const id = await sentSms();
    await postReceipt(server, { id: numericId(id), status: 'FAILED', reason: 'Retrying' });
    expect(await postReceipt(server, { id: numericId(id), status: 'DELIVERED' })).toEqual({ status: 200, body: { id: numericId(id), status: 'DELIVERED', changed: true } });
    expect(await stateOf(client, id)).toMatchObject({ status: 'DELIVERED', failedAt: null, failureReason: null });
  });

  it('streams QUEUED, SENT then DELIVERED for an SMS sent while subscribed', async () => {
    const customerId = await newCustomer();
    const ws = wsClient(server.wsUrl, org.key);
    const watching = watch(ws, globalId('Customer', customerId));
    try {
      // The customer has no message yet, so nothing comes first: the subscription is known to be live once a probe's change is seen.
      for (let attempt = 0; ; attempt += 1) {
        const probe = await send(customerId, `Probe ${attempt}`);
        if ((await watching.statesOf(probe, 1, 1_000)).length > 0) break;
        if (attempt >= 20) throw new Error(`The subscription never went live: ${JSON.stringify(watching.errors)}`);
      }
      const id = await send(customerId, 'HOLD until the gateway is released');
      expect(await watching.statesOf(id, 1)).toEqual(['QUEUED']);
      // The gateway holds its answer until the QUEUED state was seen, so SENT cannot overtake it.
      gateway.release();
      expect(await watching.statesOf(id, 2)).toEqual(['QUEUED', 'SENT']);
      expect((await postReceipt(server, { id: numericId(id), status: 'DELIVERED' })).status).toBe(200);
      expect(await watching.statesOf(id, 3)).toEqual(['QUEUED', 'SENT', 'DELIVERED']);
      const delivered = watching.seen.find((state) => state.id === id && state.status === 'DELIVERED')!;
      expect(delivered.deliveredAt).toMatch(/\+08:00$/);
      expect(delivered.customer.id).toBe(globalId('Customer', customerId));
      expect(watching.errors).toEqual([]);
    } finally {
      watching.unsubscribe();
      await ws.dispose();
    }
  });

  it("sends the current state of the customer's latest message first", async () => {
    const customerId = await newCustomer();
    const older = await send(customerId, 'An older message');
    const latest = await send(customerId, 'The latest message');
    expect((await settled(client, older)).status).toBe('SENT');
    expect((await settled(client, latest)).status).toBe('SENT');
    const ws = wsClient(server.wsUrl, org.key);
    const watching = watch(ws, globalId('Customer', customerId));
    try {
      expect(await watching.statesOf(latest, 1)).toEqual(['SENT']);
      expect(watching.seen.map((state) => state.id)).toEqual([latest]);
    } finally {
      watching.unsubscribe();
      await ws.dispose();
    }
  });

  it("lets no other org's key subscribe to this org's customer", async () => {
    const customerId = await newCustomer();
    const stranger = await createOrg(server.em());
    const ws = wsClient(server.wsUrl, stranger.key);
    try {
      const watching = watch(ws, globalId('Customer', customerId));
      await watching.statesOf('none', 1, 5_000);
      expect(JSON.stringify(watching.errors)).toContain('No customer with this id in your org');
      // Had it subscribed, this send would reach it.
      await send(customerId);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(watching.seen).toEqual([]);
    } finally {
      await ws.dispose();
    }
  });
});

describe('SMS delivery receipts without a shared secret', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());

  it('answers 404: the endpoint is off', async () => {
    const answer = await postReceipt(server, { id: 1, status: 'DELIVERED' });
    expect(answer.status).toBe(404);
    expect(JSON.stringify(answer.body)).toContain('SMS_WEBHOOK_SECRET');
  });
});

describe('SMS delivery receipts from an address that keeps sending bad signatures', () => {
  const ALLOWED = 3;
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ config: { smsWebhookSecret: SECRET, authFailurePolicy: { failures: ALLOWED, windowSeconds: 600, blockSeconds: 60 } } });
  });
  afterAll(() => server?.stop());

  it('is refused with 429 and Retry-After once it passes the limit, even with a good signature, its body unread', async () => {
    for (let attempt = 0; attempt < ALLOWED; attempt++) {
      expect((await postReceipt(server, { id: 1, status: 'DELIVERED' }, { signature: 'sha256=00' })).status).toBe(401);
    }
    const refused = await fetch(new URL('/webhooks/sms', server.url), { method: 'POST', headers: { 'content-type': 'application/json', 'x-signature': 'sha256=00' }, body: '{}' });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ errors: [{ extensions: { code: 'TOO_MANY_FAILED_AUTHENTICATIONS' } }] });
    // A well-signed receipt from the same address waits too: the block is on the address.
    expect((await postReceipt(server, { id: 1, status: 'DELIVERED' })).status).toBe(429);
  });
});
