import { DomainError } from '../core/errors.js';
import type { ServiceContext } from '../domain/context.js';
import type { ImportServices } from './import-queue.js';
import type { ImportCaller } from './import-rights.js';
import { storeFile } from './file-store.js';
import { ImportErrorCode } from './import.errors.js';
import { requireTemplate, startImport } from './import.service.js';

export interface IncomingImport {
  readonly templateId: number | undefined;
  readonly fileName: string;
  readonly dryRun: boolean;
  readonly source: AsyncIterable<Buffer | string>;
}

/**
 * Receives a CSV for a template (GraphQL upload, inline text or `POST /imports`): checks the
 * template first, streams the file into storage, then creates and queues the job. A file whose
 * job cannot be created is not kept.
 */
/** What receiving an import takes: the caller, and the process's queue and limits. */
export type ImportRequest = ServiceContext & ImportCaller & { readonly runtime: ImportServices };

export async function receiveImport(ctx: ImportRequest, incoming: IncomingImport): Promise<number> {
  await requireTemplate(ctx, incoming.templateId);
  const file = await storeFile(
    ctx.em,
    { orgId: ctx.org.id, name: incoming.fileName || 'upload.csv', now: ctx.clock.now(), maxBytes: ctx.runtime.config.importMaxFileBytes },
    incoming.source,
  );
  try {
    return await startImport(ctx, ctx.runtime.queue, { templateId: incoming.templateId, file, dryRun: incoming.dryRun });
  } catch (error) {
    await ctx.em.execute('delete from import_file where id = ?', [file.id]).catch(() => undefined);
    throw error;
  }
}

/** An inline CSV (small files): refused when larger than the inline limit. */
export function inlineSource(ctx: ImportRequest, csv: string): AsyncIterable<Buffer> {
  const bytes = Buffer.from(csv, 'utf8');
  if (bytes.length > ctx.runtime.config.importMaxInlineBytes) {
    throw new DomainError(
      ImportErrorCode.IMPORT_FILE_TOO_LARGE,
      `Inline CSV is limited to ${ctx.runtime.config.importMaxInlineBytes} bytes; upload larger files as \`file\` or to POST /imports.`,
      ['input', 'csv'],
    );
  }
  return (async function* () {
    yield bytes;
  })();
}
