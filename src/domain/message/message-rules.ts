import { selectRows } from '../../core/sql/rows.js';
import { CommonErrorCode, DomainError } from '../../core/errors.js';
import type { ServiceContext } from '../context.js';
import { MESSAGE_PRIORITIES, type MessagePriority } from '../customer/customer.entity.js';
import { MessageErrorCode } from './message.errors.js';

/** The consent channel that governs a message channel, and how messages of it are named. */
const CHANNELS = {
  SMS: { consent: 'MOBILE', noun: 'SMS' },
  EMAIL: { consent: 'EMAIL', noun: 'email' },
} as const;
export type MessageChannel = keyof typeof CHANNELS;

export function messagePriority(value: MessagePriority): MessagePriority {
  if (!MESSAGE_PRIORITIES.includes(value)) throw new DomainError(CommonErrorCode.INVALID_INPUT, `priority must be one of ${MESSAGE_PRIORITIES.join(', ')}.`, ['input', 'priority']);
  return value;
}

/** What a message needs of its customer, read once. */
interface Recipient {
  readonly mobile: string | null;
  readonly email: string | null;
  readonly fraudStatus: string | null;
  readonly standardStatus: string | null;
}

/**
 * The address (mobile or email) a message may go to: refused for a customer confirmed fraudulent
 * (by fraud status or by a status label mapped to FRAUD_CONFIRMED), a deleted one, or one without
 * an address on that channel.
 */
export async function messageRecipient(tx: ServiceContext, channel: MessageChannel, customerId: number): Promise<string> {
  const [customer] = await selectRows<Recipient>(
    tx.em,
    `select c.mobile, c.email, c.fraud_status, l.standard_status
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
  if (channel === 'EMAIL') {
    if (!customer.email) throw new DomainError(MessageErrorCode.CUSTOMER_HAS_NO_EMAIL, 'The customer has no email address.', field);
    return customer.email;
  }
  if (!customer.mobile) throw new DomainError(MessageErrorCode.CUSTOMER_HAS_NO_MOBILE, 'The customer has no mobile number.', field);
  return customer.mobile;
}

/**
 * Refuses a message the customer opted out of. Consent is kept per channel (MOBILE for SMS, EMAIL
 * for email) and priority, for the whole org and per org unit: a message sent for an org unit
 * follows that unit's record when there is one, else the org's; with no record at all, consent is assumed.
 */
export async function requireConsent(tx: ServiceContext, channel: MessageChannel, customerId: number, priority: MessagePriority, orgUnitId: number | null): Promise<void> {
  const { consent: consentChannel, noun } = CHANNELS[channel];
  const [consent] = await selectRows<{ status: string }>(
    tx.em,
    `select status from channel_subscription
      where org_id = ? and customer_id = ? and channel = ? and priority = ? and account = ''
        and (org_unit_id is null or org_unit_id = ?::bigint)
      order by org_unit_id nulls last limit 1`,
    [tx.org.id, customerId, consentChannel, priority, orgUnitId],
  );
  if (consent?.status === 'OPTOUT') {
    throw new DomainError(MessageErrorCode.CUSTOMER_OPTED_OUT, `The customer opted out of ${priority} ${noun}.`, ['input', 'customer']);
  }
}
