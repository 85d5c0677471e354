import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpSmsGateway } from '../src/app/jobs/sms-gateway.js';

const SMS = { id: 41, to: '6590001111', from: 'SHOP', text: 'Your code is 1234', priority: 'TRANS' };

/**
 * The server's SMS gateway client against a real HTTP server whose answer depends on the path:
 * /ok (202), /refuse (400 with a 1 MB reason), /trickle (headers at once, then a body that never
 * ends), /silent (no answer at all).
 */
describe('the HTTP SMS gateway client', () => {
  let server: Server;
  let base: string;
  const connections = new Set<string>();
  const bodies: unknown[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      connections.add(`${request.socket.remotePort}`);
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        bodies.push({ path: request.url, key: request.headers['idempotency-key'], body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        if (request.url === '/ok') response.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":true}');
        else if (request.url === '/refuse') response.writeHead(400, { 'content-type': 'text/plain' }).end(`unknown number ${'x'.repeat(1024 * 1024)}`);
        else if (request.url === '/trickle') {
          response.writeHead(202, { 'content-type': 'application/json' });
          response.write('{"accepted":');
        }
        // /silent: never answered.
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('posts the JSON body with the idempotency key, and reuses one kept-alive connection', async () => {
    const gateway = httpSmsGateway(`${base}/ok`);
    connections.clear();
    bodies.length = 0;
    for (let index = 0; index < 20; index += 1) expect(await gateway.deliver({ ...SMS, id: 100 + index })).toEqual({ kind: 'ACCEPTED' });
    expect(bodies[0]).toEqual({ path: '/ok', key: 'interaction-100', body: { ...SMS, id: 100 } });
    expect(bodies).toHaveLength(20);
    expect(connections.size).toBe(1);
  });

  it('reads no more of a refusal than its reason needs', async () => {
    const outcome = await httpSmsGateway(`${base}/refuse`).deliver(SMS);
    expect(outcome.kind).toBe('REJECTED');
    const reason = outcome.kind === 'REJECTED' ? outcome.reason : '';
    expect(reason.startsWith('400: unknown number xxx')).toBe(true);
    expect(reason.length).toBeLessThanOrEqual(2_048 + '400: '.length);
  });

  it('gives up on an answer whose body never ends, and on no answer, at the timeout (the message is tried again later)', async () => {
    for (const path of ['/trickle', '/silent']) {
      const started = Date.now();
      const outcome = await httpSmsGateway(`${base}${path}`, { timeoutMs: 300 }).deliver(SMS);
      expect(outcome).toEqual({ kind: 'UNAVAILABLE', reason: 'The gateway did not answer within 300 ms' });
      expect(Date.now() - started).toBeLessThan(5_000);
    }
  });
});
