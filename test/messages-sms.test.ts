import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmsInteractionByIdDocument, SmsMaxSegmentsUpdateDocument, SmsSendDocument, type SmsSendMutationVariables } from './generated/graphql.js';
import { globalId, gqlClient, typedRequest, type GqlClient } from './support/client.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createApiKey } from '../src/app/seed/org-setup.js';
import { createCustomer, createOrg, type TestOrg } from './support/world.js';

/** What the gateway was sent. */
interface GatewayRequest {
  readonly headers: IncomingHttpHeaders;
  readonly body: { id: number; to: string; from: string; text: string; priority: string };
}

/** How the gateway answers a message, by its text: a list of answers given in turn (the last repeats). */
type Script = (text: string) => readonly { status: number; body?: string }[];

/** A real SMS gateway on a free port: it records every request and answers as the script says. */
async function startGateway(script: Script): Promise<{ url: string; requests: GatewayRequest[]; close(): Promise<void> }> {
  const requests: GatewayRequest[] = [];
  const answered = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as GatewayRequest['body'];
      requests.push({ headers: request.headers, body });
      const answers = script(body.text);
      const turn = answered.get(body.text) ?? 0;
      answered.set(body.text, turn + 1);
      const answer = answers[Math.min(turn, answers.length - 1)];
      response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body ?? '{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Reads an interaction until its status is no longer QUEUED (the worker delivered or failed it). */
async function settled(client: GqlClient, id: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await typedRequest(client, SmsInteractionByIdDocument, { id });
    const node = response.data?.node;
    if (node && 'status' in node && node.status !== 'QUEUED') return node;
    if (Date.now() > deadline) throw new Error(`Interaction ${id} is still QUEUED after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('smsSend through an HTTP gateway', () => {
  let server: TestServer;
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  let org: TestOrg;
  let client: GqlClient;
  let mobiles = 0;

  beforeAll(async () => {
    gateway = await startGateway((text) => {
      if (text.startsWith('FLAKY')) return [{ status: 500, body: '{"error":"busy"}' }, { status: 200 }];
      if (text.startsWith('THROTTLED')) return [{ status: 429, body: '{"error":"Too many requests"}' }, { status: 408 }, { status: 200 }];
      if (text.startsWith('REFUSED')) return [{ status: 400, body: '{"reason":"Destination barred"}' }];
      return [{ status: 202 }];
    });
    server = await startTestServer({ config: { smsGatewayUrl: gateway.url } });
    const em = server.em();
    org = await createOrg(em, { role: 'MEMBER_CARE' });
    client = gqlClient(server.url, org.key);
    await em.execute(`insert into org_unit (org_id, code, name, sender_ids) values (?, 'EAST', 'East', '{EASTSMS,EASTPROMO}')`, [org.orgId]);
  });
  afterAll(async () => {
    await server?.stop();
    await gateway?.close();
  });

  async function newCustomer(options: { mobile?: boolean } = {}): Promise<{ id: number; mobile: string | null }> {
    mobiles += 1;
    const mobile = options.mobile === false ? null : `659500${String(mobiles).padStart(4, '0')}`;
    return { id: await createCustomer(server.em(), org, { mobile }), mobile };
  }

  function send(customerId: number, input: Partial<SmsSendMutationVariables['input']> = {}, as: GqlClient = client) {
    return typedRequest(as, SmsSendDocument, {
      input: { customer: { type: 'USER_ID', value: String(customerId) }, content: 'Your points expire soon', priority: 'TRANS', idempotencyKey: crypto.randomUUID(), ...input },
    });
  }

  function requestsFor(interactionId: string): GatewayRequest[] {
    const id = Number(Buffer.from(interactionId, 'base64url').toString('utf8').split(':')[1]);
    return gateway.requests.filter((request) => request.body.id === id);
  }

  it('records a QUEUED interaction, and a worker posts it to the gateway with its idempotency key, then marks it SENT', async () => {
    const customer = await newCustomer();
    const response = await send(customer.id, { content: 'Hello from the shop', sender: 'EASTSMS', priority: 'BULK' });
    expect(response.errors).toBeUndefined();
    const { interaction, userErrors, replayed } = response.data!.smsSend;
    expect(userErrors).toEqual([]);
    expect(replayed).toBe(false);
    expect(interaction).toMatchObject({ channel: 'SMS', status: 'QUEUED', senderId: 'EASTSMS', content: 'Hello from the shop', priority: 'BULK', failedAt: null });
    expect(interaction!.queuedAt).toMatch(/\+08:00$/);

    const sent = await settled(client, interaction!.id);
    expect(sent).toMatchObject({ status: 'SENT', failureReason: null });
    const [request] = requestsFor(interaction!.id);
    expect(request.headers['idempotency-key']).toBe(`interaction-${request.body.id}`);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.body).toEqual({ id: request.body.id, to: customer.mobile, from: 'EASTSMS', text: 'Hello from the shop', priority: 'BULK' });
    // sentAt moves from the acceptance to the gateway's answer.
    const [row] = await server.em().execute<{ status: string; ordered: boolean }[]>('select status, sent_at >= queued_at as ordered from interaction where id = ?', [request.body.id]);
    expect(row).toEqual({ status: 'SENT', ordered: true });
  });

  it('uses a sender id configured for an org unit, and falls back to the org default for an unknown one or none, saying why', async () => {
    const customer = await newCustomer();
    const [{ default_sender_id: orgDefault }] = await server.em().execute<{ default_sender_id: string }[]>('select default_sender_id from org where id = ?', [org.orgId]);
    const configured = (await send(customer.id, { sender: 'EASTPROMO' })).data!.smsSend.interaction!;
    const unknown = (await send(customer.id, { sender: 'NOBODY' })).data!.smsSend.interaction!;
    const none = (await send(customer.id, { sender: null })).data!.smsSend.interaction!;
    const ownDefault = (await send(customer.id, { sender: orgDefault })).data!.smsSend.interaction!;
    expect([configured, unknown, none, ownDefault].map(({ senderId, requestedSenderId, senderFallback }) => ({ senderId, requestedSenderId, senderFallback }))).toEqual([
      { senderId: 'EASTPROMO', requestedSenderId: 'EASTPROMO', senderFallback: null },
      { senderId: orgDefault, requestedSenderId: 'NOBODY', senderFallback: 'NOT_CONFIGURED' },
      { senderId: orgDefault, requestedSenderId: null, senderFallback: 'NONE_GIVEN' },
      { senderId: orgDefault, requestedSenderId: orgDefault, senderFallback: null },
    ]);
    await settled(client, unknown.id);
    expect(requestsFor(unknown.id).map((request) => request.body.from)).toEqual([orgDefault]);
  });

  it('counts GSM-7 (extension characters twice) and UCS-2, and their parts', async () => {
    const customer = await newCustomer();
    const measure = async (content: string) => {
      const { interaction } = (await send(customer.id, { content })).data!.smsSend;
      return { encoding: interaction!.encoding, contentLength: interaction!.contentLength, segments: interaction!.segments };
    };
    expect(await measure('a'.repeat(160))).toEqual({ encoding: 'GSM_7', contentLength: 160, segments: 1 });
    expect(await measure('a'.repeat(161))).toEqual({ encoding: 'GSM_7', contentLength: 161, segments: 2 });
    expect(await measure('€'.repeat(80))).toEqual({ encoding: 'GSM_7', contentLength: 160, segments: 1 });
    expect(await measure(`${'a'.repeat(306)}`)).toEqual({ encoding: 'GSM_7', contentLength: 306, segments: 2 });
    expect(await measure('Café à 5€ {ok}')).toEqual({ encoding: 'GSM_7', contentLength: 17, segments: 1 });
    expect(await measure('積分'.repeat(35))).toEqual({ encoding: 'UCS_2', contentLength: 70, segments: 1 });
    expect(await measure('積'.repeat(71))).toEqual({ encoding: 'UCS_2', contentLength: 71, segments: 2 });
    // An emoji is a surrogate pair: two units.
    expect(await measure('Hi 🎉')).toEqual({ encoding: 'UCS_2', contentLength: 5, segments: 1 });
  });

  it('refuses a text of more parts than the org allows (SMS_TOO_LONG), and follows the setting when it changes', async () => {
    const customer = await newCustomer();
    const tooLong = await send(customer.id, { content: 'x'.repeat(153 * 6 + 1) });
    expect(tooLong.data!.smsSend).toEqual({
      interaction: null,
      replayed: null,
      userErrors: [{ code: 'SMS_TOO_LONG', message: 'The text needs 7 SMS parts (GSM-7, 919 units); the org allows at most 6.', field: ['input', 'content'] }],
    });
    const admin = gqlClient(server.url, await createApiKey(server.em(), org.orgId, 'ADMIN'));
    const setMax = async (smsMaxSegments: number) => (await typedRequest(admin, SmsMaxSegmentsUpdateDocument, { smsMaxSegments })).data!.orgSettingsUpdate;
    expect((await setMax(0)).userErrors.map((error) => error.code)).toEqual(['INVALID_INPUT']);
    expect((await setMax(21)).userErrors.map((error) => error.code)).toEqual(['INVALID_INPUT']);
    expect((await setMax(1)).org).toMatchObject({ smsMaxSegments: 1 });
    try {
      expect((await send(customer.id, { content: '積'.repeat(71) })).data!.smsSend.userErrors.map((error) => error.code)).toEqual(['SMS_TOO_LONG']);
      expect((await send(customer.id, { content: '積'.repeat(70) })).data!.smsSend.userErrors).toEqual([]);
    } finally {
      await setMax(6);
    }
    const huge = await send(customer.id, { content: 'x'.repeat(2001) });
    expect(huge.data!.smsSend.userErrors).toEqual([{ code: 'INVALID_INPUT', message: 'content must be at most 2000 characters.', field: ['input', 'content'] }]);
  });

  it('refuses a customer without a mobile, one opted out at that priority, one confirmed fraudulent and one deleted', async () => {
    const codeOf = async (customerId: number, input: Partial<SmsSendMutationVariables['input']> = {}) => (await send(customerId, input)).data!.smsSend.userErrors.map((error) => error.code);
    const noMobile = await newCustomer({ mobile: false });
    expect(await codeOf(noMobile.id)).toEqual(['CUSTOMER_HAS_NO_MOBILE']);

    const optedOut = await newCustomer();
    const em = server.em();
    const consent = (priority: string, status: string, orgUnit: 'EAST' | null) =>
      em.execute(
        `insert into channel_subscription (org_id, customer_id, channel, priority, account, org_unit_id, status, updated_at)
          values (?, ?, 'MOBILE', ?, '', (select id from org_unit where org_id = ? and code = ?), ?, now())
          on conflict (org_id, customer_id, channel, priority, account, org_unit_id) do update set status = excluded.status`,
        [org.orgId, optedOut.id, priority, org.orgId, orgUnit, status],
      );
    await consent('BULK', 'OPTOUT', null);
    expect(await codeOf(optedOut.id, { priority: 'BULK' })).toEqual(['CUSTOMER_OPTED_OUT']);
    // Consent is per priority: transactional messages still go.
    expect(await codeOf(optedOut.id, { priority: 'TRANS' })).toEqual([]);
    // An org unit's own consent governs the messages under its sender ids.
    await consent('BULK', 'OPTIN', 'EAST');
    expect(await codeOf(optedOut.id, { priority: 'BULK', sender: 'EASTSMS' })).toEqual([]);
    expect(await codeOf(optedOut.id, { priority: 'BULK' })).toEqual(['CUSTOMER_OPTED_OUT']);
    await consent('TRANS', 'OPTOUT', 'EAST');
    expect(await codeOf(optedOut.id, { priority: 'TRANS', sender: 'EASTSMS' })).toEqual(['CUSTOMER_OPTED_OUT']);
    expect(await codeOf(optedOut.id, { priority: 'TRANS' })).toEqual([]);

    const fraud = await newCustomer();
    await em.execute(`update customer set fraud_status = 'CONFIRMED' where id = ?`, [fraud.id]);
    expect(await codeOf(fraud.id)).toEqual(['CUSTOMER_FRAUD_CONFIRMED']);
    const deleted = await newCustomer();
    await em.execute('update customer set status_label_id = ? where id = ?', [org.statusLabelIds.closed, deleted.id]);
    expect(await codeOf(deleted.id)).toEqual(['CUSTOMER_DELETED']);

    const [{ n }] = await em.execute<{ n: string }[]>('select count(*) as n from interaction where customer_id in (?, ?, ?)', [noMobile.id, fraud.id, deleted.id]);
    expect(Number(n)).toBe(0);
  });

  it('sends once per idempotency key: a repeat returns the first interaction and the gateway hears of it once', async () => {
    const customer = await newCustomer();
    const idempotencyKey = crypto.randomUUID();
    const first = (await send(customer.id, { content: 'Only once', idempotencyKey })).data!.smsSend;
    const again = (await send(customer.id, { content: 'Only once', idempotencyKey })).data!.smsSend;
    expect(again.replayed).toBe(true);
    expect(again.interaction!.id).toBe(first.interaction!.id);
    const reused = (await send(customer.id, { content: 'Something else', idempotencyKey })).data!.smsSend;
    expect(reused.userErrors.map((error) => error.code)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    await settled(client, first.interaction!.id);
    // Give a stray second delivery the time to happen before counting.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(requestsFor(first.interaction!.id)).toHaveLength(1);
    const [{ n }] = await server.em().execute<{ n: string }[]>(`select count(*) as n from interaction where customer_id = ?`, [customer.id]);
    expect(Number(n)).toBe(1);
  });

  it('retries after a gateway 500 with the same idempotency key, and marks the message SENT once it is taken', async () => {
    const customer = await newCustomer();
    const { interaction } = (await send(customer.id, { content: 'FLAKY gateway today' })).data!.smsSend;
    const sent = await settled(client, interaction!.id);
    expect(sent).toMatchObject({ status: 'SENT', failureReason: null });
    const requests = requestsFor(interaction!.id);
    expect(requests).toHaveLength(2);
    expect(new Set(requests.map((request) => request.headers['idempotency-key']))).toEqual(new Set([`interaction-${requests[0].body.id}`]));
  });

  it("tries again after a 429 (the gateway's own rate limit) and a 408, as after a 5xx, and marks the message SENT once it is taken", async () => {
    const customer = await newCustomer();
    const { interaction } = (await send(customer.id, { content: 'THROTTLED for a moment' })).data!.smsSend;
    const sent = await settled(client, interaction!.id);
    expect(sent).toMatchObject({ status: 'SENT', failureReason: null });
    const requests = requestsFor(interaction!.id);
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((request) => request.headers['idempotency-key']))).toEqual(new Set([`interaction-${requests[0].body.id}`]));
  });

  it('marks a message the gateway refuses (4xx) FAILED with its reason, without retrying', async () => {
    const customer = await newCustomer();
    const { interaction } = (await send(customer.id, { content: 'REFUSED by the operator' })).data!.smsSend;
    const failed = await settled(client, interaction!.id);
    expect(failed).toMatchObject({ status: 'FAILED', failureReason: 'Refused by the gateway: 400: Destination barred' });
    expect(failed.failedAt).toMatch(/\+08:00$/);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(requestsFor(interaction!.id)).toHaveLength(1);
  });
});

describe('smsSend without a gateway', () => {
  let server: TestServer;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'sms-outbox-'));
    server = await startTestServer({ config: { smsGatewayUrl: undefined, dataDir } });
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('writes the message to DATA_DIR/outbox/sms/<interaction id>.json and marks it SENT', async () => {
    const org = await createOrg(server.em(), { role: 'MEMBER_CARE' });
    const client = gqlClient(server.url, org.key);
    const customerId = await createCustomer(server.em(), org, { mobile: '6598765432' });
    const response = await typedRequest(client, SmsSendDocument, {
      input: { customer: { type: 'MOBILE', value: '6598765432' }, content: 'To the outbox', priority: 'TRANS', idempotencyKey: 'outbox-1' },
    });
    const { interaction } = response.data!.smsSend;
    expect(interaction!.customer.id).toBe(globalId('Customer', customerId));
    const sent = await settled(client, interaction!.id);
    expect(sent).toMatchObject({ status: 'SENT' });
    const id = Number(Buffer.from(interaction!.id, 'base64url').toString('utf8').split(':')[1]);
    const file = JSON.parse(await readFile(path.join(dataDir, 'outbox', 'sms', `${id}.json`), 'utf8')) as unknown;
    const [{ default_sender_id: from }] = await server.em().execute<{ default_sender_id: string }[]>('select default_sender_id from org where id = ?', [org.orgId]);
    expect(file).toEqual({ id, to: '6598765432', from, text: 'To the outbox', priority: 'TRANS' });
  });
});

describe('smsSend and VIEWER keys', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ importWorkers: 0 });
  });
  afterAll(() => server?.stop());

  it('refuses a read-only key before anything is written', async () => {
    const org = await createOrg(server.em(), { role: 'VIEWER' });
    const customerId = await createCustomer(server.em(), org, { mobile: '6591112222' });
    const response = await typedRequest(gqlClient(server.url, org.key), SmsSendDocument, {
      input: { customer: { type: 'USER_ID', value: String(customerId) }, content: 'Hi', priority: 'TRANS', idempotencyKey: 'viewer-1' },
    });
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const [{ n }] = await server.em().execute<{ n: string }[]>('select count(*) as n from interaction where customer_id = ?', [customerId]);
    expect(Number(n)).toBe(0);
  });
});
