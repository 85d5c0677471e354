import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the gateway was sent. */
export interface GatewayRequest {
  readonly headers: IncomingHttpHeaders;
  readonly body: { id: number; to: string; from: string; text: string; priority: string };
}

export interface TestGateway {
  readonly url: string;
  /** Every request, in arrival order. */
  readonly requests: GatewayRequest[];
  /** Answers the requests held so far, and every later one at once. */
  release(): void;
  close(): Promise<void>;
}

/**
 * A real SMS gateway on a free port: it records every request and accepts it (202), except that a
 * text starting with HOLD is answered only once `release()` is called, so a message can be kept
 * QUEUED while a test looks at it, and a text starting with FLAKY is answered 503 the first time
 * its message (by id) arrives.
 */
export async function startGateway(): Promise<TestGateway> {
  const requests: GatewayRequest[] = [];
  let held: (() => void)[] = [];
  let released = false;
  const refusedOnce = new Set<number>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as GatewayRequest['body'];
      requests.push({ headers: request.headers, body });
      const answer = () => response.writeHead(202, { 'content-type': 'application/json' }).end('{"ok":true}');
      if (body.text.startsWith('FLAKY') && !refusedOnce.has(body.id)) {
        refusedOnce.add(body.id);
        response.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"busy, try again"}');
      } else if (body.text.startsWith('HOLD') && !released) held.push(answer);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`,
    requests,
    release() {
      released = true;
      for (const answer of held) answer();
      held = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The database id inside an Interaction's global id. */
export function interactionNumber(globalId: string): number {
  return Number(Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1]);
}
