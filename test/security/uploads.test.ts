import http from 'node:http';
import net from 'node:net';
import { readdir } from 'node:fs/promises';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gqlClient } from '../support/client.js';
import { customersTemplate } from '../support/imports.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createOrg, type TestOrg } from '../support/world.js';

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** Bytes of the body the client had written when the answer came. */
  readonly sentBeforeAnswer: number;
}

/**
 * Sends a request announcing `declaredBytes` of body over a plain socket, 64 KiB at a time, until
 * the server answers (or all of it is sent): what a client streaming a huge upload does. A plain
 * socket, so that the server closing the connection after its answer cannot hide the answer.
 */
function streamingRequest(url: string, path: string, headers: Record<string, string>, declaredBytes: number): Promise<Answer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let sentBeforeAnswer = -1;
    let received = Buffer.alloc(0);
    const socket = net.connect(Number(port), hostname);
    const head = [`POST ${path} HTTP/1.1`, `host: ${hostname}:${port}`, `content-length: ${declaredBytes}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`), '', ''].join('\r\n');
    const piece = Buffer.alloc(64 * 1024, 'a');
    const pump = (): void => {
      if (sentBeforeAnswer >= 0 || sent >= declaredBytes || socket.destroyed) return;
      sent += piece.length;
      socket.write(piece, () => setTimeout(pump, 5));
    };
    const settle = (): void => {
      const text = received.toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      if (split < 0) {
        reject(new Error(`No answer (received: ${JSON.stringify(text.slice(0, 200))})`));
        return;
      }
      const [statusLine, ...headerLines] = text.slice(0, split).split('\r\n');
      const parsed = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers: parsed, body: text.slice(split + 4), sentBeforeAnswer });
    };
    socket.on('data', (chunk: Buffer) => {
      if (sentBeforeAnswer < 0) sentBeforeAnswer = sent;
      received = Buffer.concat([received, chunk]);
    });
    // Writes fail once the server has closed: expected, the answer is what counts.
    socket.on('error', () => undefined);
    socket.on('close', settle);
    socket.write(head, pump);
  });
}

async function capacitorFiles(): Promise<string[]> {
  return (await readdir(os.tmpdir())).filter((name) => name.startsWith('capacitor-'));
}

const MULTIPART = { 'content-type': 'multipart/form-data; boundary=xyz', 'apollo-require-preflight': 'true' };
const FOUR_HUNDRED_MB = 400 * 1024 * 1024;

describe('nothing is read from a request without a valid key', () => {
  let server: TestServer;
  let org: TestOrg;
  let templateId: string;

  beforeAll(async () => {
    // Jobs are left queued: these tests are about the uploads, not the imports.
    server = await startTestServer({ importWorkers: 0, config: { uploadsPerKey: 2 } });
    org = await createOrg(server.em());
    templateId = await customersTemplate(gqlClient(server.url, org.key));
  });
  afterAll(() => server?.stop());

  it.each([
    ['a GraphQL multipart upload', '/graphql', MULTIPART],
    ['POST /imports', `/imports?templateId=TEMPLATE`, { 'content-type': 'text/csv' }],
  ])('answers %s of 400 MB without a key with 401 at once, leaving no temporary file', async (_what, path, headers) => {
    const before = await capacitorFiles();
    const [files] = await server.em().execute<{ n: number }[]>('select count(*)::int as n from import_file');

    const answer = await streamingRequest(server.url, path.replace('TEMPLATE', templateId), headers, FOUR_HUNDRED_MB);

    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(answer.headers.connection).toBe('close');
    // At once: the client had sent a sliver of the body when the answer came.
    expect(answer.sentBeforeAnswer).toBeLessThan(16 * 1024 * 1024);
    expect((await capacitorFiles()).filter((name) => !before.includes(name))).toEqual([]);
    expect(await server.em().execute<{ n: number }[]>('select count(*)::int as n from import_file')).toEqual([files]);
  });

  it('answers a bad key the same way', async () => {
    const answer = await streamingRequest(server.url, '/graphql', { ...MULTIPART, authorization: 'Bearer lg_made-up' }, FOUR_HUNDRED_MB);
    expect(answer.status).toBe(401);
    expect(answer.sentBeforeAnswer).toBeLessThan(16 * 1024 * 1024);
  });

  it('lets one key stream only a few uploads at once: the next is refused with 429 before its body is read', async () => {
    const url = new URL(`/imports?templateId=${templateId}`, server.url);
    // Two uploads that keep streaming (their bodies never end while the third arrives).
    const open = [0, 1].map(() => {
      const request = http.request(url, { method: 'POST', headers: { authorization: `Bearer ${org.key}`, 'content-type': 'text/csv', 'content-length': String(10 * 1024 * 1024) } });
      request.on('error', () => undefined);
      request.write('Mobile,First Name,Store\n');
      return request;
    });
    try {
      // Give the server time to take both.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const third = await streamingRequest(server.url, `/imports?templateId=${templateId}`, { authorization: `Bearer ${org.key}`, 'content-type': 'text/csv' }, FOUR_HUNDRED_MB);
      expect(third.status).toBe(429);
      expect(third.headers['retry-after']).toBeDefined();
      expect(JSON.parse(third.body)).toMatchObject({ errors: [{ extensions: { code: 'UPLOADS_BUSY' } }] });

      // Another key of the same org is not held back by this one's uploads.
      const other = await createOrg(server.em());
      const fine = await fetch(new URL(`/imports?templateId=${templateId}`, server.url), { method: 'POST', headers: { authorization: `Bearer ${other.key}` }, body: 'Mobile\n' });
      expect(fine.status).not.toBe(429);
    } finally {
      for (const request of open) request.destroy();
    }
    // Once they end, the key may upload again.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const again = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${org.key}` }, body: 'Mobile,First Name,Store\n6581000009,Ann,S1\n' });
    expect(again.status).toBe(202);
  });
});
