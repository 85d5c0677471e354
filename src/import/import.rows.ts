import { toDate, toId, toNullableDate, toNullableString, type Row } from '../core/sql/rows.js';
import type { ImportIssueKind, ImportJobState, ImportProfileName } from './import.entity.js';
import type { ImportOptions } from './import.options.js';
import type { FieldMapping } from './profiles/catalog.js';

export interface ImportTemplateRow {
  readonly __typename: 'ImportTemplate';
  readonly id: number;
  readonly name: string;
  readonly profile: ImportProfileName;
  readonly mapping: FieldMapping[];
  readonly options: ImportOptions;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export function toImportTemplateRow(row: Row): ImportTemplateRow {
  return {
    __typename: 'ImportTemplate',
    id: toId(row.id),
    name: String(row.name),
    profile: row.profile as ImportProfileName,
    mapping: row.mapping as FieldMapping[],
    options: (row.options ?? {}) as ImportOptions,
    createdAt: toDate(row.createdAt),
    updatedAt: toDate(row.updatedAt),
  };
}

export interface ImportJobRow {
  readonly __typename: 'ImportJob';
  readonly id: number;
  readonly orgId: number;
  readonly templateId: number | null;
  readonly templateName: string;
  readonly profile: ImportProfileName;
  readonly mapping: FieldMapping[];
  readonly options: ImportOptions;
  readonly fileId: number;
  readonly fileName: string;
  readonly fileSizeBytes: number;
  readonly dryRun: boolean;
  readonly state: ImportJobState;
  readonly bytesRead: number;
  readonly rowsRead: number;
  readonly rowsAccepted: number;
  readonly rowsRejected: number;
  readonly rowsCorrected: number;
  readonly rowsFiltered: number;
  readonly rowsValid: number;
  readonly batchesTotal: number;
  readonly batchesMerged: number;
  readonly attempts: number;
  readonly failureCode: string | null;
  readonly failureMessage: string | null;
  readonly replayable: boolean;
  readonly phases: Record<string, { startedAt: string; finishedAt?: string }>;
  readonly progressSeq: number;
  readonly cancelRequestedAt: Date | null;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
  readonly updatedAt: Date;
  readonly purgedAt: Date | null;
  /** Rows per issue code, by kind, kept when retention removed the issues. */
  readonly purgedIssueCounts: Record<string, Record<string, number>> | null;
}

/** Selects a job with its file's name and size (alias `j` for the job, `f` for the file). */
export const IMPORT_JOB_SELECT = `select j.*, f.name as file_name, f.size_bytes as file_size_bytes from import_job j join import_file f on f.id = j.file_id`;

export function toImportJobRow(row: Row): ImportJobRow {
  return {
    __typename: 'ImportJob',
    id: toId(row.id),
    orgId: toId(row.orgId),
    templateId: row.templateId === null ? null : toId(row.templateId),
    templateName: String(row.templateName),
    profile: row.profile as ImportProfileName,
    mapping: row.mapping as FieldMapping[],
    options: (row.options ?? {}) as ImportOptions,
    fileId: toId(row.fileId),
    fileName: String(row.fileName),
    fileSizeBytes: Number(row.fileSizeBytes),
    dryRun: Boolean(row.dryRun),
    state: row.state as ImportJobState,
    bytesRead: Number(row.bytesRead),
    rowsRead: Number(row.rowsRead),
    rowsAccepted: Number(row.rowsAccepted),
    rowsRejected: Number(row.rowsRejected),
    rowsCorrected: Number(row.rowsCorrected),
    rowsFiltered: Number(row.rowsFiltered),
    rowsValid: Number(row.rowsValid),
    batchesTotal: Number(row.batchesTotal),
    batchesMerged: Number(row.batchesMerged),
    attempts: Number(row.attempts),
    failureCode: toNullableString(row.failureCode),
    failureMessage: toNullableString(row.failureMessage),
    replayable: Boolean(row.replayable),
    phases: (row.phases ?? {}) as ImportJobRow['phases'],
    progressSeq: Number(row.progressSeq),
    cancelRequestedAt: toNullableDate(row.cancelRequestedAt),
    createdBy: String(row.createdBy),
    createdAt: toDate(row.createdAt),
    startedAt: toNullableDate(row.startedAt),
    finishedAt: toNullableDate(row.finishedAt),
    updatedAt: toDate(row.updatedAt),
    purgedAt: toNullableDate(row.purgedAt),
    purgedIssueCounts: (row.purgedIssueCounts ?? null) as ImportJobRow['purgedIssueCounts'],
  };
}

export interface ImportIssueRow {
  readonly __typename: 'ImportRowIssue';
  readonly id: number;
  readonly jobId: number;
  readonly row: number;
  readonly line: number;
  readonly kind: ImportIssueKind;
  readonly code: string;
  readonly field: string | null;
  readonly value: string | null;
  readonly corrected: string | null;
  readonly message: string;
}

export function toImportIssueRow(row: Row): ImportIssueRow {
  return {
    __typename: 'ImportRowIssue',
    id: toId(row.id),
    jobId: toId(row.jobId),
    row: Number(row.row),
    line: Number(row.line),
    kind: row.kind as ImportIssueKind,
    code: String(row.code),
    field: row.field ? String(row.field) : null,
    value: toNullableString(row.value),
    corrected: toNullableString(row.corrected),
    message: String(row.message),
  };
}
