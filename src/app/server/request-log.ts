import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { RequestContext } from '../../api/context.js';
import type { QueryStats } from '../../core/sql/query-stats.js';
import { withRequestLogger } from '../logger.js';
import { operationName as boundedOperationName } from '../metrics.js';
import { callerOf, customerHolderOf } from './http-auth.js';

/**
 * One log line per HTTP request (pino-http), written when it is answered: its id, method, path
 * (never the query string: OAuth codes travel there), status, duration, the org and kind of
 * caller, for GraphQL the operation and whether it answered errors, and the SQL statements it
 * cost. 5xx lines are errors, 4xx warnings; health checks and scrapes are not logged.
 *
 * The request id is the caller's `X-Request-Id` when it is a plain token of at most 64
 * characters, else a new UUID; either way it is sent back in `X-Request-Id`.
 */

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** What a GraphQL request adds to its line. */
interface OperationRecord {
  operation?: string;
  operationType?: string;
  outcome?: 'ok' | 'errors';
}

/**
 * Where a GraphQL request's context holds its line's record. Apollo hands plugins a shallow copy
 * of the context, so the record travels as a property (the copy shares it), not by identity.
 */
const RECORD = Symbol('operationRecord');
type Recorded = RequestContext & { [RECORD]?: OperationRecord };

function pathOf(req: IncomingMessage): string {
  return ((req as Request).originalUrl ?? req.url ?? '').split('?', 1)[0]!.slice(0, 200);
}

function callerFields(res: Response): { org?: number; caller: string } {
  const customer = customerHolderOf(res);
  if (customer) return { org: customer.org.id, caller: 'customer' };
  const caller = callerOf(res);
  if (caller) return { org: caller.org.id, caller: caller.apiKeyId === null ? 'staff' : 'api-key' };
  return { caller: 'none' };
}

function line(req: IncomingMessage, res: ServerResponse, responseTime: number): Record<string, unknown> {
  const response = res as Response;
  const record = response.locals?.operationRecord as OperationRecord | undefined;
  const stats = response.locals?.stats as QueryStats | undefined;
  return {
    method: req.method,
    path: pathOf(req),
    status: res.statusCode,
    durationMs: responseTime,
    ...(response.locals ? callerFields(response) : { caller: 'none' }),
    ...(record?.operation === undefined ? {} : { operation: record.operation, operationType: record.operationType, outcome: record.outcome }),
    ...(stats ? { sqlStatements: stats.statements } : {}),
    ...(typeof response.locals?.errorCode === 'string' ? { errorCode: response.locals.errorCode } : {}),
  };
}

function message(req: IncomingMessage, res: ServerResponse, responseTime: number): string {
  return `${req.method} ${pathOf(req)} ${res.statusCode} ${responseTime} ms`;
}

export function requestLog(logger: Logger): RequestHandler {
  const middleware = pinoHttp({
    logger,
    quietReqLogger: true,
    quietResLogger: true,
    genReqId(req, res) {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('x-request-id', id);
      return id;
    },
    autoLogging: { ignore: (req) => /^\/(health|metrics)(\/|\?|$)/.test(req.url ?? '') },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    customSuccessObject: (req, res, value: { responseTime: number }) => line(req, res, value.responseTime),
    // pino-http makes up an error for a 5xx answered normally; only a real one (its stack) is worth a line.
    customErrorObject: (req, res, error, value: { responseTime: number }) => ({
      ...line(req, res, value.responseTime),
      ...(error.message.startsWith('failed with status code') ? {} : { err: error }),
    }),
    customSuccessMessage: (req, res, responseTime) => message(req, res, responseTime),
    customErrorMessage: (req, res) => message(req, res, Date.now() - ((res as Response).locals?.startedAt ?? Date.now())),
  });
  return (req, res, next) => {
    res.locals.startedAt = Date.now();
    middleware(req, res, () => withRequestLogger(req.log, next));
  };
}

/** Ties a GraphQL request's context to its line, before Apollo runs it. */
export function recordOperation(res: Response, context: RequestContext): RequestContext {
  const record: OperationRecord = {};
  res.locals.operationRecord = record;
  (context as Recorded)[RECORD] = record;
  return context;
}

/** Fills the line's operation and outcome once the response is ready. */
export function requestLogPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, operationName, operation, response }) {
          const record = (contextValue as Recorded)[RECORD];
          if (!record) return;
          record.operation = boundedOperationName(operationName);
          record.operationType = operation?.operation ?? 'unknown';
          record.outcome = response.body.kind === 'single' && (response.body.singleResult.errors?.length ?? 0) > 0 ? 'errors' : 'ok';
        },
      };
    },
  };
}
