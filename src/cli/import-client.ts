import { createReadStream } from 'node:fs';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { CliError, EXIT } from './import-args.js';

/*
 * What `npm run import` asks of the API: the same endpoints any client uses (GraphQL over HTTP,
 * graphql-ws, POST /imports), with plain query strings, so the CLI needs nothing generated.
 */

/** The `ImportProgress` fields the CLI draws. */
export interface ProgressSnapshot {
  readonly state: string;
  readonly rowsRead: number;
  readonly rowsAccepted: number;
  readonly rowsRejected: number;
  readonly rowsCorrected: number;
  readonly batchesMerged: number;
  readonly batchesTotal: number;
  readonly bytesRead: number;
  readonly bytesTotal: number;
  readonly rowsPerSecond: number | null;
  readonly etaSeconds: number | null;
}

export interface Access {
  readonly role: string;
  readonly templateName: string;
  readonly profile: string;
}

export interface StartedJob {
  readonly id: string;
  /** Absolute URL of the job's report. */
  readonly reportUrl: string;
  /** Data rows in the file as counted while sending it (lines after the header): what the bar of PARSING goes up to. */
  readonly rowsInFile: number;
}

export interface ErrorCodeCount {
  readonly code: string;
  readonly count: number;
}

export interface JobSummary {
  readonly id: string;
  readonly state: string;
  readonly dryRun: boolean;
  readonly fileName: string;
  readonly fileSizeBytes: number;
  readonly templateName: string;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  /** Absolute URL of the job's report. */
  readonly reportUrl: string;
  readonly failure: { code: string; message: string } | null;
  readonly progress: { rowsRead: number; rowsAccepted: number; rowsRejected: number; rowsCorrected: number; rowsFiltered: number };
  readonly phases: readonly { phase: string; seconds: number | null }[];
  /** Rejected rows per error code, most frequent first, over the whole job. */
  readonly errorCodes: readonly ErrorCodeCount[];
}

const ACCESS_QUERY = `query CliImportAccess($template: ID!) {
  viewer { role }
  template: node(id: $template) { __typename ... on ImportTemplate { name profile } }
}`;

const PROGRESS_SUBSCRIPTION = `subscription CliImportProgress($jobId: ID!) {
  importProgress(jobId: $jobId) {
    state rowsRead rowsAccepted rowsRejected rowsCorrected batchesMerged batchesTotal bytesRead bytesTotal rowsPerSecond etaSeconds
  }
}`;

const SUMMARY_QUERY = `query CliImportSummary($id: ID!) {
  importJob(id: $id) {
    id state dryRun fileName fileSizeBytes templateName createdAt startedAt finishedAt reportUrl
    failure { code message }
    progress { rowsRead rowsAccepted rowsRejected rowsCorrected rowsFiltered }
    phases { phase seconds }
    errorCounts { code rows }
  }
}`;

const UPLOAD_CHUNK_BYTES = 1024 * 1024;

interface ServerErrorBody {
  errors?: { message?: string }[];
  userErrors?: { code?: string; message?: string }[];
}

/** The server's own words from an error response (JSON `errors` / `userErrors`, else its text). */
async function serverMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as ServerErrorBody;
    const messages = [...(body.errors ?? []).map((error) => error.message), ...(body.userErrors ?? []).map((error) => `${error.code}: ${error.message}`)];
    if (messages.length) return messages.join('; ');
  } catch {
    // not JSON: the text itself
  }
  return text.trim().slice(0, 300) || response.statusText;
}

async function httpError(response: Response, what: string): Promise<CliError> {
  const message = await serverMessage(response);
  if (response.status === 401) return new CliError(`The server refused the API key (HTTP 401): ${message}`, EXIT.NOT_COMPLETED);
  if (response.status === 403) return new CliError(`The API key may not ${what} (HTTP 403): ${message}`, EXIT.NOT_COMPLETED);
  return new CliError(`Could not ${what} (HTTP ${response.status}): ${message}`, EXIT.NOT_COMPLETED);
}

function unreachable(baseUrl: string, error: unknown): CliError {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const detail = cause instanceof Error ? ((cause as NodeJS.ErrnoException).code ?? cause.message) : String(cause);
  return new CliError(`Cannot reach the server at ${baseUrl} (${detail}): is it running? Start it with \`npm start\`, or pass --url.`, EXIT.NOT_COMPLETED);
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/** A CloseEvent-like failure of graphql-ws (the socket closed), or anything else it rejects with. */
function streamError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  const close = error as { code?: unknown; reason?: unknown };
  if (typeof close.code === 'number') {
    if (close.code === 4403) return new CliError('The server refused the API key on the WebSocket (4403 Forbidden).', EXIT.NOT_COMPLETED);
    return new CliError(`The progress stream closed (${close.code}${close.reason ? ` ${String(close.reason)}` : ''}).`, EXIT.NOT_COMPLETED);
  }
  return new CliError(`The progress stream failed: ${error instanceof Error ? error.message : String((error as { message?: unknown }).message ?? error)}`, EXIT.NOT_COMPLETED);
}

const NEWLINE = 0x0a;

/** Lines seen in a file as it streams by: its data rows, near enough (a quoted line break counts as one more). */
class LineCounter {
  private lines = 0;
  private last = -1;

  see(chunk: Buffer): void {
    for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, at + 1)) this.lines += 1;
    if (chunk.length) this.last = chunk[chunk.length - 1];
  }

  /** Lines after the header (a last line without a line break counts). */
  get dataRows(): number {
    const lines = this.lines + (this.last !== -1 && this.last !== NEWLINE ? 1 : 0);
    return Math.max(0, lines - 1);
  }
}

/** The file in 1 MiB chunks, reporting the bytes handed to the connection so far, and counting its lines. */
async function* fileChunks(file: string, counter: LineCounter, onBytes: (sent: number) => void): AsyncGenerator<Buffer> {
  let sent = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: UPLOAD_CHUNK_BYTES })) {
    const buffer = chunk as Buffer;
    counter.see(buffer);
    sent += buffer.length;
    yield buffer;
    onBytes(sent);
  }
}

export class ImportApi {
  constructor(
    private readonly baseUrl: string,
    private readonly key: string,
  ) {}

  /** An absolute URL of this server for a path the API returns (`/imports/…/report.csv`). */
  absolute(pathname: string): string {
    return `${this.baseUrl}${pathname}`;
  }

  private async fetch(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, headers: { ...init.headers, authorization: `Bearer ${this.key}` } });
    } catch (error) {
      if (isAbort(error)) throw error;
      throw unreachable(this.baseUrl, error);
    }
  }

  private async graphql<TData>(query: string, variables: Record<string, unknown>, what: string): Promise<TData> {
    const response = await this.fetch(this.absolute('/graphql'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    if (!response.ok) throw await httpError(response, what);
    const body = (await response.json()) as { data?: TData; errors?: { message: string }[] };
    if (body.errors?.length || !body.data) {
      throw new CliError(`Could not ${what}: ${body.errors?.map((error) => error.message).join('; ') ?? 'no data'}`, EXIT.NOT_COMPLETED);
    }
    return body.data;
  }

  /** Checks the key and the template before a large file is sent: both failures are cheap to hear about first. */
  async checkAccess(templateId: string): Promise<Access> {
    const data = await this.graphql<{ viewer: { role: string }; template: { __typename: string; name?: string; profile?: string } | null }>(
      ACCESS_QUERY,
      { template: templateId },
      'check the API key',
    );
    if (data.viewer.role === 'VIEWER') throw new CliError('The API key is a VIEWER key: imports need a key that may write.', EXIT.NOT_COMPLETED);
    if (data.template?.__typename !== 'ImportTemplate' || !data.template.name || !data.template.profile) {
      throw new CliError(`No import template ${templateId} in your org (list them with: { importTemplates { nodes { id name profile } } }).`, EXIT.NOT_COMPLETED);
    }
    return { role: data.viewer.role, templateName: data.template.name, profile: data.template.profile };
  }

  /** Streams the file to `POST /imports` and returns the queued job. */
  async upload(
    file: string,
    options: { templateId: string; fileName: string; dryRun: boolean; onBytes: (sent: number) => void; signal: AbortSignal },
  ): Promise<StartedJob> {
    const query = new URLSearchParams({ templateId: options.templateId, fileName: options.fileName });
    if (options.dryRun) query.set('dryRun', 'true');
    const lines = new LineCounter();
    const response = await this.fetch(this.absolute(`/imports?${query}`), {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: fileChunks(file, lines, options.onBytes),
      // A streamed request body (the file is never held whole) must say so.
      duplex: 'half',
      signal: options.signal,
    });
    if (response.status !== 202) throw await httpError(response, 'start the import');
    const body = (await response.json()) as { job: { id: string }; reportUrl: string };
    return { id: body.job.id, reportUrl: this.absolute(body.reportUrl), rowsInFile: lines.dataRows };
  }

  /**
   * Follows `importProgress` until the job ends (the subscription completes) and returns the
   * last snapshot; an aborted signal stops watching (undefined), the job going on.
   */
  async watch(jobId: string, onProgress: (progress: ProgressSnapshot) => void, signal: AbortSignal): Promise<ProgressSnapshot | undefined> {
    const client = createClient({
      url: this.absolute('/graphql').replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${this.key}` },
      // A dropped connection resubscribes, and the first message is the current state again.
      retryAttempts: 5,
      shouldRetry: (error) => (error as { code?: unknown }).code !== 4403,
    });
    const results = client.iterate<{ importProgress: ProgressSnapshot }>({ query: PROGRESS_SUBSCRIPTION, variables: { jobId } });
    const stop = (): void => void results.return?.();
    signal.addEventListener('abort', stop, { once: true });
    let last: ProgressSnapshot | undefined;
    try {
      for await (const result of results) {
        if (result.errors?.length) throw new CliError(`Could not watch the job: ${result.errors.map((error) => error.message).join('; ')}`, EXIT.NOT_COMPLETED);
        if (!result.data) continue;
        last = result.data.importProgress;
        onProgress(last);
      }
    } catch (error) {
      throw streamError(error);
    } finally {
      signal.removeEventListener('abort', stop);
      await client.dispose();
    }
    if (signal.aborted) return undefined;
    if (!last) throw new CliError('The progress stream ended without a message.', EXIT.NOT_COMPLETED);
    return last;
  }

  /** The ended job: its counts, timings, failure, and its error codes ranked by count. */
  async summary(jobId: string): Promise<JobSummary> {
    type Summary = Omit<JobSummary, 'errorCodes'> & { errorCounts: { code: string; rows: number }[] };
    const data = await this.graphql<{ importJob: Summary | null }>(SUMMARY_QUERY, { id: jobId }, 'read the job');
    if (!data.importJob) throw new CliError(`The job ${jobId} is gone from the server.`, EXIT.NOT_COMPLETED);
    const { errorCounts, ...job } = data.importJob;
    return { ...job, reportUrl: this.absolute(job.reportUrl), errorCodes: errorCounts.map(({ code, rows }) => ({ code, count: rows })) };
  }
}
