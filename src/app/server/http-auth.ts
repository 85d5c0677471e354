import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ApiKeyAuthenticator, KeyHolder } from '../../domain/auth/auth.service.js';
import { bearerToken, isApiKey } from '../../domain/auth/auth.service.js';
import type { Caller } from '../../domain/auth/caller.js';
import type { CustomerAuthenticator } from '../../domain/auth/customer-auth.js';
import type { StaffAuthenticator } from '../../domain/auth/staff-oidc.js';
import type { CustomerGrant } from '../../domain/oauth/customer-grant.js';
import type { OrgRow } from '../../domain/org/org.rows.js';

/** How long a refused request's connection stays half-open for its client to read the answer. */
const UNREAD_BODY_GRACE_MS = 2_000;

/** The address failed authentications are counted against. */
export function clientAddress(req: Pick<Request, 'socket'>): string {
  return req.socket.remoteAddress ?? 'unknown';
}

/**
 * Answers a request with a GraphQL-over-HTTP style JSON error. A body the client is still sending
 * is never read: the connection is closed once the answer is out.
 */
export function refuse(req: Request, res: Response, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  if (!req.complete) {
    res.setHeader('connection', 'close');
    // Node ends such a connection with `destroySoon` once the answer is written, while the client
    // is still sending: closing with unread bytes resets the connection, and the reset can destroy
    // the answer before the client reads it. Half-close instead, and close for good a little later
    // (what servers call a lingering close); what arrives meanwhile is discarded, never stored.
    const socket = req.socket;
    socket.destroySoon = () => {
      socket.end();
      setTimeout(() => socket.destroy(), UNREAD_BODY_GRACE_MS).unref();
    };
  }
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  // The request's log line says why.
  res.locals.errorCode = code;
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}

/** A customer's access token may be longer than an API key (a JWT, say): read up to this many characters. */
const BEARER_MAX_CHARS = 2_000;

/** The customer an earlier `authenticateRequest` found, if any, with their token (open WebSockets check it again). */
export interface CustomerHolder {
  readonly grant: CustomerGrant;
  readonly org: OrgRow;
}

export function customerHolderOf(res: Response): CustomerHolder | undefined {
  return res.locals.customerHolder as CustomerHolder | undefined;
}

function authenticateCustomer(customers: CustomerAuthenticator, token: string, req: Request, res: Response, next: NextFunction): void {
  customers.authenticate(token, clientAddress(req)).then((outcome) => {
    if (outcome.kind === 'ok') {
      res.locals.customerHolder = { grant: outcome.grant, org: outcome.org } satisfies CustomerHolder;
      next();
    } else if (outcome.kind === 'throttled') {
      refuse(req, res, 429, 'TOO_MANY_FAILED_AUTHENTICATIONS', `Too many requests with a missing or bad token from this address: try again in ${outcome.retryAfterSeconds} s.`, {
        'retry-after': String(outcome.retryAfterSeconds),
      });
    } else {
      refuse(req, res, 401, 'UNAUTHENTICATED', "A valid staff API key is required, or a customer's access token: this token is neither (unknown, expired or revoked).");
    }
  }, next);
}

/** The key holder an earlier `authenticateRequest` found, if any. */
export function keyHolderOf(res: Response): KeyHolder | undefined {
  return res.locals.keyHolder as KeyHolder | undefined;
}

/** The staff caller an earlier `authenticateRequest` found, from an API key or the org's identity provider. */
export function callerOf(res: Response): Caller | undefined {
  return keyHolderOf(res)?.caller ?? (res.locals.staffCaller as Caller | undefined);
}

function refuseThrottled(req: Request, res: Response, retryAfterSeconds: number, what: string): void {
  refuse(req, res, 429, 'TOO_MANY_FAILED_AUTHENTICATIONS', `Too many requests with a missing or bad ${what} from this address: try again in ${retryAfterSeconds} s.`, {
    'retry-after': String(retryAfterSeconds),
  });
}

function authenticateKey(authenticator: ApiKeyAuthenticator, token: string | undefined, req: Request, res: Response, next: NextFunction): void {
  authenticator.authenticate(token, clientAddress(req)).then((outcome) => {
    if (outcome.kind === 'ok') {
      res.locals.keyHolder = { caller: outcome.caller, keyHash: outcome.keyHash } satisfies KeyHolder;
      next();
    } else if (outcome.kind === 'throttled') {
      refuseThrottled(req, res, outcome.retryAfterSeconds, 'API key');
    } else {
      refuse(req, res, 401, 'UNAUTHENTICATED', 'A valid staff API key is required: send `Authorization: Bearer <key>`.');
    }
  }, next);
}

/**
 * A staff member's token of their org's identity provider; a token that is not one (no JWT, or an
 * issuer no org names) goes on to `otherwise`.
 */
function authenticateStaff(staff: StaffAuthenticator, token: string, req: Request, res: Response, next: NextFunction, otherwise: () => void): void {
  staff.authenticate(token, clientAddress(req)).then((outcome) => {
    if (outcome.kind === 'ok') {
      res.locals.staffCaller = outcome.caller;
      next();
    } else if (outcome.kind === 'not-staff') {
      otherwise();
    } else if (outcome.kind === 'throttled') {
      refuseThrottled(req, res, outcome.retryAfterSeconds, 'token');
    } else {
      refuse(req, res, outcome.status, outcome.status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN', outcome.message);
    }
  }, next);
}

/**
 * Checks the bearer before a single byte of the body is read: an API key (`lg_…`), else a staff
 * member's token of their org's identity provider, else a customer's access token. A request
 * without a valid one is answered 401 at once (403 for a staff member the org does not admit, 429
 * with Retry-After for a client that sent too many bad ones), its body left unread.
 * `anonymousGet` lets a GET without a key through (Apollo Sandbox's page); GraphQL then refuses
 * its operations.
 */
export function authenticateRequest(
  authenticator: ApiKeyAuthenticator,
  options: { readonly anonymousGet?: boolean; readonly customers?: CustomerAuthenticator; readonly staff?: StaffAuthenticator } = {},
): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (options.anonymousGet && (req.method === 'GET' || req.method === 'HEAD') && req.headers.authorization === undefined) {
      next();
      return;
    }
    const token = bearerToken(req.headers.authorization, BEARER_MAX_CHARS);
    const { customers, staff } = options;
    const notStaff = (): void => {
      if (customers && token !== undefined && !isApiKey(token)) authenticateCustomer(customers, token, req, res, next);
      else authenticateKey(authenticator, token, req, res, next);
    };
    if (staff && token !== undefined && !isApiKey(token)) authenticateStaff(staff, token, req, res, next, notStaff);
    else notStaff();
  };
}

/**
 * At most `perKey` uploads at once per API key (or per staff member signed in with their
 * identity provider), refused (429) before their body is read; the slot is freed when the
 * response ends, however it ends.
 */
export function limitUploadsPerKey(perKey: number): RequestHandler {
  const running = new Map<string, number>();
  return (req: Request, res: Response, next: NextFunction) => {
    const caller = callerOf(res);
    if (!caller) {
      next();
      return;
    }
    const keyId = caller.actor;
    const count = running.get(keyId) ?? 0;
    if (count >= perKey) {
      refuse(req, res, 429, 'UPLOADS_BUSY', `This ${caller.apiKeyId === null ? 'staff member' : 'API key'} already has ${count} uploads in progress (at most ${perKey} at once): wait for one to finish.`, { 'retry-after': '5' });
      return;
    }
    running.set(keyId, count + 1);
    res.once('close', () => {
      const left = (running.get(keyId) ?? 1) - 1;
      if (left > 0) running.set(keyId, left);
      else running.delete(keyId);
    });
    next();
  };
}

/** Whether a request carries a multipart body (a GraphQL multipart upload). */
export function isMultipart(req: Request): boolean {
  return (req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/');
}
