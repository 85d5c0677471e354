import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Org } from '../domain/org/org.entity.js';

export const IMPORT_PROFILES = [
  'LOYALTY_CUSTOMERS',
  'CARDS',
  'CARD_SERIES',
  'COUPON_REDEMPTIONS',
  'CUSTOMER_STATUS',
  'ENTITY_LIFE_CYCLE',
  'USER_SUBSCRIPTIONS',
  'FRAUD_STATUS',
  'EARNED_BADGES',
  'TRANSACTIONS',
] as const;
export type ImportProfileName = (typeof IMPORT_PROFILES)[number];

export const IMPORT_JOB_STATES = [
  'QUEUED',
  'PARSING',
  'VALIDATING',
  'STAGED',
  'MERGING',
  'COMPLETED',
  'COMPLETED_WITH_ERRORS',
  'FAILED',
  'CANCELLED',
] as const;
export type ImportJobState = (typeof IMPORT_JOB_STATES)[number];

export const IMPORT_ISSUE_KINDS = ['ERROR', 'CORRECTION'] as const;
export type ImportIssueKind = (typeof IMPORT_ISSUE_KINDS)[number];

/** How an import reads a CSV: a profile, the mapping of CSV headers to the profile's fields, and its options. */
export const ImportTemplate = defineEntity({
  name: 'ImportTemplate',
  indexes: [
    {
      name: 'import_template_org_name_unique',
      expression: 'create unique index "import_template_org_name_unique" on "import_template" ("org_id", lower("name")) where "deleted_at" is null',
    },
  ],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    name: p.string().length(200),
    profile: p.enum(() => IMPORT_PROFILES),
    /** [{ header, field }]: which CSV column feeds which field of the profile. */
    mapping: p.json<{ header: string; field: string }[]>(),
    options: p.json<Record<string, unknown>>().defaultRaw(`'{}'`).onCreate(() => ({})),
    createdBy: p.string().length(100),
    createdAt: p.datetime(3),
    updatedAt: p.datetime(3),
    /** Templates are retired, not erased: jobs keep pointing at what they ran with. */
    deletedAt: p.datetime(3).nullable(),
  },
});
export type IImportTemplate = InferEntity<typeof ImportTemplate>;

/** An uploaded CSV, stored in the database in chunks so that any worker process can read it, and a report can re-read it. */
export const ImportFile = defineEntity({
  name: 'ImportFile',
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    name: p.string().length(300),
    sizeBytes: p.bigint('number').default(0),
    sha256: p.string().length(64).nullable(),
    /** False while the upload is still arriving (or was abandoned). */
    complete: p.boolean().default(false),
    createdAt: p.datetime(3),
  },
});
export type IImportFile = InferEntity<typeof ImportFile>;

export const ImportFileChunk = defineEntity({
  name: 'ImportFileChunk',
  uniques: [{ properties: ['file', 'seq'] }],
  properties: {
    id: p.bigint('number').primary(),
    file: () => p.manyToOne(ImportFile).deleteRule('cascade'),
    seq: p.integer(),
    data: p.blob(),
  },
});
export type IImportFileChunk = InferEntity<typeof ImportFileChunk>;

/** One run of a template over a file: its state machine, counters and timings. */
export const ImportJob = defineEntity({
  name: 'ImportJob',
  indexes: [{ properties: ['org', 'createdAt'] }, { properties: ['state'] }],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    template: () => p.manyToOne(ImportTemplate).nullable(),
    /** What the job runs with, copied from the template at start: later edits of the template do not change it. */
    templateName: p.string().length(200),
    profile: p.enum(() => IMPORT_PROFILES),
    mapping: p.json<{ header: string; field: string }[]>(),
    options: p.json<Record<string, unknown>>().defaultRaw(`'{}'`).onCreate(() => ({})),
    file: () => p.manyToOne(ImportFile),
    dryRun: p.boolean().default(false),
    state: p.enum(() => IMPORT_JOB_STATES).default('QUEUED'),
    /** Bytes of the file read so far (for the ETA while parsing). */
    bytesRead: p.bigint('number').default(0),
    rowsRead: p.integer().default(0),
    rowsAccepted: p.integer().default(0),
    rowsRejected: p.integer().default(0),
    rowsCorrected: p.integer().default(0),
    rowsFiltered: p.integer().default(0),
    /** Rows that passed every check and wait to be merged (known once validated). */
    rowsValid: p.integer().default(0),
    batchesTotal: p.integer().default(0),
    batchesMerged: p.integer().default(0),
    /** Failed attempts so far; a failed merge is retried automatically up to 3 times. */
    attempts: p.integer().default(0),
    failureCode: p.string().length(64).nullable(),
    failureMessage: p.text().nullable(),
    /** Whether `importReplay` may run the job again (a failed merge, not a bad file). */
    replayable: p.boolean().default(false),
    /** { PHASE: { startedAt, finishedAt } } */
    phases: p.json<Record<string, { startedAt: string; finishedAt?: string }>>().defaultRaw(`'{}'`).onCreate(() => ({})),
    /** Increases with every progress snapshot, so watchers can drop stale ones. */
    progressSeq: p.integer().default(0),
    cancelRequestedAt: p.datetime(3).nullable(),
    createdBy: p.string().length(100),
    createdAt: p.datetime(3),
    startedAt: p.datetime(3).nullable(),
    finishedAt: p.datetime(3).nullable(),
    updatedAt: p.datetime(3),
    /** When retention removed the job's file content and row issues (its counts and timings stay). */
    purgedAt: p.datetime(3).nullable(),
    /** Rows per issue code when retention removed the issues: { ERROR: { code: rows }, CORRECTION: { … } }. */
    purgedIssueCounts: p.json<Record<string, Record<string, number>>>().nullable(),
  },
});
export type IImportJob = InferEntity<typeof ImportJob>;

/**
 * An error or an auto-correction of one input row. Unique per job, row, kind, code and field, so
 * that validating a file again (after a restart) finds the same issues without repeating them.
 */
export const ImportRowIssue = defineEntity({
  name: 'ImportRowIssue',
  uniques: [{ properties: ['job', 'row', 'kind', 'code', 'field'] }],
  indexes: [{ properties: ['job', 'kind', 'id'] }, { properties: ['job', 'row'] }],
  properties: {
    id: p.bigint('number').primary(),
    job: () => p.manyToOne(ImportJob).deleteRule('cascade'),
    /** Data row number in the file: 1 is the first row after the header. */
    row: p.integer(),
    /** Line of the file the row starts on (rows may span lines). */
    line: p.integer(),
    kind: p.enum(() => IMPORT_ISSUE_KINDS),
    code: p.string().length(64),
    /** The profile field (or CSV header) concerned; '' when none. */
    field: p.string().length(100).default(''),
    /** The value as read (errors) or before the correction. */
    value: p.text().nullable(),
    /** The value after the correction. */
    corrected: p.text().nullable(),
    message: p.text(),
  },
});
export type IImportRowIssue = InferEntity<typeof ImportRowIssue>;

/** A merged batch: written in the batch's own transaction, so a retried merge never applies a batch twice. */
export const ImportMergeBatch = defineEntity({
  name: 'ImportMergeBatch',
  uniques: [{ properties: ['job', 'batch'] }],
  properties: {
    id: p.bigint('number').primary(),
    job: () => p.manyToOne(ImportJob).deleteRule('cascade'),
    batch: p.integer(),
    rowsApplied: p.integer(),
    /** Whether the batch was written the guarded way (each row's keys checked by the tables' own triggers, ON CONFLICT) rather than with its keys checked once. */
    guarded: p.boolean().default(false),
    mergedAt: p.datetime(3),
  },
});
export type IImportMergeBatch = InferEntity<typeof ImportMergeBatch>;
