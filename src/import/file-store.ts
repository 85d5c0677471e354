import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { Slots } from '../core/sql/slots.js';
import { DomainError } from '../core/errors.js';
import { ImportErrorCode } from './import.errors.js';

/**
 * Uploaded files live in the database, in 1 MiB chunks: a job survives restarts, any worker
 * process (on any machine) can read its file, and the report re-reads it. A file is streamed in
 * and out; it is never held whole in memory. Chunks are stored uncompressed (storage external):
 * compressing them costs more time than storing them, on the path of every upload.
 */
const CHUNK_BYTES = 1024 * 1024;
/** PostgreSQL's binary COPY format: the file's signature, and the end of its tuples. */
const COPY_SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const COPY_TRAILER = Buffer.from([0xff, 0xff]);

export interface StoredFile {
  readonly id: number;
  readonly name: string;
  readonly sizeBytes: number;
  readonly sha256: string;
}

export async function poolOf(em: EntityManager): Promise<Pool> {
  return (await em.getConnection().getNativeClient()) as Pool;
}

/** Streams `source` into a new stored file of the org; refuses files over `maxBytes` and files that end abruptly. */
export async function storeFile(
  em: EntityManager,
  file: { readonly orgId: number; readonly name: string; readonly now: Date; readonly maxBytes: number },
  source: AsyncIterable<Buffer | string>,
): Promise<StoredFile> {
  const pool = await poolOf(em);
  await uploadSlots.acquire();
  try {
    const client = await pool.connect();
    return await copyIntoStore(pool, client, file, source);
  } finally {
    uploadSlots.release();
  }
}

/** Writes the file through `client` (released at the end). */
async function copyIntoStore(
  pool: Pool,
  client: PoolClient,
  file: { readonly orgId: number; readonly name: string; readonly now: Date; readonly maxBytes: number },
  source: AsyncIterable<Buffer | string>,
): Promise<StoredFile> {
  let created;
  try {
    created = await client.query<{ id: string }>('insert into import_file (org_id, name, created_at) values ($1, $2, $3) returning id', [
      file.orgId,
      file.name.slice(0, 300),
      file.now,
    ]);
  } catch (error) {
    client.release();
    throw error;
  }
  const id = Number(created.rows[0].id);
  const hash = createHash('sha256');
  let size = 0;
  let seq = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  // One binary COPY for the whole file: each chunk goes to the socket as it is (an INSERT would
  // copy it into a growing message buffer several times, a few MiB of garbage per chunk).
  const copy = client.query(copyFrom('copy import_file_chunk (file_id, seq, data) from stdin with (format binary)'));
  const copied = new Promise<void>((resolve, reject) => {
    copy.on('finish', resolve);
    copy.on('error', reject);
  });
  copied.catch(() => undefined);
  const send = async (bytes: Buffer): Promise<void> => {
    if (!copy.write(bytes)) await Promise.race([new Promise((resolve) => copy.once('drain', resolve)), copied]);
  };
  const flush = async (): Promise<void> => {
    if (pendingBytes === 0) return;
    const pieces = pending;
    const length = pendingBytes;
    pending = [];
    pendingBytes = 0;
    const tuple = Buffer.alloc(2 + 4 + 8 + 4 + 4 + 4);
    tuple.writeInt16BE(3, 0);
    tuple.writeInt32BE(8, 2);
    tuple.writeBigInt64BE(BigInt(id), 6);
    tuple.writeInt32BE(4, 14);
    tuple.writeInt32BE(seq, 18);
    tuple.writeInt32BE(length, 22);
    await send(tuple);
    // The chunk's bytes go as the pieces they came in: joining them would allocate a 1 MiB buffer
    // per chunk, memory the allocator keeps.
    for (const piece of pieces) await send(piece);
    seq += 1;
  };
  let released = false;
  try {
    await send(Buffer.concat([COPY_SIGNATURE, Buffer.alloc(8)]));
    for await (const piece of source) {
      const bytes = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
      size += bytes.length;
      if (size > file.maxBytes) {
        throw new DomainError(ImportErrorCode.IMPORT_FILE_TOO_LARGE, `The file is larger than the limit of ${file.maxBytes} bytes.`, ['input', 'file']);
      }
      hash.update(bytes);
      pending.push(bytes);
      pendingBytes += bytes.length;
      if (pendingBytes >= CHUNK_BYTES) await flush();
    }
    await flush();
    copy.end(COPY_TRAILER);
    await copied;
    client.release();
    released = true;
    const sha256 = hash.digest('hex');
    await pool.query('update import_file set complete = true, size_bytes = $2, sha256 = $3 where id = $1', [id, size, sha256]);
    return { id, name: file.name, sizeBytes: size, sha256 };
  } catch (error) {
    if (!released) {
      // Abandoned mid-COPY: PostgreSQL gets a CopyFail and rolls the chunks back.
      copy.destroy(error instanceof Error ? error : new Error(String(error)));
      await copied.catch(() => undefined);
      client.release();
    }
    await pool.query('delete from import_file where id = $1', [id]).catch(() => undefined);
    // The multipart parser enforces the same limit on GraphQL uploads, with an HTTP 413 error.
    if ((error as { status?: unknown }).status === 413) {
      throw new DomainError(ImportErrorCode.IMPORT_FILE_TOO_LARGE, `The file is larger than the limit of ${file.maxBytes} bytes.`, ['input', 'file']);
    }
    throw error;
  }
}

/**
 * An upload holds a database connection while its file streams in: a few at a time per process,
 * so that slow uploads never take the pool from the API (others wait, their bytes held back by
 * TCP).
 */
const uploadSlots = new Slots(4);

/** Bytes arriving in pieces, taken from the front. */
class ByteQueue {
  private readonly chunks: Buffer[] = [];
  length = 0;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** Exactly `n` bytes (there must be that many). */
  take(n: number): Buffer {
    const first = this.chunks[0];
    if (first.length >= n) return this.takeUpTo(n);
    const parts: Buffer[] = [];
    for (let rest = n; rest > 0; ) {
      const part = this.takeUpTo(rest);
      parts.push(part);
      rest -= part.length;
    }
    return Buffer.concat(parts, n);
  }

  /** At most `n` bytes, from the first piece only: no copy. */
  takeUpTo(n: number): Buffer {
    const first = this.chunks[0];
    const part = first.length <= n ? (this.chunks.shift() as Buffer) : first.subarray(0, n);
    if (part !== first) this.chunks[0] = first.subarray(n);
    this.length -= part.length;
    return part;
  }
}

/**
 * Reads a stored file back as a stream of buffers, in order: one `COPY … TO STDOUT` in binary
 * format, its bytes passed on as they arrive from the socket. (A SELECT would bring each 1 MiB
 * chunk as a 2 MiB hex string: large objects V8 keeps until a full collection.) The connection
 * is held while the file is read; a reader that stops early closes it.
 */
export async function* readStoredFile(pool: Pool, fileId: number, signal?: AbortSignal): AsyncGenerator<Buffer> {
  const client = await pool.connect();
  let finished = false;
  try {
    const stream = client.query(
      copyTo(`copy (select seq, data from import_file_chunk where file_id = ${Math.trunc(fileId)} order by seq) to stdout with (format binary)`),
    );
    const input = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    const queue = new ByteQueue();
    const need = async (n: number): Promise<void> => {
      while (queue.length < n) {
        const next = await input.next();
        if (next.done) throw new Error(`Stored file ${fileId} ends early`);
        queue.push(next.value);
      }
    };
    await need(COPY_SIGNATURE.length + 8);
    if (!queue.take(COPY_SIGNATURE.length).equals(COPY_SIGNATURE)) throw new Error('Unexpected COPY format');
    queue.take(4);
    const extension = queue.take(4).readInt32BE(0);
    await need(extension);
    queue.take(extension);
    for (let expected = 0; ; expected++) {
      signal?.throwIfAborted();
      await need(2);
      const fields = queue.take(2).readInt16BE(0);
      if (fields === -1) break;
      await need(12);
      queue.take(4);
      const seq = queue.take(4).readInt32BE(0);
      if (seq !== expected) throw new Error(`Stored file ${fileId} is missing chunk ${expected}`);
      let rest = queue.take(4).readInt32BE(0);
      while (rest > 0) {
        await need(1);
        const piece = queue.takeUpTo(rest);
        rest -= piece.length;
        yield piece;
      }
    }
    // The stream ends after the trailer; reading it to the end leaves the connection ready for reuse.
    while (!(await input.next()).done);
    finished = true;
  } finally {
    client.release(finished ? undefined : true);
  }
}
