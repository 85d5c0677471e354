import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { GatewayOutcome } from '../../domain/message/message-delivery.js';
import type { OutgoingSms, SmsGateway } from '../../domain/message/sms-delivery.js';

/** How long a gateway may take to answer before the attempt counts as unavailable (and is retried). */
const GATEWAY_TIMEOUT_MS = 10_000;
/** The most of a gateway's answer read for a refusal's reason. */
const REASON_MAX_BYTES = 2_048;

/** At most `maxBytes` of a response's body, as text: a gateway's answer is read no further. */
async function boundedText(response: Response, maxBytes: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}

/** The reason a gateway gave: `reason`, `error` or `message` of a JSON body, else its text, else the status. */
async function reasonOf(response: Response): Promise<string> {
  const body = (await boundedText(response, REASON_MAX_BYTES)).trim();
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed !== null && typeof parsed === 'object') {
      const fields = parsed as Record<string, unknown>;
      const reason = [fields.reason, fields.error, fields.message].find((value) => typeof value === 'string' && value.trim() !== '');
      if (typeof reason === 'string') return `${response.status}: ${reason}`;
    }
  } catch {
    // Not JSON: the text itself is the reason.
  }
  return body ? `${response.status}: ${body}` : `HTTP ${response.status}`;
}

/**
 * A 4xx refuses a message for good, except 408 (it timed out) and 429 (too many messages now, as a
 * gateway's own rate limit answers): those are tried again later, like a 5xx.
 */
function refusesForGood(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/**
 * The HTTP gateway: `POST <url>` with `{ id, to, from, text, priority }` and
 * `Idempotency-Key: interaction-<id>`, so a delivery tried twice is sent once. 2xx: taken;
 * 4xx: refused for good; 408, 429, 5xx, a timeout or a network error: tried again later.
 */
export function httpSmsGateway(url: string): SmsGateway {
  return {
    async deliver(sms: OutgoingSms): Promise<GatewayOutcome> {
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': `interaction-${sms.id}` },
          body: JSON.stringify(sms),
          signal: AbortSignal.timeout(GATEWAY_TIMEOUT_MS),
        });
      } catch (error) {
        return { kind: 'UNAVAILABLE', reason: error instanceof Error ? error.message : String(error) };
      }
      if (response.ok) {
        await response.body?.cancel();
        return { kind: 'ACCEPTED' };
      }
      const reason = await reasonOf(response).catch(() => `HTTP ${response.status}`);
      return refusesForGood(response.status) ? { kind: 'REJECTED', reason } : { kind: 'UNAVAILABLE', reason };
    },
  };
}

/** Without a gateway, each SMS is written as `<dir>/<interaction id>.json` (the gateway's body) and counts as sent. */
export function outboxSmsGateway(dir: string): SmsGateway {
  return {
    async deliver(sms: OutgoingSms): Promise<GatewayOutcome> {
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, `${sms.id}.json`), `${JSON.stringify(sms, null, 2)}\n`);
      return { kind: 'ACCEPTED' };
    },
  };
}
