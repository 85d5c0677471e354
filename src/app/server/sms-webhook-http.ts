import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, Response, Router } from 'express';
import express from 'express';
import { applySmsReceipt, parseSmsReceipt } from '../../domain/message/sms-receipt.js';
import type { AuthFailureLimiter } from '../../domain/auth/auth-failures.js';
import { clientAddress, refuse } from './http-auth.js';
import type { AppRuntime } from './runtime.js';

export const SMS_WEBHOOK_PATH = '/webhooks/sms';
/** A receipt is a few fields: anything larger is refused unread. */
const RECEIPT_MAX_BYTES = 16 * 1024;
const SIGNATURE_PREFIX = 'sha256=';

/** Whether `header` is `sha256=<hex of HMAC-SHA256(secret, body)>`, compared in constant time. */
function signedBy(secret: string, body: Buffer, header: string | undefined): boolean {
  if (!header?.startsWith(SIGNATURE_PREFIX)) return false;
  const given = Buffer.from(header.slice(SIGNATURE_PREFIX.length), 'hex');
  const expected = createHmac('sha256', secret).update(body).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function throttled(req: Request, res: Response, retryAfterSeconds: number): void {
  refuse(req, res, 429, 'TOO_MANY_FAILED_AUTHENTICATIONS', `Too many requests with a bad signature or API key from this address: try again in ${retryAfterSeconds} s.`, {
    'retry-after': String(retryAfterSeconds),
  });
}

/**
 * `POST /webhooks/sms`: the gateway's delivery receipts, `{ id, status, reason?, at? }`, signed
 * with SMS_WEBHOOK_SECRET in `X-Signature`. No API key: the signature is the caller's proof, so
 * only a small body is read before it is checked, and nothing else is done before. Off (404)
 * without a secret. Bad signatures count as failed authentications of their address, as bad API
 * keys do: past the limit, the address is refused (429) before its body is read.
 */
export function smsWebhookRoutes(runtime: AppRuntime, failures: AuthFailureLimiter, log: (message: string, error?: unknown) => void): Router {
  const router = express.Router();
  const secret = runtime.config.smsWebhookSecret;

  const enabled = (req: Request, res: Response, next: () => void): void => {
    if (secret) next();
    else refuse(req, res, 404, 'NOT_FOUND', 'Delivery receipts are not enabled on this server (SMS_WEBHOOK_SECRET is not set).');
  };

  const notThrottled = (req: Request, res: Response, next: (error?: unknown) => void): void => {
    failures.retryAfterSeconds(clientAddress(req)).then((wait) => {
      if (wait > 0) throttled(req, res, wait);
      else next();
    }, next);
  };

  router.post(SMS_WEBHOOK_PATH, enabled, notThrottled, express.raw({ type: () => true, limit: RECEIPT_MAX_BYTES }), async (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!secret || !signedBy(secret, body, req.get('x-signature'))) {
      const wait = await failures.recordFailure(clientAddress(req)).catch((error: unknown) => {
        log('Could not count a bad receipt signature', error);
        return 0;
      });
      if (wait > 0) throttled(req, res, wait);
      else refuse(req, res, 401, 'BAD_SIGNATURE', 'The X-Signature header is missing or does not match the body (sha256=<hex of HMAC-SHA256 with the shared secret>).');
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      refuse(req, res, 400, 'MALFORMED_JSON', 'The request body is not valid JSON.');
      return;
    }
    const receipt = parseSmsReceipt(parsed);
    if (typeof receipt === 'string') {
      refuse(req, res, 400, 'BAD_RECEIPT', receipt);
      return;
    }
    try {
      const outcome = await applySmsReceipt({ em: runtime.orm.em.fork(), clock: runtime.clock, notify: runtime.notifyInteraction }, receipt);
      if (outcome.kind === 'UNKNOWN') {
        refuse(req, res, 404, 'UNKNOWN_MESSAGE', `No SMS with id ${receipt.interactionId}.`);
        return;
      }
      res.status(200).json({ id: receipt.interactionId, status: outcome.status, changed: outcome.changed });
    } catch (error) {
      log('Could not record an SMS delivery receipt', error);
      refuse(req, res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
    }
  });

  return router;
}
