import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { SMTPServer } from 'smtp-server';

/**
 * Where the message benchmark's SMS and emails end up: an HTTP SMS gateway and an SMTP server on
 * free local ports, each answering at once and counting what it took.
 */

/** What a sink took: distinct messages by key, repeats of a key, and when the last new one came. */
export class Arrivals {
  private readonly seen = new Set<string>();
  private waiter: { readonly count: number; readonly resolve: () => void } | undefined;
  private repeatCount = 0;
  private byteCount = 0;
  private malformedCount = 0;
  private lastAt = 0;

  record(key: string, bytes: number): void {
    this.byteCount += bytes;
    if (this.seen.has(key)) {
      this.repeatCount += 1;
      return;
    }
    this.seen.add(key);
    this.lastAt = performance.now();
    if (this.waiter && this.seen.size >= this.waiter.count) this.waiter.resolve();
  }

  malformed(): void {
    this.malformedCount += 1;
  }

  /** Starts a new phase: nothing taken so far counts. */
  reset(): void {
    this.seen.clear();
    this.repeatCount = 0;
    this.byteCount = 0;
    this.malformedCount = 0;
    this.lastAt = 0;
  }

  get count(): number {
    return this.seen.size;
  }

  snapshot(): { readonly distinct: number; readonly repeats: number; readonly bytes: number; readonly malformed: number; readonly lastAt: number } {
    return { distinct: this.seen.size, repeats: this.repeatCount, bytes: this.byteCount, malformed: this.malformedCount, lastAt: this.lastAt };
  }

  /**
   * Resolves true once `count` distinct messages came; false when none came for `idleMs` or
   * `deadline` (a `performance.now()` time) passed, so a stalled or crawling delivery ends the phase.
   */
  waitFor(count: number, idleMs: number, deadline: number): Promise<boolean> {
    if (this.seen.size >= count) return Promise.resolve(true);
    return new Promise((resolve) => {
      let last = this.seen.size;
      let idleSince = performance.now();
      const finish = (complete: boolean): void => {
        clearInterval(timer);
        this.waiter = undefined;
        resolve(complete);
      };
      const timer = setInterval(() => {
        const now = performance.now();
        if (this.seen.size > last) {
          last = this.seen.size;
          idleSince = now;
        }
        if (now - idleSince > idleMs || now > deadline) finish(false);
      }, 250);
      this.waiter = { count, resolve: () => finish(true) };
    });
  }
}

export interface Sink {
  readonly url: string;
  readonly arrivals: Arrivals;
  close(): Promise<void>;
}

/**
 * The SMS gateway: `POST /` with the JSON body the server documents (`{ id, to, from, text,
 * priority }`), keyed by its `Idempotency-Key` header, so a delivery tried twice counts once.
 * Answers 200 to every well-formed body, 400 to anything else.
 */
export async function startSmsGateway(): Promise<Sink> {
  const arrivals = new Arrivals();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const key = req.headers['idempotency-key'];
      let wellFormed = false;
      try {
        const parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
        wellFormed = typeof parsed.to === 'string' && typeof parsed.text === 'string' && typeof key === 'string';
      } catch {
        wellFormed = false;
      }
      if (!wellFormed || typeof key !== 'string') {
        arrivals.malformed();
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"reason":"malformed"}');
        return;
      }
      arrivals.record(key, body.length);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"accepted":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    arrivals,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Longest header block read for the Message-ID; the body streams past uncounted but for its bytes. */
const HEADER_MAX_BYTES = 64 * 1024;
const MESSAGE_ID = /^message-id:\s*(<[^>\r\n]+>)/im;

/**
 * The SMTP server: no TLS, no authentication, every recipient taken; a message is keyed by its
 * Message-ID header (the server makes it from the interaction id), so a repeat counts once.
 */
export async function startSmtpSink(): Promise<Sink> {
  const arrivals = new Arrivals();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    // A reverse DNS lookup per connection would time the resolver, not the sender.
    disableReverseLookup: true,
    logger: false,
    onData(stream, _session, callback) {
      let head = Buffer.alloc(0);
      let bytes = 0;
      stream.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (head.length < HEADER_MAX_BYTES) head = Buffer.concat([head, chunk.subarray(0, HEADER_MAX_BYTES - head.length)]);
      });
      stream.on('end', () => {
        const headerEnd = head.indexOf('\r\n\r\n');
        const id = MESSAGE_ID.exec(head.subarray(0, headerEnd < 0 ? head.length : headerEnd).toString('latin1'))?.[1];
        if (id === undefined) {
          arrivals.malformed();
          callback(Object.assign(new Error('5.6.0 No Message-ID'), { responseCode: 550 }));
          return;
        }
        arrivals.record(id, bytes);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, arrivals, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
