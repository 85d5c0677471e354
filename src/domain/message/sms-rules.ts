import { selectRows } from '../../core/sql/rows.js';
import { DomainError } from '../../core/errors.js';
import type { ServiceContext } from '../context.js';
import type { SenderFallback } from '../interaction/interaction.entity.js';
import { MessageErrorCode } from './message.errors.js';
import { measureSms, type SmsMeasure } from './sms-encoding.js';

/** The sender id an SMS goes out under, and the org unit whose sender it is (null: the org's own). */
export interface ChosenSender {
  readonly senderId: string;
  readonly fallback: SenderFallback | null;
  readonly orgUnitId: number | null;
  readonly maxSegments: number;
  /** The org's SMS send rate (messages a second), null for none: read with the rest, so a send without one claims no slot. */
  readonly sendRate: number | null;
}

/**
 * A sender id configured for the org (its default, or one of an org unit's) is used as asked;
 * none, or one nobody configured, falls back to the org's default. Read from the org row, not
 * `ctx.org`: the caller's copy may be cached from before a settings change.
 */
export async function chooseSender(tx: ServiceContext, requested: string | null): Promise<ChosenSender> {
  const chosen = (await chooseSenders(tx, [requested])).get(requested);
  if (!chosen) throw new Error(`Org ${tx.org.id} cannot be read`);
  return chosen;
}

/** `chooseSender` for every sender id a batch asks for, in one statement whatever their number. */
export async function chooseSenders(tx: ServiceContext, requested: readonly (string | null)[]): Promise<Map<string | null, ChosenSender>> {
  const asked = [...new Set(requested)];
  const rows = await selectRows<{ requested: string; defaultSenderId: string; orgUnitId: string | null; smsMaxSegments: number; smsSendRate: number | null }>(
    tx.em,
    `select r.requested, o.default_sender_id, o.sms_max_segments, o.sms_send_rate,
        (select u.id from org_unit u where u.org_id = o.id and r.requested = any(u.sender_ids) order by u.id limit 1) as org_unit_id
      from org o cross join unnest(?::text[]) as r(requested) where o.id = ?`,
    [asked.map((sender) => sender ?? ''), tx.org.id],
  );
  const byRequested = new Map(rows.map((row) => [row.requested, row]));
  const chosen = new Map<string | null, ChosenSender>();
  for (const sender of asked) {
    const row = byRequested.get(sender ?? '');
    if (!row) continue;
    const maxSegments = Number(row.smsMaxSegments);
    const sendRate = row.smsSendRate === null ? null : Number(row.smsSendRate);
    if (sender === null) chosen.set(sender, { senderId: row.defaultSenderId, fallback: 'NONE_GIVEN', orgUnitId: null, maxSegments, sendRate });
    else if (row.orgUnitId !== null) chosen.set(sender, { senderId: sender, fallback: null, orgUnitId: Number(row.orgUnitId), maxSegments, sendRate });
    else if (sender === row.defaultSenderId) chosen.set(sender, { senderId: sender, fallback: null, orgUnitId: null, maxSegments, sendRate });
    else chosen.set(sender, { senderId: row.defaultSenderId, fallback: 'NOT_CONFIGURED', orgUnitId: null, maxSegments, sendRate });
  }
  return chosen;
}

/** How a text goes out as SMS (`measureSms`); SMS_TOO_LONG when it needs more parts than `maxSegments`. */
export function measureWithinCap(content: string, maxSegments: number, field: readonly string[] = ['input', 'content']): SmsMeasure {
  const measure = measureSms(content);
  if (measure.segments > maxSegments) {
    throw new DomainError(
      MessageErrorCode.SMS_TOO_LONG,
      `The text needs ${measure.segments} SMS parts (${measure.encoding === 'GSM_7' ? 'GSM-7' : 'UCS-2'}, ${measure.length} units); the org allows at most ${maxSegments}.`,
      field,
    );
  }
  return measure;
}
