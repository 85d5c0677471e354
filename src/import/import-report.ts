import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { selectRows } from '../core/sql/rows.js';
import type { ImportRequest } from './import-upload.js';
import { poolOf, readStoredFile } from './file-store.js';
import type { ImportJobRow } from './import.rows.js';
import { openCsv, shownCell } from './pipeline/csv-reader.js';
import { compileRowFilter, layoutColumns } from './pipeline/row-reader.js';
import type { RowIssue } from './profiles/profile.js';
import { importProfile } from './profiles/registry.js';

/**
 * The CSV report of a job: every input row with its original columns, then its outcome, error
 * codes and messages, and corrections (before → after). Ready to fix and upload again: the added
 * columns are not mapped, so an import ignores them.
 *
 * Outcomes: ACCEPTED (merged), REJECTED (see the errors), FILTERED (skipped by the row filter),
 * VALID (a dry run would accept it), PENDING (not merged: the job is running, was cancelled or failed).
 */
export const REPORT_COLUMNS = ['import_outcome', 'import_error_codes', 'import_error_messages', 'import_corrections'] as const;

type IssueLine = Omit<RowIssue, 'line'>;

/** First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection). */
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);

/**
 * A cell as a spreadsheet will show it but never evaluate: one that starts like a formula is
 * prefixed with a single quote (OWASP's rule). The file's own cells come back from a stranger's
 * upload and messages echo them, so every cell goes through this. A negative number such as
 * `-12` is prefixed too and reads `'-12`: telling a number from a formula like `-1+cmd|…` would
 * need a formula parser, and a wrong guess runs code on the reader's machine, so the report
 * gives up number-ness rather than safety. The job itself read the file's own values; only a
 * report uploaded again as a file carries the quotes, to be removed before it is imported.
 */
export function neutraliseCell(value: string): string {
  return value.length > 0 && FORMULA_TRIGGERS.has(value[0]) ? `'${value}` : value;
}

/** Row issues in row order, fetched page by page as the report advances. */
class IssueCursor {
  private page: IssueLine[] = [];
  private index = 0;
  private lastRow = 0;
  private exhausted = false;

  constructor(
    private readonly ctx: ImportRequest,
    private readonly jobId: number,
  ) {}

  /** The issues of `row` (rows are asked for in increasing order). */
  async of(row: number): Promise<IssueLine[]> {
    const found: IssueLine[] = [];
    for (;;) {
      if (this.index >= this.page.length) {
        if (this.exhausted) return found;
        await this.fetch();
        if (this.page.length === 0) return found;
      }
      const next = this.page[this.index];
      if (next.row < row) {
        this.index += 1;
        continue;
      }
      if (next.row > row) return found;
      found.push(next);
      this.index += 1;
    }
  }

  private async fetch(): Promise<void> {
    const rows = await selectRows<IssueLine>(
      this.ctx.em,
      'select row, kind, code, field, value, corrected, message from import_row_issue where job_id = ? and row > ? order by row, id limit 5000',
      [this.jobId, this.lastRow],
    );
    // Keep whole rows on a page: drop the last row's issues unless the page is short (it may continue on the next).
    let usable = rows;
    if (rows.length === 5000) {
      const last = rows[rows.length - 1].row;
      usable = rows.filter((issue) => issue.row !== last);
      if (usable.length === 0) usable = rows;
    } else {
      this.exhausted = true;
    }
    this.page = usable;
    this.index = 0;
    if (usable.length > 0) this.lastRow = usable[usable.length - 1].row;
  }
}

/** Writes to the response, waiting while it is full; fails when the client went away (no 'drain' comes then). */
async function write(output: Writable, chunk: string): Promise<void> {
  if (output.destroyed) throw new Error('The client closed the connection before the report was complete');
  if (output.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    const settle = (error?: Error): void => {
      output.off('drain', drained);
      output.off('close', closed);
      if (error) reject(error);
      else resolve();
    };
    const drained = (): void => settle();
    const closed = (): void => settle(new Error('The client closed the connection before the report was complete'));
    output.on('drain', drained);
    output.on('close', closed);
  });
}

/** Streams the report of `job` to `output` (a response): never more than a page of rows and issues in memory. */
export async function writeImportReport(ctx: ImportRequest, job: ImportJobRow, output: Writable): Promise<void> {
  const pool = await poolOf(ctx.em);
  const merged = new Set(
    (await selectRows<{ batch: number }>(ctx.em, 'select batch from import_merge_batch where job_id = ?', [job.id])).map((row) => row.batch),
  );
  const batchRows = importProfile(job.profile).batchRows;
  const file = await openCsv(readStoredFile(pool, job.fileId), { maxRecordChars: ctx.runtime.config.importMaxRecordChars });
  try {
    const layout = layoutColumns(file.headers, job.mapping, []);
    const keep = compileRowFilter(job.options.rowFilter, layout);
    const issues = new IssueCursor(ctx, job.id);
    const csv = stringify();
    const lines: string[] = [];
    csv.on('data', (chunk: Buffer | string) => lines.push(chunk.toString()));
    const flush = async (): Promise<void> => {
      if (lines.length === 0) return;
      const text = lines.join('');
      lines.length = 0;
      await write(output, text);
    };
    csv.write([...file.headers.map(neutraliseCell), ...REPORT_COLUMNS]);
    const completed = job.state === 'COMPLETED' || job.state === 'COMPLETED_WITH_ERRORS';
    for await (const batch of file.batches) {
      for (const record of batch) {
        const found = await issues.of(record.row);
        const errors = found.filter((issue) => issue.kind === 'ERROR');
        const corrections = found.filter((issue) => issue.kind === 'CORRECTION');
        let outcome: string;
        if (!keep(record.fields)) outcome = 'FILTERED';
        else if (errors.length > 0) outcome = 'REJECTED';
        else if (job.dryRun) outcome = completed ? 'VALID' : 'PENDING';
        else outcome = merged.has(Math.floor((record.row - 1) / batchRows)) ? 'ACCEPTED' : 'PENDING';
        // Aligned with the header: missing trailing cells are empty; extra cells (a rejected row) are in its error message.
        const columns = file.headers.map((_, index) => shownCell(record.fields[index] ?? ''));
        csv.write(
          [
            ...columns,
            outcome,
            errors.map((issue) => issue.code).join('|'),
            errors.map((issue) => issue.message).join(' | '),
            corrections.map((issue) => `${issue.field}: ${issue.value ?? ''} → ${issue.corrected ?? ''} (${issue.code})`).join(' | '),
          ].map(neutraliseCell),
        );
        if (lines.length > 500) await flush();
      }
    }
    csv.end();
    await new Promise<void>((resolve) => csv.once('end', resolve));
    await flush();
  } finally {
    file.close();
  }
}
