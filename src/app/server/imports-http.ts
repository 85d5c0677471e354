import type { Readable } from 'node:stream';
import busboy from 'busboy';
import type { Request, Response, Router } from 'express';
import express from 'express';
import { idOfType, toGlobalId } from '../../api/relay.js';
import { Slots } from '../../core/sql/slots.js';
import { ForbiddenError, toUserErrors } from '../../core/errors.js';
import { assertCanWrite } from '../../domain/auth/roles.js';
import { UnsupportedPatternError } from '../../core/user-pattern.js';
import type { ApiKeyAuthenticator } from '../../domain/auth/auth.service.js';
import type { StaffAuthenticator } from '../../domain/auth/staff-oidc.js';
import { importJobById } from '../../api/import/import.loaders.js';
import { writeImportReport } from '../../import/import-report.js';
import { receiveImport } from '../../import/import-upload.js';
import { isFileFailure } from '../../import/pipeline/import-file-error.js';
import { createRequestContext, type RequestContext } from '../../api/context.js';
import { authenticateRequest, callerOf, limitUploadsPerKey } from './http-auth.js';
import type { AppRuntime } from './runtime.js';

/** How long a report download waits for a free slot before it is answered 503. */
const REPORT_WAIT_MS = 5_000;

/**
 * Plain HTTP beside GraphQL, for what GraphQL is bad at: streaming a large CSV in (`POST
 * /imports`, usable from curl) and a report out (`GET /imports/:id/report.csv`). Same API keys,
 * and staff members' tokens of their org's identity provider.
 */
export function importRoutes(runtime: AppRuntime, authenticator: ApiKeyAuthenticator, log: (message: string, error?: unknown) => void, staff?: StaffAuthenticator): Router {
  const router = express.Router();
  // A report streams for as long as its client reads, holding a database connection: a few at a
  // time per process, so downloads never take the pool from the API.
  const reportSlots = new Slots(runtime.config.importReportDownloads);

  const authenticated = authenticateRequest(authenticator, { staff });

  /** The context of a request `authenticated` let through. */
  function contextOf(res: Response): RequestContext {
    const caller = callerOf(res);
    if (!caller) throw new Error('An import route ran without authentication');
    return createRequestContext(caller, runtime.orm.em.fork({ clear: true }), { statements: 0 }, runtime);
  }

  function fail(req: Request, res: Response, error: unknown): void {
    if (!req.complete && error instanceof Error && (error as NodeJS.ErrnoException).code === 'ECONNRESET') {
      // The client broke the upload off: nothing to answer, and not a server error.
      log(`An import upload was broken off by its client (${error instanceof Error ? error.message : 'aborted'})`);
      res.destroy();
      return;
    }
    if (res.headersSent) {
      res.destroy(error instanceof Error ? error : undefined);
      return;
    }
    if (error instanceof ForbiddenError) {
      res.status(403).json({ errors: [{ message: error.message, extensions: { code: 'FORBIDDEN' } }] });
      return;
    }
    const userErrors = toUserErrors(error);
    if (userErrors) {
      res.status(422).json({ job: null, userErrors });
      return;
    }
    log('Unexpected error in an import HTTP request', error);
    res.status(500).json({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
  }

  /** The file of a multipart request (field `file`), or the raw body (text/csv, application/octet-stream, …). */
  function fileOf(req: Request): Promise<{ source: Readable; fileName: string | undefined }> {
    if (!req.is('multipart/form-data')) return Promise.resolve({ source: req, fileName: undefined });
    return new Promise((resolve, reject) => {
      const parser = busboy({ headers: req.headers, limits: { files: 1 } });
      let found = false;
      parser.on('file', (name, stream, info) => {
        if (name !== 'file' || found) {
          stream.resume();
          return;
        }
        found = true;
        resolve({ source: stream, fileName: info.filename });
      });
      parser.on('error', reject);
      parser.on('finish', () => {
        if (!found) reject(new Error('A multipart upload needs a `file` field.'));
      });
      req.pipe(parser);
    });
  }

  router.post('/imports', authenticated, limitUploadsPerKey(runtime.config.uploadsPerKey), async (req, res) => {
    const ctx = contextOf(res);
    try {
      assertCanWrite(ctx);
      const { source, fileName } = await fileOf(req);
      const jobId = await receiveImport(ctx, {
        templateId: idOfType(String(req.query.templateId ?? ''), 'ImportTemplate'),
        fileName: String(req.query.fileName ?? fileName ?? 'upload.csv'),
        dryRun: ['1', 'true', 'yes'].includes(String(req.query.dryRun ?? '').toLowerCase()),
        source,
      });
      const id = toGlobalId('ImportJob', jobId);
      res.status(202).json({ job: { id, state: 'QUEUED' }, reportUrl: `/imports/${id}/report.csv`, userErrors: [] });
    } catch (error) {
      // The body may still be arriving (a file refused as too large): read it to the end so the
      // client gets the answer rather than a reset, and do not keep the connection.
      req.resume();
      if (!req.complete) res.setHeader('connection', 'close');
      fail(req, res, error);
    }
  });

  router.get('/imports/:id/report.csv', authenticated, async (req, res) => {
    const ctx = contextOf(res);
    try {
      const jobId = idOfType(String(req.params.id), 'ImportJob');
      const job = jobId === undefined ? null : await importJobById(ctx).load(jobId);
      if (!job) {
        res.status(404).json({ errors: [{ message: 'No import job with this id in your org.', extensions: { code: 'NOT_FOUND' } }] });
        return;
      }
      if (job.purgedAt) {
        res.status(410).json({
          errors: [{ message: `The file and row issues of this import were removed on ${job.purgedAt.toISOString()} (retention): its report can no longer be built.`, extensions: { code: 'IMPORT_PURGED' } }],
        });
        return;
      }
      if (job.failureCode && isFileFailure(job.failureCode)) {
        res.status(409).json({
          errors: [{ message: `The file of this import failed as a whole (${job.failureCode}: ${job.failureMessage ?? ''}), so it has no rows to report. Fix the file and upload it again.`, extensions: { code: 'IMPORT_FILE_FAILED' } }],
        });
        return;
      }
      if (!(await reportSlots.tryAcquire(REPORT_WAIT_MS))) {
        res.status(503).setHeader('retry-after', '10');
        res.json({ errors: [{ message: 'Too many import reports are being downloaded from this server: try again in a few seconds.', extensions: { code: 'REPORTS_BUSY' } }] });
        return;
      }
      try {
        // A client that stops reading stalls the stream; cut it off rather than hold the slot.
        res.setTimeout(runtime.config.importReportIdleMs, () => res.destroy());
        res.status(200);
        res.setHeader('content-type', 'text/csv; charset=utf-8');
        // The name is built from the stored job's numeric id, never from the URL's text (a header a client could shape).
        res.setHeader('content-disposition', `attachment; filename="import-${job.id}-report.csv"`);
        await writeImportReport(ctx, job, res);
        res.end();
      } finally {
        reportSlots.release();
      }
    } catch (error) {
      // A job whose row filter was saved without the pattern check: the report cannot run it.
      if (error instanceof UnsupportedPatternError && !res.headersSent) {
        res.status(409).json({ errors: [{ message: error.message, extensions: { code: 'PATTERN_UNSUPPORTED' } }] });
        return;
      }
      fail(req, res, error);
    }
  });

  return router;
}
