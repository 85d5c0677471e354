import path from 'node:path';

/** Runtime configuration, read once from the environment. */
export interface AppConfig {
  readonly port: number;
  readonly host: string;
  /**
   * The server's public base URL (`PUBLIC_URL`, e.g. https://loyalty.example.com): the OAuth issuer
   * is this plus `/oauth`. Unset: http://localhost:<port> (127.0.0.1 when bound there).
   */
  readonly publicUrl: string | undefined;
  readonly production: boolean;
  /** PostgreSQL connection string; when absent an embedded PostgreSQL is started. */
  readonly databaseUrl: string | undefined;
  /** Where the embedded PostgreSQL keeps its data. */
  readonly dataDir: string;
  /** Seed the demo dataset on first start (default: only with the embedded database). */
  readonly seedDemo: boolean;
  /** Report SQL statements per request in `extensions.sqlStatements` (never in production). */
  readonly exposeQueryStats: boolean;
  /**
   * What executes GraphQL queries and mutations over HTTP (`GRAPHQL_EXECUTOR`): `jit` (default)
   * compiles an operation on its second execution with graphql-jit (src/app/server/jit-executor.ts);
   * `graphql-js` interprets every one.
   */
  readonly graphqlExecutor: GraphqlExecutor;
  /** Redis for events between processes; PostgreSQL LISTEN/NOTIFY when absent. */
  readonly redisUrl: string | undefined;
  /** Import jobs this process runs at once; 0 leaves imports to `npm run worker` processes. */
  readonly importWorkers: number;
  /**
   * API processes serving the port (`API_PROCESSES`, default 1): with more, `npm start` prepares the
   * database once and forks them (src/app/cluster.ts). Limits kept in memory (uploads per key,
   * report downloads) then hold per process.
   */
  readonly apiProcesses: number;
  /** Largest import file accepted, in bytes. */
  readonly importMaxFileBytes: number;
  /** Longest CSV record accepted, in characters. */
  readonly importMaxRecordChars: number;
  /** Largest CSV sent inline (`importStart(input: { csv })`), in bytes. */
  readonly importMaxInlineBytes: number;
  /** Where SMS are POSTed (`{ id, to, from, text, priority }`); unset: written to `<dataDir>/outbox/sms/`. */
  readonly smsGatewayUrl: string | undefined;
  /** The key the gateway signs delivery receipts with (HMAC-SHA256); unset: `POST /webhooks/sms` is off (404). */
  readonly smsWebhookSecret: string | undefined;
  /** The SMTP server emails go through (`smtp://` or `smtps://`, credentials in the URL); unset: written to `<dataDir>/outbox/email/`. */
  readonly smtpUrl: string | undefined;
  /** The From address of every email (`MAIL_FROM`). */
  readonly mailFrom: string;
  /** Days an import's file and row issues are kept (at least 8: a failed job may be replayed for 7). */
  readonly importRetentionDays: number;
  /** Import reports a process streams at once (each holds a database connection). */
  readonly importReportDownloads: number;
  /** A report download whose client takes no bytes for this long is cut off (its slot freed). */
  readonly importReportIdleMs: number;
  /** How often the keys of open WebSockets are read again (revoked or changed keys lose their sockets). */
  readonly wsKeyRecheckMs: number;
  /**
   * On SIGTERM, how long the server goes on serving while `/health/ready` answers 503, before it
   * drains (SHUTDOWN_DELAY_SECONDS; 0 by default): the time a load balancer takes to notice.
   */
  readonly shutdownDelayMs: number;
  /** Connections of the request pool (DATABASE_POOL_MAX, 20 by default): see the README's connection budget. */
  readonly databasePoolMax: number;
  /**
   * Whether `npm start` migrates the database (MIGRATE_ON_START): always the embedded one; with
   * DATABASE_URL only when asked, since a release migrates once (`npm run migrate`).
   */
  readonly migrateOnStart: boolean;
  /** Least severe log lines written (LOG_LEVEL): `info` by default, `error` under tests (NODE_ENV=test). */
  readonly logLevel: LogLevel;
  /** LOG_FORMAT: `json` (a JSON object a line), or `pretty`, the default in development on a terminal. */
  readonly logFormat: LogFormat;
  /** The bearer token `GET /metrics` asks for (METRICS_TOKEN, at least 16 characters); unset: no /metrics. */
  readonly metricsToken: string | undefined;
  /** Uploads one API key may stream at once (each process). */
  readonly uploadsPerKey: number;
  /** Failed authentications a client address may make before it is refused for a while. */
  readonly authFailurePolicy: { readonly failures: number; readonly windowSeconds: number; readonly blockSeconds: number };
}

export type GraphqlExecutor = 'jit' | 'graphql-js';

export type LogFormat = 'json' | 'pretty';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function logLevel(value: string | undefined, fallback: LogLevel): LogLevel {
  if (value === undefined || value === '') return fallback;
  const level = LOG_LEVELS.find((known) => known === value);
  if (!level) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${value}"`);
  return level;
}

function logFormat(value: string | undefined, production: boolean): LogFormat {
  if (value === undefined || value === '') return !production && process.stdout.isTTY ? 'pretty' : 'json';
  if (value === 'json' || value === 'pretty') return value;
  throw new Error(`LOG_FORMAT must be json or pretty, got "${value}"`);
}

function graphqlExecutor(value: string | undefined): GraphqlExecutor {
  if (value === undefined || value === '' || value === 'jit') return 'jit';
  if (value === 'graphql-js') return 'graphql-js';
  throw new Error(`GRAPHQL_EXECUTOR must be jit or graphql-js, got "${value}"`);
}

function flag(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

function count(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${name} must be a whole number, got "${value}"`);
  return parsed;
}

function apiProcesses(value: string | undefined): number {
  const processes = count('API_PROCESSES', value, 1);
  if (processes < 1 || processes > 64) throw new Error(`API_PROCESSES must be between 1 and 64, got ${processes}`);
  return processes;
}

function retentionDays(value: string | undefined): number {
  const days = count('IMPORT_RETENTION_DAYS', value, 30);
  if (days < 8) throw new Error(`IMPORT_RETENTION_DAYS must be at least 8 (a failed import may be replayed for 7 days), got ${days}`);
  return days;
}

function gatewayUrl(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = URL.parse(value);
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) throw new Error(`SMS_GATEWAY_URL must be an http(s) URL, got "${value}"`);
  return parsed.toString();
}

/** A short secret could be guessed: at least 16 characters. */
function secret(name: string, value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (value.length < 16) throw new Error(`${name} must be at least 16 characters long`);
  return value;
}

function smtpUrl(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = URL.parse(value);
  if (!parsed || (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:')) throw new Error('SMTP_URL must be an smtp:// or smtps:// URL');
  return value;
}

/** A plain address (no display name): it is the interaction's sender id, at most 100 characters. */
function mailFrom(value: string | undefined): string {
  const address = value === undefined || value === '' ? 'loyalty@localhost' : value;
  if (address.length > 100 || !/^[^\s@<>"]+@[A-Za-z0-9.-]+$/.test(address)) throw new Error(`MAIL_FROM must be an email address such as loyalty@example.com, got "${address}"`);
  return address;
}

/** An http(s) origin, optionally with a path, without a trailing slash. */
function publicUrl(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = URL.parse(value);
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.search || parsed.hash) throw new Error(`PUBLIC_URL must be an http(s) URL without query or fragment, got "${value}"`);
  return parsed.toString().replace(/\/+$/, '');
}

function port(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) {
    throw new Error(`PORT must be an integer between 0 and 65535, got "${value}"`);
  }
  return parsed;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const production = env.NODE_ENV === 'production';
  const databaseUrl = env.DATABASE_URL || undefined;
  return {
    port: port(env.PORT, 4000),
    host: env.HOST || '0.0.0.0',
    publicUrl: publicUrl(env.PUBLIC_URL),
    production,
    databaseUrl,
    dataDir: path.resolve(env.DATA_DIR || '.data'),
    seedDemo: flag(env.SEED_DEMO, databaseUrl === undefined),
    migrateOnStart: databaseUrl === undefined || flag(env.MIGRATE_ON_START, false),
    databasePoolMax: Math.min(500, Math.max(2, count('DATABASE_POOL_MAX', env.DATABASE_POOL_MAX, 20))),
    exposeQueryStats: !production && flag(env.EXPOSE_QUERY_STATS, true),
    graphqlExecutor: graphqlExecutor(env.GRAPHQL_EXECUTOR),
    redisUrl: env.REDIS_URL || undefined,
    importWorkers: count('IMPORT_WORKERS', env.IMPORT_WORKERS, 2),
    apiProcesses: apiProcesses(env.API_PROCESSES),
    importMaxFileBytes: count('IMPORT_MAX_FILE_MB', env.IMPORT_MAX_FILE_MB, 2048) * 1024 * 1024,
    importMaxRecordChars: count('IMPORT_MAX_RECORD_KB', env.IMPORT_MAX_RECORD_KB, 1024) * 1024,
    importMaxInlineBytes: count('IMPORT_MAX_INLINE_KB', env.IMPORT_MAX_INLINE_KB, 512) * 1024,
    importRetentionDays: retentionDays(env.IMPORT_RETENTION_DAYS),
    smsGatewayUrl: gatewayUrl(env.SMS_GATEWAY_URL),
    smsWebhookSecret: secret('SMS_WEBHOOK_SECRET', env.SMS_WEBHOOK_SECRET),
    smtpUrl: smtpUrl(env.SMTP_URL),
    mailFrom: mailFrom(env.MAIL_FROM),
    importReportDownloads: Math.max(1, count('IMPORT_REPORT_DOWNLOADS', env.IMPORT_REPORT_DOWNLOADS, 4)),
    importReportIdleMs: Math.max(1, count('IMPORT_REPORT_IDLE_SECONDS', env.IMPORT_REPORT_IDLE_SECONDS, 30)) * 1000,
    uploadsPerKey: Math.max(1, count('UPLOADS_PER_KEY', env.UPLOADS_PER_KEY, 2)),
    wsKeyRecheckMs: 2_000,
    metricsToken: secret('METRICS_TOKEN', env.METRICS_TOKEN),
    logLevel: logLevel(env.LOG_LEVEL, env.NODE_ENV === 'test' ? 'error' : 'info'),
    logFormat: logFormat(env.LOG_FORMAT, production),
    shutdownDelayMs: Math.min(60, count('SHUTDOWN_DELAY_SECONDS', env.SHUTDOWN_DELAY_SECONDS, 0)) * 1000,
    authFailurePolicy: {
      failures: Math.max(1, count('AUTH_FAILURES_ALLOWED', env.AUTH_FAILURES_ALLOWED, 20)),
      windowSeconds: 600,
      blockSeconds: Math.max(1, count('AUTH_FAILURE_BLOCK_SECONDS', env.AUTH_FAILURE_BLOCK_SECONDS, 900)),
    },
  };
}
