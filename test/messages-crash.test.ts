import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { describe, it } from 'vitest';
import { freePort } from '../src/app/embedded-db.js';
import { MESSAGES_PER_ENTRY, SMS_RETRY_LIMIT } from '../src/app/jobs/queue.js';
import { GATEWAY_TIMEOUT_MS } from '../src/app/jobs/sms-gateway.js';
import { EmailSendDocument, SmsSendDocument } from './generated/graphql.js';
import { gqlClient, typedRequest, type GqlClient } from './support/client.js';
import { startTestServer, type TestServer } from './support/server.js';
import { startWorkerProcess, type WorkerProcess } from './support/worker-process.js';
import { createCustomer, createOrg } from './support/world.js';

/*
 * Message delivery across a worker's crash and a gateway's outage (issue #17). A worker killed
 * after the gateway (or mail server) took a message, before SENT was written, loses the message
 * to another worker within seconds; the repeat carries the same idempotency key (or Message-ID),
 * so the customer gets one message. A gateway that cannot be reached is tried again with backoff,
 * and the message ends FAILED, saying so, once the retries are spent.
 *
 * The tests run side by side, each on its own database: most of their time is spent waiting.
 */

const MAIL_FROM = 'loyalty@shop.example';

/** What the gateway was sent: the idempotency key (undefined when missing), the body, and when. */
interface GatewayRequest {
  readonly key: string | undefined;
  readonly body: { id: number; to: string; from: string; text: string; priority: string };
  readonly at: number;
}

interface Gateway {
  readonly url: string;
  /** Every request, repeats included. */
  readonly requests: GatewayRequest[];
  /** The messages it passed on to the network, one per idempotency key (a request without a key is a message of its own). */
  readonly delivered: GatewayRequest[];
  close(): Promise<void>;
}

/**
 * A real SMS gateway that honours idempotency keys as real ones do: a request under a key it has
 * taken before is answered 200 and not delivered again. With `holdFirst`, it takes each new message
 * but never answers that first request: the sender cannot know it was taken. On `port` if given.
 */
async function startGateway(options: { holdFirst?: boolean; port?: number } = {}): Promise<Gateway> {
  const requests: GatewayRequest[] = [];
  const delivered: GatewayRequest[] = [];
  const held: ServerResponse[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const header = request.headers['idempotency-key'];
      const seen: GatewayRequest = { key: typeof header === 'string' ? header : undefined, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as GatewayRequest['body'], at: Date.now() };
      requests.push(seen);
      const repeat = seen.key !== undefined && delivered.some((message) => message.key === seen.key);
      if (repeat) {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"duplicate":true}');
        return;
      }
      delivered.push(seen);
      if (options.holdFirst) held.push(response);
      else response.writeHead(202, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`,
    requests,
    delivered,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A message the SMTP server took (recorded once its data ended, before any reply). */
interface Received {
  readonly to: readonly string[];
  readonly mail: ParsedMail;
}

/**
 * A real SMTP server that records each message when its data ends. With `holdFirst`, the 250 for
 * the first message of each Message-ID never comes: the message is taken, its sender does not hear so.
 */
async function startSmtp(options: { holdFirst?: boolean } = {}): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        simpleParser(Buffer.concat(chunks))
          .then((mail) => {
            const first = !received.some((earlier) => earlier.mail.messageId === mail.messageId);
            received.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address), mail });
            if (!(options.holdFirst && first)) callback();
          })
          .catch((error: Error) => callback(error));
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function numericId(globalId: string): number {
  return Number(Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1]);
}

/** Waits until `check` holds, polling. */
async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface InteractionRow {
  readonly status: string;
  readonly failure_reason: string | null;
  /** Seconds from its acceptance to its failure (null unless FAILED). */
  readonly failed_after: number | null;
}

async function interactionRow(server: TestServer, id: number): Promise<InteractionRow> {
  const [row] = await server.em().execute<InteractionRow[]>(
    'select status, failure_reason, extract(epoch from failed_at - queued_at)::float8 as failed_after from interaction where id = ?',
    [id],
  );
  return row;
}

/** The interaction once it is no longer QUEUED (a worker delivered or failed it). */
async function settled(server: TestServer, id: number, timeoutMs: number): Promise<InteractionRow> {
  await until(`interaction ${id} is settled`, async () => (await interactionRow(server, id)).status !== 'QUEUED', timeoutMs);
  return interactionRow(server, id);
}

/** The message's queue entry: how many times it was retried, and its state. */
async function queueEntry(server: TestServer, queue: string, interactionId: number): Promise<{ retry_count: number; state: string } | undefined> {
  const [row] = await server.em().execute<{ retry_count: number; state: string }[]>(
    `select retry_count, state from pgboss.job where name = ? and data->'interactionIds' @> jsonb_build_array(?::bigint) order by retry_count desc limit 1`,
    [queue, interactionId],
  );
  return row;
}

/** The message's queue entry once its handler returned (the interaction is written just before). */
async function finishedEntry(server: TestServer, queue: string, interactionId: number): Promise<{ retry_count: number; state: string } | undefined> {
  await until(`the queue entry of interaction ${interactionId} is finished`, async () => ['completed', 'failed'].includes((await queueEntry(server, queue, interactionId))?.state ?? ''), 10_000);
  return queueEntry(server, queue, interactionId);
}

/** A customer with a mobile and an email, in a new org, and a client of a key that may send. */
async function world(server: TestServer): Promise<{ client: GqlClient; customerId: number }> {
  const org = await createOrg(server.em(), { role: 'MEMBER_CARE' });
  const customerId = await createCustomer(server.em(), org, { mobile: '6590001111', email: 'member@example.com' });
  return { client: gqlClient(server.url, org.key), customerId };
}

async function sendSms(client: GqlClient, customerId: number, content: string): Promise<number> {
  const response = await typedRequest(client, SmsSendDocument, {
    input: { customer: { type: 'USER_ID', value: String(customerId) }, content, priority: 'TRANS', idempotencyKey: crypto.randomUUID() },
  });
  const { interaction, userErrors } = response.data!.smsSend;
  if (!interaction) throw new Error(`smsSend refused: ${JSON.stringify(userErrors ?? response.errors)}`);
  return numericId(interaction.id);
}

async function sendEmail(client: GqlClient, customerId: number): Promise<number> {
  const response = await typedRequest(client, EmailSendDocument, {
    input: {
      customer: { type: 'USER_ID', value: String(customerId) },
      subject: 'Your statement',
      text: 'You have 120 points.',
      html: '<p>You have <b>120</b> points.</p>',
      attachments: [{ fileName: 'statement.pdf', contentType: 'application/pdf', fileEncodingType: 'BASE64', fileData: Buffer.from('%PDF-1.7\nstatement\n').toString('base64') }],
      priority: 'TRANS',
      idempotencyKey: crypto.randomUUID(),
    },
  });
  const { interaction, userErrors } = response.data!.emailSend;
  if (!interaction) throw new Error(`emailSend refused: ${JSON.stringify(userErrors ?? response.errors)}`);
  return numericId(interaction.id);
}

/** What a reader of the email sees, all of it but the Date header and the MIME boundaries, which a resend draws anew. */
function contentOf({ to, mail }: Received) {
  return {
    to,
    messageId: mail.messageId,
    from: mail.from?.text,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    attachments: mail.attachments.map((attachment) => ({ filename: attachment.filename, contentType: attachment.contentType, content: attachment.content.toString('base64') })),
  };
}

describe('message delivery across a worker crash and a gateway outage', () => {
  it.concurrent(
    'a worker killed after the gateway and the mail server took its messages, before SENT was written: another worker sends them again, and the customer gets each once',
    async ({ expect }) => {
      const gateway = await startGateway({ holdFirst: true });
      const smtp = await startSmtp({ holdFirst: true });
      // The API server runs no workers: only the worker processes deliver.
      const server = await startTestServer({ importWorkers: 0, config: { mailFrom: MAIL_FROM } });
      const workers: WorkerProcess[] = [];
      try {
        // As a database whose message queues an earlier version created without heartbeats: a
        // process's start brings them to the current policy.
        await server.em().execute(`update pgboss.queue set heartbeat_seconds = null where name in ('sms-delivery', 'email-delivery')`);
        const env = { SMS_GATEWAY_URL: gateway.url, SMTP_URL: smtp.url, MAIL_FROM };
        const first = await startWorkerProcess(server.databaseUrl, env);
        workers.push(first);
        const policies = await server.em().execute<{ name: string; heartbeat_seconds: number | null; expire_seconds: number }[]>(
          `select name, heartbeat_seconds, expire_seconds from pgboss.queue where name in ('sms-delivery', 'email-delivery') order by name`,
        );
        expect(policies.map(({ name, heartbeat_seconds }) => ({ name, heartbeat_seconds }))).toEqual([
          { name: 'email-delivery', heartbeat_seconds: 10 },
          { name: 'sms-delivery', heartbeat_seconds: 10 },
        ]);
        // A live lane keeps its SMS entries for as long as its fetch can take against a gateway
        // that answers nothing: its SMS_BATCH_SIZE entries of MESSAGES_PER_ENTRY messages go
        // SMS_BATCH_SIZE at a time, so MESSAGES_PER_ENTRY rounds, each waiting out the timeout.
        const worstHandlerSeconds = MESSAGES_PER_ENTRY * (GATEWAY_TIMEOUT_MS / 1000);
        expect(policies.find((policy) => policy.name === 'sms-delivery')!.expire_seconds).toBeGreaterThan(worstHandlerSeconds);

        const { client, customerId } = await world(server);
        const smsId = await sendSms(client, customerId, 'Your points expire soon');
        const emailId = await sendEmail(client, customerId);
        const messageId = `<interaction-${emailId}@shop.example>`;
        const smsRequests = () => gateway.requests.filter((request) => request.body.id === smsId);
        const emails = () => smtp.received.filter(({ mail }) => mail.messageId === messageId);
        await until('the gateway and the mail server hold the messages', () => smsRequests().length === 1 && emails().length === 1, 30_000);

        await first.kill();
        // Taken by the gateway and the mail server, but never recorded: the crash fell between the two.
        expect((await interactionRow(server, smsId)).status).toBe('QUEUED');
        expect((await interactionRow(server, emailId)).status).toBe('QUEUED');

        const second = await startWorkerProcess(server.databaseUrl, env);
        workers.push(second);
        // Well within the queues' 2-minute expiry: the dead worker's heartbeat went stale.
        expect(await settled(server, smsId, 45_000)).toMatchObject({ status: 'SENT', failure_reason: null, failed_after: null });
        expect(await settled(server, emailId, 45_000)).toMatchObject({ status: 'SENT', failure_reason: null, failed_after: null });
        expect(await finishedEntry(server, 'sms-delivery', smsId)).toEqual({ retry_count: 1, state: 'completed' });
        expect(await finishedEntry(server, 'email-delivery', emailId)).toEqual({ retry_count: 1, state: 'completed' });

        // The gateway heard of the SMS twice under one key, and passed it on once.
        expect(smsRequests().map((request) => request.key)).toEqual([`interaction-${smsId}`, `interaction-${smsId}`]);
        expect(gateway.delivered.filter((request) => request.body.id === smsId)).toHaveLength(1);
        // The mail server took the email twice: the same Message-ID, the same message, for the
        // receiving side to drop the repeat.
        const [taken, resent] = emails();
        expect(emails()).toHaveLength(2);
        expect(contentOf(resent)).toEqual(contentOf(taken));
        expect(contentOf(taken)).toMatchObject({ to: ['member@example.com'], messageId, subject: 'Your statement', text: 'You have 120 points.', attachments: [expect.objectContaining({ filename: 'statement.pdf' })] });
      } finally {
        for (const worker of workers) await worker.kill();
        await server.stop();
        await gateway.close();
        await smtp.close();
      }
    },
    180_000,
  );

  it.concurrent(
    'a gateway that cannot be reached: tried again with backoff, and after the last retry the message is FAILED, saying the gateway could not be reached',
    async ({ expect }) => {
      // Nothing listens there: every attempt is a network error.
      const server = await startTestServer({ config: { smsGatewayUrl: `http://127.0.0.1:${await freePort()}/sms` } });
      try {
        const { client, customerId } = await world(server);
        const id = await sendSms(client, customerId, 'Nobody is listening');
        const row = await settled(server, id, 120_000);
        expect(row.status).toBe('FAILED');
        expect(row.failure_reason).toMatch(/^The gateway could not be reached after every retry: /);
        expect(await finishedEntry(server, 'sms-delivery', id)).toEqual({ retry_count: SMS_RETRY_LIMIT, state: 'completed' });
        // The retries waited at least 1, 2, 4, 8 and 16 s: a backoff, not a burst.
        expect(row.failed_after).toBeGreaterThanOrEqual(31);
      } finally {
        await server.stop();
      }
    },
    180_000,
  );

  it.concurrent('a gateway down for the first attempt and up for the retry: the message is SENT, delivered once', async ({ expect }) => {
    const port = await freePort();
    const server = await startTestServer({ config: { smsGatewayUrl: `http://127.0.0.1:${port}/sms` } });
    let gateway: Gateway | undefined;
    try {
      const { client, customerId } = await world(server);
      const id = await sendSms(client, customerId, 'Back in a second');
      await until('the first attempt failed and a retry waits', async () => (await queueEntry(server, 'sms-delivery', id))?.state === 'retry', 30_000);
      expect((await interactionRow(server, id)).status).toBe('QUEUED');
      gateway = await startGateway({ port });
      expect(await settled(server, id, 30_000)).toMatchObject({ status: 'SENT', failure_reason: null, failed_after: null });
      expect(gateway.requests.map((request) => ({ id: request.body.id, key: request.key }))).toEqual([{ id, key: `interaction-${id}` }]);
      expect(await finishedEntry(server, 'sms-delivery', id)).toEqual({ retry_count: 1, state: 'completed' });
    } finally {
      await server.stop();
      await gateway?.close();
    }
  });

  it.concurrent('a gateway that does not answer within 10 s: the attempt counts as unavailable, the retry is answered, the message is SENT once', async ({ expect }) => {
    const gateway = await startGateway({ holdFirst: true });
    const server = await startTestServer({ config: { smsGatewayUrl: gateway.url } });
    try {
      const { client, customerId } = await world(server);
      const id = await sendSms(client, customerId, 'Slow gateway today');
      expect(await settled(server, id, 40_000)).toMatchObject({ status: 'SENT', failure_reason: null, failed_after: null });
      const [held, retried] = gateway.requests;
      expect(gateway.requests.map((request) => request.key)).toEqual([`interaction-${id}`, `interaction-${id}`]);
      expect(gateway.delivered).toHaveLength(1);
      // The first attempt was given up after the gateway's 10 s, not before.
      expect(retried.at - held.at).toBeGreaterThanOrEqual(10_000);
    } finally {
      await server.stop();
      await gateway.close();
    }
  }, 90_000);
});
