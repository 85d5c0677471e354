import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { gqlClient } from '../support/client.js';
import { customersTemplate, startInlineImport } from '../support/imports.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createApiKey } from '../../src/app/seed/org-setup.js';
import { createCustomer, createOrg, type TestOrg } from '../support/world.js';

interface Message {
  readonly type: string;
  readonly id?: string;
  readonly payload?: unknown;
}

/** A graphql-transport-ws connection driven message by message, to see exactly what the server sends. */
class RawSocket {
  readonly messages: Message[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly socket: WebSocket;

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (data: Buffer) => this.messages.push(JSON.parse(data.toString('utf8')) as Message));
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })));
  }

  static async open(url: string, key: string): Promise<RawSocket> {
    const socket = new WebSocket(url, 'graphql-transport-ws');
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const raw = new RawSocket(socket);
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } }));
    await raw.next((message) => message.type === 'connection_ack');
    return raw;
  }

  send(id: string, query: string, variables?: Record<string, unknown>): void {
    this.socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } }));
  }

  /** The first message (already received or to come) that `matches`, within `ms`. */
  async next(matches: (message: Message) => boolean, ms = 5_000): Promise<Message> {
    const until = Date.now() + ms;
    for (;;) {
      const found = this.messages.find(matches);
      if (found) return found;
      if (Date.now() > until) throw new Error(`No such message in ${ms} ms; got ${JSON.stringify(this.messages)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  close(): void {
    this.socket.close();
  }
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms))]);
}

const GOODWILL = `mutation ($input: GoodwillPointsIssueInput!) { goodwillPointsIssue(input: $input) { ledgerEntry { points } userErrors { code } } }`;
function goodwillInput() {
  return { customer: { type: 'MOBILE', value: '6591234567' }, points: 10, reason: 'Test', idempotencyKey: randomUUID() };
}

/** The API-key cache window: a revoked or changed key loses its rights within it. */
const KEY_WINDOW_MS = 10_000;

describe("a key's rights follow the key on an open WebSocket", () => {
  let server: TestServer;
  let org: TestOrg;
  let jobId: string;

  beforeAll(async () => {
    // No import worker: the job stays queued, so a subscription to its progress stays open.
    server = await startTestServer({ importWorkers: 0 });
    org = await createOrg(server.em(), { role: 'ADMIN' });
    await createCustomer(server.em(), org, { mobile: '6591234567' });
    const client = gqlClient(server.url, org.key);
    jobId = await startInlineImport(client, await customersTemplate(client), 'Mobile,First Name,Store\n6581000001,Ann,S1\n');
  });
  afterAll(() => server?.stop());

  async function newKey(role: 'ADMIN' | 'MEMBER_CARE'): Promise<{ key: string; id: number }> {
    const key = await createApiKey(server.em(), org.orgId, role);
    const rows = await server.em().execute<{ id: string }[]>('select id from api_key where org_id = ? order by id desc limit 1', [org.orgId]);
    return { key, id: Number(rows[0].id) };
  }


  it('ends the subscriptions of a revoked key with an error and closes its socket with 4403', async () => {
    const { key, id } = await newKey('ADMIN');
    const socket = await RawSocket.open(server.wsUrl, key);
    socket.send('progress', 'subscription ($id: ID!) { importProgress(jobId: $id) { state } }', { id: jobId });
    await socket.next((message) => message.type === 'next' && message.id === 'progress');

    await server.em().execute('update api_key set revoked_at = now() where id = ?', [id]);

    const closed = await within(socket.closed, KEY_WINDOW_MS, 'closing the socket');
    expect(closed.code).toBe(4403);
    const error = await socket.next((message) => message.type === 'error' && message.id === 'progress', 0);
    expect(error.payload).toMatchObject([{ extensions: { code: 'FORBIDDEN' } }]);
  });

  it('closes the socket of a key demoted to VIEWER within the cache window', async () => {
    const { key, id } = await newKey('MEMBER_CARE');
    const socket = await RawSocket.open(server.wsUrl, key);
    socket.send('first', GOODWILL, { input: goodwillInput() });
    expect((await socket.next((message) => message.type === 'next' && message.id === 'first')).payload).toMatchObject({ data: { goodwillPointsIssue: { userErrors: [] } } });

    await server.em().execute(`update api_key set role = 'VIEWER' where id = ?`, [id]);

    const closed = await within(socket.closed, KEY_WINDOW_MS, 'closing the socket');
    expect(closed.code).toBe(4403);
  });

  it('refuses a mutation sent on a socket whose key was demoted, even before the periodic check closes it', async () => {
    // A server whose sweep of open sockets is far off: only the check of each operation is left.
    const slow = await startTestServer({ importWorkers: 0, config: { wsKeyRecheckMs: 600_000 } });
    try {
      const other = await createOrg(slow.em(), { role: 'MEMBER_CARE' });
      await createCustomer(slow.em(), other, { mobile: '6591234567' });
      const socket = await RawSocket.open(slow.wsUrl, other.key);
      socket.send('before', GOODWILL, { input: goodwillInput() });
      expect((await socket.next((message) => message.id === 'before')).payload).toMatchObject({ data: { goodwillPointsIssue: { userErrors: [] } } });

      await slow.em().execute(`update api_key set role = 'VIEWER' where org_id = ?`, [other.orgId]);
      // Past the cache window, the key is read again for the next operation.
      await new Promise((resolve) => setTimeout(resolve, KEY_WINDOW_MS + 500));
      socket.send('after', GOODWILL, { input: goodwillInput() });

      const refused = await socket.next((message) => message.id === 'after');
      expect(refused).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'FORBIDDEN' } }] });
      expect((await within(socket.closed, 2_000, 'closing the socket')).code).toBe(4403);
      const rows = await slow.em().execute<{ n: number }[]>(`select count(*)::int as n from points_ledger_entry where org_id = ? and kind = 'GOODWILL'`, [other.orgId]);
      expect(rows[0].n).toBe(1);
    } finally {
      await slow.stop();
    }
  });

  it('reads org settings per operation, not as they were when the socket opened', async () => {
    const socket = await RawSocket.open(server.wsUrl, org.key);
    socket.send('zone-1', '{ viewer { org { timeZone } } }');
    expect((await socket.next((message) => message.id === 'zone-1')).payload).toEqual({ data: { viewer: { org: { timeZone: 'Asia/Singapore' } } } });

    const update = await gqlClient(server.url, org.key).request(`mutation { orgSettingsUpdate(input: { timeZone: "Europe/Berlin" }) { userErrors { code } } }`);
    expect(update.errors).toBeUndefined();

    let zone = '';
    const until = Date.now() + KEY_WINDOW_MS + 2_000;
    for (let attempt = 2; zone !== 'Europe/Berlin' && Date.now() < until; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      socket.send(`zone-${attempt}`, '{ viewer { org { timeZone } } }');
      const answer = await socket.next((message) => message.id === `zone-${attempt}`);
      zone = (answer.payload as { data: { viewer: { org: { timeZone: string } } } }).data.viewer.org.timeZone;
    }
    expect(zone).toBe('Europe/Berlin');
    socket.close();
  });

  it('refuses more operations at once on one socket than the bound', async () => {
    const socket = await RawSocket.open(server.wsUrl, org.key);
    for (let i = 0; i < 51; i += 1) socket.send(`sub-${i}`, 'subscription ($id: ID!) { importProgress(jobId: $id) { state } }', { id: jobId });
    const refused = await socket.next((message) => message.type === 'error');
    expect(refused.payload).toMatchObject([{ extensions: { code: 'TOO_MANY_OPERATIONS' } }]);
    expect(socket.messages.filter((message) => message.type === 'error').map((message) => message.id)).toEqual(['sub-50']);
    socket.close();
  });
});
