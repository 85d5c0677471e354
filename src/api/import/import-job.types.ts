import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { connectionType, Node } from '../relay.js';
import { DateTimeScalar } from '../scalars.js';
import type { ImportJobState, ImportProfileName } from '../../import/import.entity.js';
import { ImportJobStateEnum, ImportProfileEnum } from './import.types.js';
import { IMPORT_FILE_ERROR_CODES } from '../../import/pipeline/import-file-error.js';
import { importIssueCodeDescriptions } from '../../import/profiles/registry.js';

const ISSUE_CODE_DESCRIPTIONS = importIssueCodeDescriptions();
export const ImportIssueCodeEnum: Record<string, string> = Object.fromEntries(Object.keys(ISSUE_CODE_DESCRIPTIONS).sort().map((code) => [code, code]));
registerEnumType(ImportIssueCodeEnum, {
  name: 'ImportIssueCode',
  description: 'Why a row was rejected (errors) or what was changed in it (corrections). Stable: key on them.',
  valuesConfig: Object.fromEntries(Object.entries(ISSUE_CODE_DESCRIPTIONS).map(([code, description]) => [code, { description }])),
});

const FILE_FAILURES: Record<string, string> = {
  FILE_EMPTY: 'The file is empty.',
  FILE_ENCODING: 'The file is not UTF-8 text (UTF-16, Latin-1, …).',
  FILE_NOT_CSV: 'The file is not a CSV text file (binary data).',
  FILE_MALFORMED_CSV: 'The file is not well-formed CSV (a stray quote, …).',
  FILE_UNTERMINATED_QUOTE: 'A quoted value is never closed.',
  FILE_RECORD_TOO_LARGE: 'A record is longer than the limit (usually a missing closing quote).',
  FILE_MISSING_HEADERS: "The file lacks the header of a mandatory field of the template's mapping.",
  FILE_DUPLICATE_HEADERS: 'A mapped header appears more than once in the file.',
  PATTERN_UNSUPPORTED: "A pattern the import runs (the template's row filter, the org's mobile pattern) cannot run on the linear-time engine: it was saved before patterns were checked. Change it and upload the file again.",
  JOB_FAILED: 'The job kept failing after its automatic retries (a database or infrastructure problem): it may be replayed for 7 days.',
};
if (Object.keys(FILE_FAILURES).filter((code) => code.startsWith('FILE_')).length !== IMPORT_FILE_ERROR_CODES.length) {
  throw new Error('Every file-level error code needs a description');
}
export const ImportFailureCodeEnum = Object.fromEntries(Object.keys(FILE_FAILURES).map((code) => [code, code]));
registerEnumType(ImportFailureCodeEnum, {
  name: 'ImportFailureCode',
  description: 'Why a whole import job failed.',
  valuesConfig: Object.fromEntries(Object.entries(FILE_FAILURES).map(([code, description]) => [code, { description }])),
});

@ObjectType({ description: 'Why a job failed as a whole.' })
export class ImportFailure {
  @Field(() => ImportFailureCodeEnum, { description: 'Stable code.' })
  code!: string;

  @Field(() => String, { description: 'What happened and what to do.' })
  message!: string;
}

@ObjectType({ description: 'A snapshot of a running (or ended) import: its phase and counters.' })
export class ImportProgress {
  @Field(() => ID, { description: 'The job.' })
  jobId!: string;

  @Field(() => ImportJobStateEnum, { description: 'The phase (or terminal state).' })
  state!: ImportJobState;

  @Field(() => Int, { description: 'Data rows read from the file so far.' })
  rowsRead!: number;

  @Field(() => Int, { description: 'Rows merged into the main tables so far (in a dry run: rows that would be).' })
  rowsAccepted!: number;

  @Field(() => Int, { description: 'Rows rejected with at least one error.' })
  rowsRejected!: number;

  @Field(() => Int, { description: 'Rows with at least one auto-correction.' })
  rowsCorrected!: number;

  @Field(() => Int, { description: "Rows skipped by the template's row filter." })
  rowsFiltered!: number;

  @Field(() => Int, { description: 'Rows that passed every check (known from VALIDATING on).' })
  rowsValid!: number;

  @Field(() => Int, { description: 'Merge batches done.' })
  batchesMerged!: number;

  @Field(() => Int, { description: 'Merge batches in all (known from STAGED on).' })
  batchesTotal!: number;

  @Field(() => Float, { description: 'Bytes of the file read so far.' })
  bytesRead!: number;

  @Field(() => Float, { description: 'Size of the file in bytes.' })
  bytesTotal!: number;

  @Field(() => Float, { nullable: true, description: 'Rows per second in the current phase (for an ended job: over the whole run).' })
  rowsPerSecond!: number | null;

  @Field(() => Int, { nullable: true, description: 'Estimated seconds until the current phase ends; null when unknown.' })
  etaSeconds!: number | null;

  @Field(() => ImportFailure, { nullable: true, description: 'Why the job failed, when it did.' })
  failure!: ImportFailure | null;

  @Field(() => DateTimeScalar, { description: 'When this snapshot was taken.' })
  updatedAt!: Date;
}

@ObjectType({ description: 'An error or auto-correction of one input row.' })
export class ImportRowIssue {
  @Field(() => Int, { description: 'Data row number: 1 is the first row after the header.' })
  row!: number;

  @Field(() => Int, { description: 'Line of the file the row starts on.' })
  line!: number;

  @Field(() => ImportIssueCodeEnum, { description: 'Stable code.' })
  code!: string;

  @Field(() => String, { nullable: true, description: 'The profile field concerned.' })
  field!: string | null;

  @Field(() => String, { nullable: true, description: 'The value as read (for a correction: before it).' })
  value!: string | null;

  @Field(() => String, { nullable: true, description: 'For a correction: the value after it.' })
  correctedValue!: string | null;

  @Field(() => String, { description: 'What is wrong, or what was changed.' })
  message!: string;
}

export const ImportRowIssueConnection = connectionType(ImportRowIssue, 'ImportRowIssue');

@ObjectType({ description: 'How many rows of a job have an error (or a correction) of one code.' })
export class ImportIssueCount {
  @Field(() => ImportIssueCodeEnum, { description: 'Stable code.' })
  code!: string;

  @Field(() => Int, { description: 'Rows with an issue of this code.' })
  rows!: number;
}

@ObjectType({ description: 'Row errors of a job, streamed in batches as they are found.' })
export class ImportErrorBatch {
  @Field(() => ID, { description: 'The job.' })
  jobId!: string;

  @Field(() => [ImportRowIssue], { description: 'The errors of this batch, in the order they were found.' })
  errors!: ImportRowIssue[];
}

@ObjectType({ description: 'How long a phase of a job took.' })
export class ImportPhaseTiming {
  @Field(() => ImportJobStateEnum, { description: 'The phase.' })
  phase!: ImportJobState;

  @Field(() => DateTimeScalar, { description: 'When it started.' })
  startedAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it ended; null while running.' })
  finishedAt!: Date | null;

  @Field(() => Float, { nullable: true, description: 'Its duration in seconds; null while running.' })
  seconds!: number | null;
}

@ObjectType({ implements: Node, description: "One run of an import template over a file: its state, counters, timings, errors and report." })
export class ImportJob extends Node {
  @Field(() => String, { description: 'Name of the template, as it was when the job started.' })
  templateName!: string;

  @Field(() => ImportProfileEnum, { description: 'What it imports.' })
  profile!: ImportProfileName;

  @Field(() => String, { description: 'Name of the uploaded file.' })
  fileName!: string;

  @Field(() => Float, { description: 'Size of the file in bytes.' })
  fileSizeBytes!: number;

  @Field(() => Boolean, { description: 'A dry run checks everything and writes nothing to the main tables.' })
  dryRun!: boolean;

  @Field(() => ImportJobStateEnum, { description: 'Where the job is.' })
  state!: ImportJobState;

  @Field(() => Int, { description: 'Failed attempts so far (a failed run is retried automatically up to 3 times).' })
  attempts!: number;

  @Field(() => DateTimeScalar, { description: 'When the job was created.' })
  createdAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When a worker started it.' })
  startedAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it ended.' })
  finishedAt!: Date | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description:
      'When retention removed the uploaded file and the row errors and corrections (IMPORT_RETENTION_DAYS after the job was created, 30 by default). The job stays with its progress counts, timings and counts by code (`errorCounts`, `correctionCounts`); `errors` and `corrections` are empty from then on, and the report can no longer be downloaded.',
  })
  purgedAt!: Date | null;
}

export const ImportJobConnection = connectionType(ImportJob, 'ImportJob');
