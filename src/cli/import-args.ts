import { statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

/** Exit codes of `npm run import`, as `--help` documents them. */
export const EXIT = {
  COMPLETED: 0,
  NOT_COMPLETED: 1,
  USAGE: 2,
  INTERRUPTED: 130,
} as const;

/** A failure the CLI explains in one line on stderr, then exits with `exitCode` (never a stack trace). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export interface ImportCommand {
  /** The API's base URL, without `/graphql` (e.g. `http://localhost:4000`). */
  readonly baseUrl: string;
  readonly key: string;
  /** Whether the key came from LOYALTY_API_KEY (the printed curl line can then use the variable as is). */
  readonly keyFromEnv: boolean;
  readonly templateId: string;
  readonly file: string;
  readonly fileName: string;
  readonly fileSizeBytes: number;
  readonly dryRun: boolean;
}

export const HELP = `Usage: npm run import -- --template <id> [options] <file.csv>

Uploads a CSV to the loyalty graph (streamed, never read whole), runs it as an import job with
the template, shows its progress live on stderr, and prints the summary and where to download
the report on stdout.

Options:
  --template <id>   the import template's global id, as the API returns it
                    (importTemplates { nodes { id name } }); required
  --url <url>       the server (default: $LOYALTY_URL, else http://localhost:4000)
  --key <key>       a staff API key that may write (default: $LOYALTY_API_KEY). \`npm start\`
                    prints a demo one on first start ("Demo staff API key (ADMIN): …") and
                    keeps it in .data/demo-api-key
  --dry-run         check and report every row, write nothing to the main tables
  -h, --help        this help

Exit codes:
  0    the job COMPLETED (every row accepted)
  1    the job ended COMPLETED_WITH_ERRORS, FAILED or CANCELLED; or the server was unreachable
       or refused the request (bad key, unknown template, …)
  2    bad usage: an unknown option, no --template, no key, no such file
  130  interrupted (Ctrl-C) while watching: the job goes on on the server

Example:
  LOYALTY_API_KEY=… npm run import -- --template SW1wb3J0VGVtcGxhdGU6MQ members.csv
`;

function usageError(message: string): CliError {
  return new CliError(`${message} (see --help)`, EXIT.USAGE);
}

const OPTIONS = {
  template: { type: 'string' },
  url: { type: 'string' },
  key: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function parse(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs' own messages are clear ("Unknown option '--foo'"); only the hint about `--` is noise here.
    const message = error instanceof Error ? error.message.split('. To specify')[0] : String(error);
    throw usageError(message);
  }
}

/** The API's base URL from `--url` / LOYALTY_URL: `http://host:port` (a trailing `/graphql` is dropped). */
function baseUrlOf(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw usageError(`--url is not a URL: "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw usageError(`--url must be http(s): "${value}"`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/graphql$/, '')}`;
}

function fileSize(file: string): number {
  try {
    const stats = statSync(file);
    if (!stats.isFile()) throw usageError(`Not a file: ${file}`);
    return stats.size;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw usageError(`No such file: ${file}`);
  }
}

/** The command from the arguments and environment; `help` when `--help` was asked for. */
export function readCommand(argv: readonly string[], env: NodeJS.ProcessEnv): ImportCommand | 'help' {
  const { values, positionals } = parse(argv);
  if (values.help) return 'help';
  if (!values.template) throw usageError('Missing --template <id>: the import template to run the file with');
  if (positionals.length === 0) throw usageError('Missing the CSV file to import');
  if (positionals.length > 1) throw usageError(`One CSV file at a time, got ${positionals.length}: ${positionals.join(' ')}`);
  const key = values.key ?? env.LOYALTY_API_KEY;
  if (!key) throw usageError('Missing the API key: pass --key <key> or set LOYALTY_API_KEY');
  const file = path.resolve(positionals[0]);
  return {
    baseUrl: baseUrlOf(values.url ?? env.LOYALTY_URL ?? 'http://localhost:4000'),
    key,
    keyFromEnv: values.key === undefined,
    templateId: values.template,
    file,
    fileName: path.basename(file),
    fileSizeBytes: fileSize(file),
    dryRun: values['dry-run'],
  };
}
