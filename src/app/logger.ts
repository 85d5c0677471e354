import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Log } from '../core/log.js';
import type { LogFormat, LogLevel } from './env.js';

/**
 * The process's log: pino, one JSON object a line (or pino-pretty's lines in development). Every
 * line written while a request is handled carries its request id (`reqId`); import runs and
 * workers add their job's id (`jobId`).
 *
 * Secrets and personal data never reach a line through a field: keys, tokens, passwords, one-time
 * codes, mobiles and emails are replaced wherever they appear under the names below. Messages are
 * written by this code, with ids and counts, never with what a request or a file carried.
 */


/** Fields never written as they are, at any depth pino's redaction reaches (top level and one below). */
const SECRET_FIELDS = ['authorization', 'cookie', 'key', 'apiKey', 'token', 'accessToken', 'refreshToken', 'password', 'secret', 'otp', 'code', 'mobile', 'email'];
export const REDACTED = '[redacted]';


const requestLogger = new AsyncLocalStorage<Logger>();

export function createLogger(options: { readonly level: LogLevel; readonly format: LogFormat; readonly destination?: pino.DestinationStream }): Logger {
  const settings: pino.LoggerOptions = {
    level: options.level,
    base: { pid: process.pid },
    redact: { paths: [...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.headers.${field}`]), '*.headers["set-cookie"]', '*.headers["x-api-key"]'], censor: REDACTED },
    serializers: { err: pino.stdSerializers.err },
  };
  if (options.format === 'pretty') return pino(settings, pretty({ sync: true, colorize: process.stdout.isTTY, singleLine: true, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss.l', ...(options.destination ? { destination: options.destination } : {}) }));
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

/** Runs `next` with `logger` as the log of everything it leads to (a request's, with its id). */
export function withRequestLogger(logger: Logger, next: () => void): void {
  requestLogger.run(logger, next);
}

/**
 * The AppLog of `logger`: errors at `error` with their stack, other messages at `warn` (they say
 * something went wrong or was refused) unless `level` says otherwise; inside a request, through
 * that request's logger.
 */
export function appLog(logger: Logger, level: 'warn' | 'info' = 'warn'): Log {
  return (message, error, fields) => {
    const log = requestLogger.getStore() ?? logger;
    if (error === undefined || error === '') log[level](fields ?? {}, message);
    else log.error({ ...fields, err: error instanceof Error ? error : new Error(String(error)) }, message);
  };
}
