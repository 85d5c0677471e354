import { print } from 'graphql';
import type { Client } from 'graphql-ws';
import {
  ImportJobDetailsDocument,
  ImportProgressWatchDocument,
  ImportStartDocument,
  ImportTemplateCreateDocument,
  type ImportJobDetailsQuery,
  type ImportProgressPartsFragment,
} from '../generated/graphql.js';
import type { ImportOptionsInput, ImportTemplateCreateInput } from '../generated/schema-types.js';
import { typedRequest, wsClient, type GqlClient } from './client.js';
import type { TestServer } from './server.js';
import type { TestOrg } from './world.js';

export type Progress = ImportProgressPartsFragment;
export type JobDetails = NonNullable<ImportJobDetailsQuery['importJob']>;

const TERMINAL = ['COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED', 'CANCELLED'];

export async function createTemplate(client: GqlClient, input: ImportTemplateCreateInput): Promise<string> {
  const response = await typedRequest(client, ImportTemplateCreateDocument, { input });
  const created = response.data?.importTemplateCreate;
  if (!created?.template) throw new Error(`Could not create the template: ${JSON.stringify(response.errors ?? created?.userErrors)}`);
  return created.template.id;
}

/** The code of the org's first store (every customer row needs one). */
export async function storeCodeOf(server: TestServer, org: TestOrg): Promise<string> {
  return (await server.em().execute<{ code: string }[]>('select code from store where id = ?', [org.storeIds[0]]))[0].code;
}

/** The smallest Loyalty Customers template: Mobile, First Name and Store columns (and `more`). */
export function customersTemplate(client: GqlClient, options?: ImportOptionsInput, more: ImportTemplateCreateInput['mapping'] = []): Promise<string> {
  return createTemplate(client, {
    name: ['Customers', ...more.map((column) => column.header)].join(' + '),
    profile: 'LOYALTY_CUSTOMERS',
    mapping: [
      { header: 'Mobile', field: 'mobile' },
      { header: 'First Name', field: 'firstName' },
      { header: 'Store', field: 'storeCode' },
      ...more,
    ],
    ...(options ? { options } : {}),
  });
}

/** Starts an import of an inline CSV; returns the job id. */
export async function startInlineImport(client: GqlClient, templateId: string, csv: string, dryRun = false): Promise<string> {
  const response = await typedRequest(client, ImportStartDocument, { input: { templateId, csv, dryRun } });
  const started = response.data?.importStart;
  if (!started?.job) throw new Error(`Could not start the import: ${JSON.stringify(response.errors ?? started?.userErrors)}`);
  return started.job.id;
}

/** Every progress message of a job until it ends (the subscription completes). */
export function watchProgress(client: Client, jobId: string): Promise<Progress[]> {
  return new Promise((resolve, reject) => {
    const seen: Progress[] = [];
    client.subscribe<{ importProgress: Progress }>(
      { query: print(ImportProgressWatchDocument), variables: { jobId } },
      {
        next: (value) => {
          if (value.errors) reject(new Error(JSON.stringify(value.errors)));
          else if (value.data) seen.push(value.data.importProgress);
        },
        error: (error: unknown) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
        complete: () => resolve(seen),
      },
    );
  });
}

/** Waits (through the subscription) for a job to end and returns its details. */
export async function finishedJob(server: { wsUrl: string }, client: GqlClient, key: string, jobId: string): Promise<JobDetails> {
  const ws = wsClient(server.wsUrl, key);
  try {
    const progress = await watchProgress(ws, jobId);
    const last = progress.at(-1);
    if (!last || !TERMINAL.includes(last.state)) throw new Error(`The progress stream ended without a terminal state: ${JSON.stringify(last)}`);
  } finally {
    await ws.dispose();
  }
  return jobDetails(client, jobId);
}

export async function jobDetails(client: GqlClient, id: string, variables: { errorCode?: string; first?: number; after?: string } = {}): Promise<JobDetails> {
  const response = await typedRequest(client, ImportJobDetailsDocument, { id, first: 100, ...variables } as never);
  if (!response.data?.importJob) throw new Error(`No job ${id}: ${JSON.stringify(response.errors)}`);
  return response.data.importJob;
}

/** A CSV from rows of cells (quoted where needed). */
export function csv(rows: readonly (readonly (string | number)[])[]): string {
  return `${rows.map((row) => row.map((cell) => (/[",\n\r]/.test(String(cell)) ? `"${String(cell).replaceAll('"', '""')}"` : String(cell))).join(',')).join('\n')}\n`;
}

export interface ImportRun {
  readonly server: { wsUrl: string };
  readonly client: GqlClient;
  readonly key: string;
}

/** Creates a template of `template` and imports the rows (a header from the mapping first); returns the ended job. */
export async function importRows(
  run: ImportRun,
  template: Omit<ImportTemplateCreateInput, 'name'>,
  rows: readonly (readonly (string | number)[])[],
  dryRun = false,
): Promise<JobDetails> {
  const templateId = await createTemplate(run.client, { name: `${template.profile} ${Math.random()}`, ...template });
  const jobId = await startInlineImport(run.client, templateId, csv([template.mapping.map((entry) => entry.header), ...rows]), dryRun);
  return finishedJob(run.server, run.client, run.key, jobId);
}

/** A job's error codes by row, each row's sorted (the first 100 errors: tests keep below that). */
export function errorsByRow(job: JobDetails): Record<number, string[]> {
  const byRow: Record<number, string[]> = {};
  for (const error of job.errors.nodes) (byRow[error.row] ??= []).push(error.code);
  for (const codes of Object.values(byRow)) codes.sort();
  return byRow;
}
