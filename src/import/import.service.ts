import { selectRows, toId } from '../core/sql/rows.js';
import { inTransaction } from '../core/sql/transaction.js';
import { DomainError } from '../core/errors.js';
import type { ServiceContext } from '../domain/context.js';
import type { ImportQueue } from './import-queue.js';
import { recordAudit } from '../domain/audit/audit.service.js';
import type { StoredFile } from './file-store.js';
import { ImportErrorCode } from './import.errors.js';
import type { ImportJobState, ImportProfileName } from './import.entity.js';
import { assertMayImport, type ImportCaller } from './import-rights.js';
import { createJob, lockJob, reopenForReplay } from './job-store.js';

/** A failed job may be replayed for this long after it was created. */
export const REPLAY_WINDOW_DAYS = 7;
const DAY_MS = 86_400_000;

interface TemplateSnapshot {
  readonly id: string;
  readonly name: string;
  readonly profile: ImportProfileName;
  readonly mapping: readonly { readonly field: string }[];
  readonly options: Record<string, unknown> | null;
}

/**
 * The template a job is to run with, if its caller may run it; a retired or foreign template is
 * not found. Checked at every start: a template an ADMIN saved is there for every writer key.
 */
export async function requireTemplate(ctx: ServiceContext & ImportCaller, templateId: number | undefined): Promise<TemplateSnapshot> {
  const rows =
    templateId === undefined
      ? []
      : await selectRows<TemplateSnapshot>(ctx.em, 'select id, name, profile, mapping, options from import_template where org_id = ? and id = ? and deleted_at is null', [
          ctx.org.id,
          templateId,
        ]);
  if (!rows[0]) throw new DomainError(ImportErrorCode.TEMPLATE_NOT_FOUND, 'No import template with this id in your org.', ['input', 'templateId']);
  assertMayImport(ctx, rows[0]);
  return rows[0];
}

export interface ImportStart {
  readonly templateId: number | undefined;
  readonly file: StoredFile;
  readonly dryRun: boolean;
}

/**
 * Creates a job for a stored file and queues it, in one transaction: the job exists exactly when
 * its queue entry does. The job copies the template, so later edits of the template do not change it.
 */
export async function startImport(ctx: ServiceContext & ImportCaller, queue: ImportQueue, start: ImportStart): Promise<number> {
  return inTransaction(ctx, async (tx) => {
    const template = await requireTemplate(tx, start.templateId);
    const jobId = await createJob(tx, template, start.file.id, start.dryRun);
    await queue.sendImport({ importJobId: jobId, orgId: tx.org.id, startedBy: tx.actor }, { tx: tx.em });
    await recordAudit(tx, {
      action: 'importStart',
      subjectType: 'ImportJob',
      subjectId: jobId,
      details: { template: template.name, file: start.file.name, sizeBytes: start.file.sizeBytes, sha256: start.file.sha256, dryRun: start.dryRun },
    });
    return jobId;
  });
}

/**
 * Runs a job that failed after its automatic retries again, from where it stopped: within 7 days
 * of its creation, and only when its file was fine (a merge that kept failing, not a bad file).
 */
export async function replayImport(ctx: ServiceContext & ImportCaller, queue: ImportQueue, jobId: number | undefined): Promise<number> {
  return inTransaction(ctx, async (tx) => {
    const job = await lockJob(tx, jobId);
    // The replay runs the job's own copy of its template, with the rights of who replays it.
    assertMayImport(ctx, job);
    const id = toId(job.id);
    if (job.state !== 'FAILED' || !job.replayable) {
      throw new DomainError(
        ImportErrorCode.IMPORT_NOT_REPLAYABLE,
        job.state === 'FAILED' ? 'The job failed because of its file; fix the file and start a new import.' : `Only a failed job can be replayed; this one is ${job.state}.`,
        ['input', 'id'],
      );
    }
    const now = tx.clock.now();
    const deadline = new Date(new Date(job.createdAt).getTime() + REPLAY_WINDOW_DAYS * DAY_MS);
    if (now.getTime() > deadline.getTime()) {
      throw new DomainError(
        ImportErrorCode.IMPORT_REPLAY_WINDOW_CLOSED,
        `The job was created on ${new Date(job.createdAt).toISOString()}; it could be replayed until ${deadline.toISOString()}.`,
        ['input', 'id'],
      );
    }
    // Staged rows are kept for a failed job: it resumes merging; otherwise it reads its file again.
    const resumeState: ImportJobState = 'STAGED' in job.phases ? 'STAGED' : 'QUEUED';
    await reopenForReplay(tx, id, resumeState, now);
    await queue.sendImport({ importJobId: id, orgId: tx.org.id, startedBy: tx.actor }, { tx: tx.em });
    await recordAudit(tx, { action: 'importReplay', subjectType: 'ImportJob', subjectId: id, details: { resumeState } });
    return id;
  });
}

/** Until when a failed job may be replayed (null when it may not). */
export function replayableUntil(job: { readonly state: ImportJobState; readonly replayable: boolean; readonly createdAt: Date }): Date | null {
  return job.state === 'FAILED' && job.replayable ? new Date(job.createdAt.getTime() + REPLAY_WINDOW_DAYS * DAY_MS) : null;
}
