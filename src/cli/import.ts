import { CliError, EXIT, HELP, readCommand, type ImportCommand } from './import-args.js';
import { ImportApi, type StartedJob } from './import-client.js';
import { formatBytes, progressView, summaryText } from './import-display.js';

/*
 * `npm run import -- --template <id> <file.csv>`: uploads a CSV through the API, draws the job's
 * progress from the `importProgress` subscription, and prints the summary and the report's
 * location. See HELP (import-args.ts) for the options and exit codes.
 */

function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

function interruptedWhileWatching(job: StartedJob): CliError {
  return new CliError(
    [
      `Stopped watching. Job ${job.id} goes on on the server.`,
      `  cancel it: mutation { importCancel(input: { id: "${job.id}" }) { job { state } userErrors { code message } } }`,
      `  its report, once it has ended: ${job.reportUrl}`,
    ].join('\n'),
    EXIT.INTERRUPTED,
  );
}

async function runImport(command: ImportCommand, interrupt: AbortSignal): Promise<number> {
  const api = new ImportApi(command.baseUrl, command.key);
  const template = await api.checkAccess(command.templateId);
  say(
    `Importing ${command.fileName} (${formatBytes(command.fileSizeBytes)}) with template "${template.templateName}" (${template.profile})` +
      `${command.dryRun ? ' as a dry run' : ''} into ${command.baseUrl}`,
  );
  const view = progressView(process.stderr);
  try {
    let job: StartedJob;
    try {
      view.upload(0, command.fileSizeBytes);
      job = await api.upload(command.file, {
        templateId: command.templateId,
        fileName: command.fileName,
        dryRun: command.dryRun,
        onBytes: (sent) => view.upload(sent, command.fileSizeBytes),
        signal: interrupt,
      });
    } catch (error) {
      if (interrupt.aborted) throw new CliError('Interrupted while uploading: no job was started.', EXIT.INTERRUPTED);
      throw error;
    }
    view.end();
    view.expectRows(job.rowsInFile);
    say(`Job ${job.id} queued; following its progress (Ctrl-C stops watching, the job goes on).`);
    const last = await api.watch(job.id, (progress) => view.progress(progress), interrupt);
    view.end();
    if (!last) throw interruptedWhileWatching(job);
    const summary = await api.summary(job.id);
    process.stdout.write(summaryText(summary, { keyFromEnv: command.keyFromEnv }));
    return summary.state === 'COMPLETED' ? EXIT.COMPLETED : EXIT.NOT_COMPLETED;
  } finally {
    view.end();
  }
}

async function main(): Promise<number> {
  // Ctrl-C stops the upload or the watching (the job, once started, goes on); a second one quits at once.
  const interrupt = new AbortController();
  process.on('SIGINT', () => {
    if (interrupt.signal.aborted) process.exit(EXIT.INTERRUPTED);
    interrupt.abort();
  });
  try {
    const command = readCommand(process.argv.slice(2), process.env);
    if (command === 'help') {
      process.stdout.write(HELP);
      return EXIT.COMPLETED;
    }
    return await runImport(command, interrupt.signal);
  } catch (error) {
    if (error instanceof CliError) {
      say(`import: ${error.message}`);
      return error.exitCode;
    }
    say(`import: unexpected error: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.NOT_COMPLETED;
  }
}

const exitCode = await main();
// Exit at once (idle keep-alive sockets would hold the process a few seconds), once stdout is flushed.
process.stdout.write('', () => process.exit(exitCode));
