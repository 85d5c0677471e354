import type { Pool } from 'pg';
import { CopyWriter } from '../../core/sql/copy.js';
import { readStoredFile } from '../file-store.js';
import type { ImportJobRow } from '../import.rows.js';
import { isMandatory, PROFILE_SPECS } from '../profiles/catalog.js';
import type { ImportProfile, JobContext, StagedValue, StageTable } from '../profiles/profile.js';
import { openCsv } from './csv-reader.js';
import { IssueBuffer } from './issue-writer.js';
import type { ProgressTracker } from './progress-tracker.js';
import { compileRowFilter, CsvRowReader, layoutColumns } from './row-reader.js';

/** What the PARSING stage reads of the job's run. */
export interface StagingRun {
  readonly pool: Pool;
  readonly job: ImportJobRow;
  readonly ctx: JobContext;
  readonly profile: ImportProfile;
  readonly tracker: ProgressTracker;
  readonly signal: AbortSignal;
  /** Longest CSV record accepted, in characters. */
  readonly maxRecordChars: number;
  /** Throws at a safe point when the run must stop (a shutdown, a cancellation). */
  readonly checkpoint: () => void;
  /** Tells the job's watchers that issues up to this id are stored. */
  readonly publishIssues: (lastIssueId: number) => void;
}

/** The longest value a rejected row keeps in staging: far longer than any identifier (mobile, email, external id). */
const REJECTED_VALUE_MAX_CHARS = 1_024;

/**
 * A rejected row is staged only for the checks across rows (duplicated identifiers, all short): a
 * longer value it carries (a hostile 1 MB cell) is never one of them, and would only cost memory
 * on its way to COPY. It is staged as null; the report still reads the row from the file.
 */
function shortValuesOf(reader: CsvRowReader, values: StagedValue[]): StagedValue[] {
  if (!reader.rejected) return values;
  return values.map((value) => (typeof value === 'string' && value.length > REJECTED_VALUE_MAX_CHARS ? null : value));
}

/** PARSING: read the file, check and convert each row, COPY it (and its checks' verdict) into a fresh staging table. */
export async function stageFile(run: StagingRun, stage: StageTable): Promise<void> {
  const { pool, job, tracker } = run;
  tracker.update({ bytesRead: 0, rowsRead: 0, rowsRejected: 0, rowsCorrected: 0, rowsFiltered: 0, rowsValid: 0, rowsAccepted: 0, batchesMerged: 0 });
  await tracker.enterPhase('PARSING');
  const counters = tracker.counters;
  const spec = PROFILE_SPECS[job.profile];
  const mandatory = spec.fields.filter((field) => !field.family && isMandatory(field, job.options)).map((field) => field.key);
  // The header is read before anything is written: a file that fails there leaves no table behind.
  const file = await openCsv(readStoredFile(pool, job.fileId, run.signal), {
    maxRecordChars: run.maxRecordChars,
    onBytes: (bytes) => {
      counters.bytesRead = bytes;
    },
  });
  // Closed however staging ends: a file refused at its header still holds a connection reading it.
  try {
    const layout = layoutColumns(file.headers, job.mapping, mandatory);
    const keep = compileRowFilter(job.options.rowFilter, layout);
    const prepared = await run.profile.begin(run.ctx);
    const issues = new IssueBuffer(run.ctx.em, job.id, run.publishIssues);
    const columns = run.profile.stagingColumns;
    const client = await pool.connect();
    let copy: CopyWriter | undefined;
    try {
      await client.query('begin');
      await client.query(`drop table if exists ${stage.name}`);
      await client.query(`create table ${stage.name} (row int not null, line int not null${columns.map((column) => `, ${column.name} ${column.type}`).join('')})`);
      // Created in this transaction: COPY may write the rows frozen (and, with wal_level=minimal, without WAL).
      copy = new CopyWriter(client, `copy ${stage.name} (row, line${columns.map((column) => `, ${column.name}`).join('')}) from stdin with (format text, freeze)`);
      for await (const batch of file.batches) {
        for (const record of batch) {
          counters.rowsRead += 1;
          if ((counters.rowsRead & 1023) === 0) {
            tracker.touch();
            run.checkpoint();
          }
          if (!keep(record.fields)) {
            counters.rowsFiltered += 1;
            continue;
          }
          const reader = new CsvRowReader(record, layout);
          reader.checkColumnCount();
          // Rejected rows are staged too: a value they carry still counts for the checks across rows (duplicates).
          const values = shortValuesOf(reader, prepared.prepare(reader));
          if (reader.issues.length > 0) {
            if (reader.rejected) counters.rowsRejected += 1;
            if (reader.issues.some((issue) => issue.kind === 'CORRECTION')) counters.rowsCorrected += 1;
            const flushing = issues.add(reader.issues);
            if (flushing) await flushing;
          }
          const sending = copy.writeNumbered(record.row, record.line, values);
          if (sending) await sending;
        }
      }
      await issues.flush();
      await copy.finish();
      copy = undefined;
      await client.query(`create index on ${stage.name} using brin (row)`);
      await client.query('commit');
    } catch (error) {
      await copy?.abort(error instanceof Error ? error.message : 'aborted');
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  } finally {
    file.close();
  }
  await pool.query(`analyze ${stage.name}`);
  tracker.update({ batchesTotal: Math.ceil(counters.rowsRead / run.profile.batchRows) });
}
