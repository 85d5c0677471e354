import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Pool } from 'pg';
import { DomainError } from '../../graphql/user-errors.js';
import { ImportErrorCode } from './import.errors.js';

/**
 * Uploaded files live in the database, in 1 MiB chunks: a job survives restarts, any worker
 * process (on any machine) can read its file, and the report re-reads it. A file is streamed in
 * and out; it is never held whole in memory.
 */
const CHUNK_BYTES = 1024 * 1024;
/** Chunks fetched per round trip when reading a file back. */
const CHUNKS_PER_READ = 4;

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
  const created = await pool.query<{ id: string }>('insert into import_file (org_id, name, created_at) values ($1, $2, $3) returning id', [
    file.orgId,
    file.name.slice(0, 300),
    file.now,
  ]);
  const id = Number(created.rows[0].id);
  const hash = createHash('sha256');
  let size = 0;
  let seq = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = async (): Promise<void> => {
    if (pendingBytes === 0) return;
    const data = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    await pool.query('insert into import_file_chunk (file_id, seq, data) values ($1, $2, $3)', [id, seq, data]);
    seq += 1;
  };
  try {
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
    const sha256 = hash.digest('hex');
    await pool.query('update import_file set complete = true, size_bytes = $2, sha256 = $3 where id = $1', [id, size, sha256]);
    return { id, name: file.name, sizeBytes: size, sha256 };
  } catch (error) {
    await pool.query('delete from import_file where id = $1', [id]).catch(() => undefined);
    // The multipart parser enforces the same limit on GraphQL uploads, with an HTTP 413 error.
    if ((error as { status?: unknown }).status === 413) {
      throw new DomainError(ImportErrorCode.IMPORT_FILE_TOO_LARGE, `The file is larger than the limit of ${file.maxBytes} bytes.`, ['input', 'file']);
    }
    throw error;
  }
}

/** Reads a stored file back as a stream of buffers, in order. */
export async function* readStoredFile(pool: Pool, fileId: number, signal?: AbortSignal): AsyncGenerator<Buffer> {
  let next = 0;
  for (;;) {
    signal?.throwIfAborted();
    const { rows } = await pool.query<{ seq: number; data: Buffer }>(
      'select seq, data from import_file_chunk where file_id = $1 and seq >= $2 order by seq limit $3',
      [fileId, next, CHUNKS_PER_READ],
    );
    if (rows.length === 0) return;
    for (const row of rows) {
      if (row.seq !== next) throw new Error(`Stored file ${fileId} is missing chunk ${next}`);
      next += 1;
      yield row.data;
    }
  }
}
