import { selectRows } from '../../core/sql/rows.js';
import { DomainError } from '../../core/errors.js';
import type { ServiceContext } from '../context.js';
import type { MessagePriority } from '../customer/customer.entity.js';
import type { SenderFallback } from '../interaction/interaction.entity.js';
import { MessageErrorCode } from './message.errors.js';

/** The sender id an SMS goes out under, and the org unit whose sender it is (null: the org's own). */
export interface ChosenSender {
  readonly senderId: string;
  readonly fallback: SenderFallback | null;
  readonly orgUnitId: number | null;
  readonly maxSegments: number;
}

/**
 * A sender id configured for the org (its default, or one of an org unit's) is used as asked;
 * none, or one nobody configured, falls back to the org's default. Read from the org row, not
 * `ctx.org`: the caller's copy may be cached from before a settings change.
 */
export async function chooseSender(tx: ServiceContext, requested: string | null): Promise<ChosenSender> {
  const [row] = await selectRows<{ defaultSenderId: string; orgUnitId: string | null; smsMaxSegments: number }>(
    tx.em,
    `select o.default_sender_id, o.sms_max_segments,
        (select u.id from org_unit u where u.org_id = o.id and ?::text = any(u.sender_ids) order by u.id limit 1) as org_unit_id
      from org o where o.id = ?`,
    [requested ?? '', tx.org.id],
  );
  if (!row) throw new Error(`Org ${tx.org.id} cannot be read`);
  const maxSegments = Number(row.smsMaxSegments);
  if (requested === null) return { senderId: row.defaultSenderId, fallback: 'NONE_GIVEN', orgUnitId: null, maxSegments };
  if (row.orgUnitId !== null) return { senderId: requested, fallback: null, orgUnitId: Number(row.orgUnitId), maxSegments };
  if (requested === row.defaultSenderId) return { senderId: requested, fallback: null, orgUnitId: null, maxSegments };
  return { senderId: row.defaultSenderId, fallback: 'NOT_CONFIGURED', orgUnitId: null, maxSegments };
}

/** What an SMS needs of its customer, read once. */
interface Recipient {
  readonly mobile: string | null;
  readonly fraudStatus: string | null;
  readonly standardStatus: string | null;
}

/**
 * The mobile an SMS may go to: refused for a customer confirmed fraudulent (by fraud status or by
 * a status label mapped to FRAUD_CONFIRMED), a deleted one, or one without a mobile.
 */
export async function smsRecipient(tx: ServiceContext, customerId: number): Promise<string> {
  const [customer] = await selectRows<Recipient>(
    tx.em,
    `select c.mobile, c.fraud_status, l.standard_status
      from customer c left join status_label l on l.id = c.status_label_id
      where c.org_id = ? and c.id = ?`,
    [tx.org.id, customerId],
  );
  if (!customer) throw new Error(`Customer ${customerId} vanished while sending`);
  const field = ['input', 'customer'];
  if (customer.fraudStatus === 'CONFIRMED' || customer.fraudStatus === 'RECONFIRMED' || customer.standardStatus === 'FRAUD_CONFIRMED') {
    throw new DomainError(MessageErrorCode.CUSTOMER_FRAUD_CONFIRMED, 'The customer is confirmed as fraudulent: no message is sent to them.', field);
  }
  if (customer.standardStatus === 'DELETED') throw new DomainError(MessageErrorCode.CUSTOMER_DELETED, 'The customer is deleted.', field);
  if (!customer.mobile) throw new DomainError(MessageErrorCode.CUSTOMER_HAS_NO_MOBILE, 'The customer has no mobile number.', field);
  return customer.mobile;
}

/**
 * Refuses an SMS the customer opted out of. Consent is kept per channel (MOBILE) and priority, for
 * the whole org and per org unit: a message under an org unit's sender follows that unit's record
 * when there is one, else the org's; with no record at all, consent is assumed.
 */
export async function requireSmsConsent(tx: ServiceContext, customerId: number, priority: MessagePriority, orgUnitId: number | null): Promise<void> {
  const [consent] = await selectRows<{ status: string }>(
    tx.em,
    `select status from channel_subscription
      where org_id = ? and customer_id = ? and channel = 'MOBILE' and priority = ? and account = ''
        and (org_unit_id is null or org_unit_id = ?::bigint)
      order by org_unit_id nulls last limit 1`,
    [tx.org.id, customerId, priority, orgUnitId],
  );
  if (consent?.status === 'OPTOUT') {
    throw new DomainError(MessageErrorCode.CUSTOMER_OPTED_OUT, `The customer opted out of ${priority} SMS.`, ['input', 'customer']);
  }
}
