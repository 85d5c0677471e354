import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { isoWallClock } from '../time.js';

/** A value COPY's text format can carry: objects and arrays travel as JSON. */
export type CopyValue = string | number | boolean | Date | null | undefined | Record<string, unknown> | readonly unknown[];

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function escapeText(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(/[\\\t\n\r]/g, (char) => ESCAPES[char] ?? char) : text;
}

/**
 * `date.toISOString()`, worked out in integers: V8 formats it through printf, which is slow for
 * the date or two an import stages per row. Years outside 1000–9999 (and invalid dates) go to
 * toISOString itself.
 */
export function isoTimestamp(date: Date): string {
  const ms = date.getTime();
  if (!(ms >= -30_610_224_000_000 && ms <= 253_402_300_799_999)) return date.toISOString();
  return isoWallClock(ms, true, 'Z');
}

/** One value in COPY's text format. */
export function encodeCopyValue(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'string') return escapeText(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value instanceof Date) return isoTimestamp(value);
  return escapeText(JSON.stringify(value));
}

export function encodeCopyRow(values: readonly CopyValue[]): string {
  let line = encodeCopyValue(values[0]);
  for (let i = 1; i < values.length; i++) line += `\t${encodeCopyValue(values[i])}`;
  return `${line}\n`;
}

/** Below V8's large-object size even for two-byte text, so every chunk dies young. */
const CHUNK_CHARS = 32 * 1024;

/**
 * A COPY … FROM STDIN in progress: rows are encoded and sent in ~32 K-character chunks (one
 * stream write per row would cost more than the encoding); a write waits when PostgreSQL is behind.
 */
export class CopyWriter {
  private chunk = '';
  private readonly stream: NodeJS.WritableStream & { on(event: string, listener: (...args: unknown[]) => void): unknown; destroy(error?: Error): void };
  private readonly done: Promise<void>;
  private failure: unknown;

  constructor(client: ClientBase, statement: string) {
    const copy = client.query(copyFrom(statement));
    this.stream = copy;
    this.done = new Promise<void>((resolve, reject) => {
      copy.on('finish', () => resolve());
      copy.on('error', (error: unknown) => {
        this.failure = error;
        reject(error);
      });
    });
    this.done.catch(() => undefined);
  }

  /**
   * Adds a row: its row and line numbers, then `values` (no array of all three is built for each of
   * a file's rows). Returns a promise to wait for only when PostgreSQL is behind (no await per row).
   */
  writeNumbered(row: number, line: number, values: readonly CopyValue[]): Promise<void> | undefined {
    this.chunk += values.length === 0 ? `${row}\t${line}\n` : `${row}\t${line}\t${encodeCopyRow(values)}`;
    return this.chunk.length >= CHUNK_CHARS ? this.send() : undefined;
  }

  private send(): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure);
    const text = this.chunk;
    this.chunk = '';
    if (this.stream.write(text)) return undefined;
    return new Promise<void>((resolve, reject) => {
      this.stream.once('drain', () => resolve());
      this.done.catch(reject);
    });
  }

  async finish(): Promise<void> {
    if (this.chunk) await this.send();
    this.stream.end();
    await this.done;
  }

  /**
   * Abandons the COPY (PostgreSQL gets a CopyFail and rolls it back). Needed before the connection
   * can run anything else: a query sent while a COPY is open would wait for it forever.
   */
  async abort(reason: string): Promise<void> {
    if (this.failure) return;
    this.chunk = '';
    this.stream.destroy(new Error(reason));
    await this.done.catch(() => undefined);
  }
}

/** Loads rows with one COPY (e.g. a whole table of generated rows). */
export async function copyRows(client: ClientBase, statement: string, rows: Iterable<readonly CopyValue[]>): Promise<void> {
  function* chunks(): Generator<string> {
    let chunk = '';
    for (const row of rows) {
      chunk += encodeCopyRow(row);
      if (chunk.length >= CHUNK_CHARS) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  await pipeline(Readable.from(chunks(), { objectMode: false }), client.query(copyFrom(statement)));
}
