import { selectRows, writeRows } from '../../core/sql/rows.js';
import type { InteractionStatus } from '../interaction/interaction.entity.js';
import { REASON_MAX_CHARS, type DeliveryDeps } from './message-delivery.js';

export const RECEIPT_STATUSES = ['DELIVERED', 'FAILED'] as const;
export type ReceiptStatus = (typeof RECEIPT_STATUSES)[number];

/** A gateway's delivery receipt, checked: `{ id, status, reason?, at? }`. */
export interface SmsReceipt {
  /** The interaction's id, as the gateway was sent it. */
  readonly interactionId: number;
  readonly status: ReceiptStatus;
  readonly reason: string | null;
  /** When the gateway saw the outcome; null: when the receipt arrives. */
  readonly at: Date | null;
}

export type ReceiptOutcome =
  | { readonly kind: 'UNKNOWN' }
  /** `changed` is false for a repeated receipt, or one that would move the message backwards. */
  | { readonly kind: 'RECORDED'; readonly status: InteractionStatus; readonly changed: boolean };

/** Reads a receipt's JSON body; a string says what is wrong with it. */
export function parseSmsReceipt(body: unknown): SmsReceipt | string {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'The receipt must be a JSON object.';
  const fields = body as Record<string, unknown>;
  const { id, status, reason, at } = fields;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) return '`id` must be the positive whole number the gateway was sent.';
  if (typeof status !== 'string' || !(RECEIPT_STATUSES as readonly string[]).includes(status)) return `\`status\` must be one of ${RECEIPT_STATUSES.join(', ')}.`;
  if (reason !== undefined && reason !== null && typeof reason !== 'string') return '`reason` must be a string.';
  let when: Date | null = null;
  if (at !== undefined && at !== null) {
    when = typeof at === 'string' ? new Date(at) : new Date(Number.NaN);
    if (Number.isNaN(when.getTime())) return '`at` must be an ISO 8601 date-time.';
  }
  const trimmed = typeof reason === 'string' ? reason.trim().slice(0, REASON_MAX_CHARS) : '';
  return { interactionId: id, status: status as ReceiptStatus, reason: trimmed === '' ? null : trimmed, at: when };
}

/**
 * Records a receipt for an SMS. A QUEUED or SENT message moves to the receipt's status (QUEUED too:
 * a gateway may report before the worker has recorded its answer, which then changes nothing). A
 * FAILED one may still become DELIVERED: a gateway that retries after reporting a failure can
 * deliver after all. DELIVERED is final: a late FAILED leaves it DELIVERED. So a repeated receipt
 * changes nothing, and a message never moves backwards. A time in the future is taken as now.
 */
export async function applySmsReceipt(deps: Omit<DeliveryDeps, 'queue'>, receipt: SmsReceipt): Promise<ReceiptOutcome> {
  const now = deps.clock.now();
  const at = receipt.at && receipt.at < now ? receipt.at : now;
  const delivered = receipt.status === 'DELIVERED';
  const changed = await writeRows<{ customerId: string }>(
    deps.em,
    `update interaction set status = ?, delivered_at = ?, failed_at = ?, failure_reason = ?
      where id = ? and channel = 'SMS' and (status in ('QUEUED', 'SENT') or (status = 'FAILED' and ?::text = 'DELIVERED'))
      returning customer_id`,
    [receipt.status, delivered ? at : null, delivered ? null : at, delivered ? null : (receipt.reason ?? 'Reported as failed by the gateway.'), receipt.interactionId, receipt.status],
  );
  const [row] = changed;
  if (row) {
    await deps.notify({ customerId: Number(row.customerId), interactionId: receipt.interactionId });
    return { kind: 'RECORDED', status: receipt.status, changed: true };
  }
  const [current] = await selectRows<{ status: InteractionStatus }>(deps.em, `select status from interaction where id = ? and channel = 'SMS'`, [receipt.interactionId]);
  return current ? { kind: 'RECORDED', status: current.status, changed: false } : { kind: 'UNKNOWN' };
}
