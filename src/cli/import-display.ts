import type { JobSummary, ProgressSnapshot } from './import-client.js';

/*
 * What `npm run import` shows: the live progress on stderr (one redrawn line on a terminal, plain
 * lines in a log) and the summary on stdout.
 */

const TERMINAL_STATES = ['COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED', 'CANCELLED'];
const BAR_WIDTH = 20;
/** In a log (stderr not a terminal): a line per phase change, and at most one every 2 s between. */
const PLAIN_INTERVAL_MS = 2_000;
const SHOWN_ERROR_CODES = 5;

const count = new Intl.NumberFormat('en-US');

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  const whole = Math.round(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  return hours ? `${hours} h ${minutes} min` : `${minutes} min ${rest} s`;
}

/** How far the current phase is, 0–1; null when the phase has no measure (VALIDATING, STAGED). */
function phaseFraction(progress: ProgressSnapshot, rowsInFile: number | undefined): number | null {
  if (TERMINAL_STATES.includes(progress.state)) return 1;
  if (progress.state === 'QUEUED') return 0;
  if (progress.state === 'PARSING') {
    // Rows against the file's lines move smoothly; the server's bytesRead moves a stored chunk (1 MiB) at a time.
    if (rowsInFile) return Math.min(1, progress.rowsRead / rowsInFile);
    return progress.bytesTotal > 0 ? progress.bytesRead / progress.bytesTotal : null;
  }
  if (progress.state === 'MERGING') return progress.batchesTotal > 0 ? progress.batchesMerged / progress.batchesTotal : null;
  return null;
}

/** Seconds left: while parsing, the file's rows left at the current rate; else the server's estimate. */
function etaSeconds(progress: ProgressSnapshot, rowsInFile: number | undefined): number | null {
  if (TERMINAL_STATES.includes(progress.state)) return null;
  if (progress.state === 'PARSING' && rowsInFile && progress.rowsPerSecond) return Math.max(0, rowsInFile - progress.rowsRead) / progress.rowsPerSecond;
  return progress.etaSeconds;
}

function formatEta(seconds: number): string {
  return seconds < 60 ? `${Math.ceil(seconds)} s` : formatSeconds(seconds);
}

function bar(fraction: number | null): string {
  if (fraction === null) return `[${'·'.repeat(BAR_WIDTH)}]     `;
  const clamped = Math.min(1, Math.max(0, fraction));
  const filled = Math.round(clamped * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${`${Math.floor(clamped * 100)}%`.padStart(4)}`;
}

/** The counters of a snapshot; `compact` (a terminal's line) puts the rate and ETA first, where a narrow line keeps them. */
function counters(progress: ProgressSnapshot, rowsInFile: number | undefined, compact = false): string {
  const ofFile = progress.state === 'PARSING' && rowsInFile ? ` of ~${count.format(rowsInFile)}` : '';
  const counts = [
    `read ${count.format(progress.rowsRead)}${ofFile}`,
    `${compact ? 'ok' : 'accepted'} ${count.format(progress.rowsAccepted)}`,
    `rejected ${count.format(progress.rowsRejected)}`,
    `corrected ${count.format(progress.rowsCorrected)}`,
  ];
  const pace: string[] = [];
  const eta = etaSeconds(progress, rowsInFile);
  if (eta !== null) pace.push(`ETA ${formatEta(eta)}`);
  if (progress.rowsPerSecond !== null) pace.push(`${count.format(Math.round(progress.rowsPerSecond))} rows/s`);
  return (compact ? [...pace, ...counts] : [...counts, ...pace.reverse()]).join(' · ');
}

export interface ProgressView {
  /** Bytes of the file sent so far. */
  upload(sent: number, total: number): void;
  /** The data rows of the file (counted while uploading it): the measure of PARSING. */
  expectRows(rows: number): void;
  /** A message of the `importProgress` subscription. */
  progress(progress: ProgressSnapshot): void;
  /** Ends the display (a terminal's line is finished). */
  end(): void;
}

/** One line redrawn in place with `\r`; a finished phase keeps its last line. */
function terminalView(out: NodeJS.WriteStream): ProgressView {
  let rowsInFile: number | undefined;
  let phase: string | undefined;
  let drawn = false;
  const draw = (label: string, text: string): void => {
    if (drawn && label !== phase) out.write('\n');
    phase = label;
    drawn = true;
    const line = `${label.padEnd(10)} ${text}`;
    out.write(`\r${line.slice(0, Math.max(20, (out.columns ?? 120) - 1))}\x1b[K`);
  };
  return {
    upload(sent, total) {
      draw('UPLOADING', `${bar(total > 0 ? sent / total : 1)} ${formatBytes(sent)} of ${formatBytes(total)}`);
    },
    expectRows(rows) {
      rowsInFile = rows;
    },
    progress(progress) {
      draw(progress.state, `${bar(phaseFraction(progress, rowsInFile))} ${counters(progress, rowsInFile, true)}`);
    },
    end() {
      if (drawn) out.write('\n');
      drawn = false;
    },
  };
}

/** Plain lines for logs and pipes: on every phase change, else at most every 2 s. */
function plainView(out: NodeJS.WritableStream, now: () => number): ProgressView {
  let rowsInFile: number | undefined;
  let phase: string | undefined;
  let lastAt = 0;
  const print = (label: string, text: string, force = false): void => {
    const at = now();
    if (!force && label === phase && at - lastAt < PLAIN_INTERVAL_MS) return;
    phase = label;
    lastAt = at;
    out.write(`import: ${label} ${text}\n`);
  };
  return {
    upload(sent, total) {
      print('UPLOADING', `${formatBytes(sent)} of ${formatBytes(total)}`, sent === total);
    },
    expectRows(rows) {
      rowsInFile = rows;
    },
    progress(progress) {
      const fraction = phaseFraction(progress, rowsInFile);
      print(progress.state, `${fraction === null ? '' : `${Math.floor(fraction * 100)}% · `}${counters(progress, rowsInFile)}`);
    },
    end() {},
  };
}

export function progressView(out: NodeJS.WriteStream, now: () => number = Date.now): ProgressView {
  return out.isTTY ? terminalView(out) : plainView(out, now);
}

function durationLine(job: JobSummary): string {
  if (!job.finishedAt) return 'not finished';
  const finished = Date.parse(job.finishedAt);
  const total = (finished - Date.parse(job.createdAt)) / 1000;
  const details: string[] = [];
  if (job.startedAt) details.push(`queued ${formatSeconds((Date.parse(job.startedAt) - Date.parse(job.createdAt)) / 1000)}`);
  const phases = job.phases.filter((phase) => phase.seconds !== null && !TERMINAL_STATES.includes(phase.phase));
  if (phases.length) details.push(phases.map((phase) => `${phase.phase} ${formatSeconds(phase.seconds ?? 0)}`).join(' · '));
  return `${formatSeconds(Math.max(0, total))}${details.length ? ` (${details.join('; ')})` : ''}`;
}

function errorCodesLine(job: JobSummary): string | undefined {
  if (!job.errorCodes.length) return undefined;
  const shown = job.errorCodes.slice(0, SHOWN_ERROR_CODES).map((entry) => `${entry.code} × ${count.format(entry.count)}`);
  const more = job.errorCodes.length - SHOWN_ERROR_CODES;
  return `${shown.join(', ')}${more > 0 ? `, and ${more} more code${more === 1 ? '' : 's'}` : ''}`;
}

/** The ended job for stdout: state, counts, duration, the commonest error codes and the report. */
export function summaryText(job: JobSummary, options: { keyFromEnv: boolean }): string {
  const p = job.progress;
  const rows = [
    `read ${count.format(p.rowsRead)}`,
    `accepted ${count.format(p.rowsAccepted)}`,
    `rejected ${count.format(p.rowsRejected)}`,
    `corrected ${count.format(p.rowsCorrected)}`,
  ];
  if (p.rowsFiltered) rows.push(`filtered ${count.format(p.rowsFiltered)}`);
  const lines: [string, string][] = [
    ['job', job.id],
    ['file', `${job.fileName} (${formatBytes(job.fileSizeBytes)}), template "${job.templateName}"`],
    ['rows', rows.join(' · ')],
    ['duration', durationLine(job)],
  ];
  const codes = errorCodesLine(job);
  if (codes) lines.push(['errors', codes]);
  if (job.failure) lines.push(['failure', `${job.failure.code}: ${job.failure.message}`]);
  if (job.dryRun) lines.push(['dry run', 'nothing was written; "accepted" counts the rows that would be']);
  const curl = `curl -fsS -H "authorization: Bearer $LOYALTY_API_KEY" -o import-report.csv '${job.reportUrl}'`;
  lines.push(['report', job.reportUrl], ['', curl]);
  if (!options.keyFromEnv) lines.push(['', '(with LOYALTY_API_KEY set to your key)']);
  const heading = `Import ${job.state}${job.dryRun ? ' (dry run)' : ''}`;
  return `${heading}\n${lines.map(([label, text]) => `  ${label.padEnd(9)} ${text}`.trimEnd()).join('\n')}\n`;
}
