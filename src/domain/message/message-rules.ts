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
export interface Recipient {
  readonly mobile: string | null;
  readonly email: string | null;
  readonly fraudStatus: string | null;
  readonly standardStatus: string | null;
}

/** The columns of a `Recipient`, read from `customer c` joined with `RECIPIENT_JOIN`. */
export const RECIPIENT_COLUMNS = 'c.mobile, c.email, c.fraud_status, l.standard_status';
export const RECIPIENT_JOIN = 'left join status_label l on l.id = c.status_label_id';

/** What messages need of their customers (the org's), by customer id: one statement for any number. */
export async function readRecipients(tx: ServiceContext, customerIds: readonly number[]): Promise<Map<number, Recipient>> {
  const rows = await selectRows<Recipient & { id: string }>(
    tx.em,
    `select c.id, ${RECIPIENT_COLUMNS}
      from customer c ${RECIPIENT_JOIN}
      where c.org_id = ? and c.id = any(?::bigint[])`,
    [tx.org.id, [...new Set(customerIds)]],
  );
  return new Map(rows.map(({ id, ...recipient }) => [Number(id), recipient]));
}

/**
 * The address (mobile or email) a message may go to: refused for a customer confirmed fraudulent
 * (by fraud status or by a status label mapped to FRAUD_CONFIRMED), a deleted one, or one without
 * an address on that channel.
 */
export function recipientAddress(channel: MessageChannel, customer: Recipient, field: readonly string[] = ['input', 'customer']): string {
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

/** `recipientAddress` of one customer, read now. */
export async function messageRecipient(tx: ServiceContext, channel: MessageChannel, customerId: number): Promise<string> {
  const customer = (await readRecipients(tx, [customerId])).get(customerId);
  if (!customer) throw new Error(`Customer ${customerId} vanished while sending`);
  return recipientAddress(channel, customer);
}

/** Whose consent a message needs: a customer's, at a priority, for the org or one of its units. */
export interface ConsentQuestion {
  readonly customerId: number;
  readonly priority: MessagePriority;
  /** The org unit whose sender id the message goes out under; null: the org's own. */
  readonly orgUnitId: number | null;
}

/**
 * The consent record that governs a message, as a subquery selecting its `status` (no row: no
 * record): the customer's record for the org unit when there is one, else the org's. Its two
 * parameters are the org id and the consent channel, in that order; the arguments are SQL
 * expressions (columns of the enclosing query), never input.
 */
export function consentStatusSql(customerId: string, priority: string, orgUnitId: string): string {
  return `select status from channel_subscription
          where org_id = ? and customer_id = ${customerId} and channel = ? and priority = ${priority} and account = ''
            and (org_unit_id is null or org_unit_id = ${orgUnitId})
          order by org_unit_id nulls last limit 1`;
}

/** The consent channel (MOBILE, EMAIL) of a message channel. */
export function consentChannel(channel: MessageChannel): string {
  return CHANNELS[channel].consent;
}

/**
 * The consent status (OPTIN, OPTOUT) that governs each message, in order; null where there is no
 * record. Consent is kept per channel (MOBILE for SMS, EMAIL for email) and priority, for the whole
 * org and per org unit: a message sent for an org unit follows that unit's record when there is
 * one, else the org's. One statement for any number of messages.
 */
export async function consentStatuses(tx: ServiceContext, channel: MessageChannel, questions: readonly ConsentQuestion[]): Promise<(string | null)[]> {
  if (questions.length === 0) return [];
  const rows = await selectRows<{ position: string; status: string }>(
    tx.em,
    `select q.position, s.status
      from unnest(?::bigint[], ?::text[], ?::bigint[]) with ordinality as q(customer_id, priority, org_unit_id, position)
      cross join lateral (${consentStatusSql('q.customer_id', 'q.priority', 'q.org_unit_id')}) s`,
    [questions.map((question) => question.customerId), questions.map((question) => question.priority), questions.map((question) => question.orgUnitId), tx.org.id, CHANNELS[channel].consent],
  );
  const statuses: (string | null)[] = questions.map(() => null);
  for (const row of rows) statuses[Number(row.position) - 1] = row.status;
  return statuses;
}

/** Refuses a message the customer opted out of; with no record at all, consent is assumed. */
export function checkConsent(channel: MessageChannel, priority: MessagePriority, status: string | null, field: readonly string[] = ['input', 'customer']): void {
  if (status === 'OPTOUT') throw new DomainError(MessageErrorCode.CUSTOMER_OPTED_OUT, `The customer opted out of ${priority} ${CHANNELS[channel].noun}.`, field);
}

/** `checkConsent` for one message, read now. */
export async function requireConsent(tx: ServiceContext, channel: MessageChannel, customerId: number, priority: MessagePriority, orgUnitId: number | null): Promise<void> {
  const [status] = await consentStatuses(tx, channel, [{ customerId, priority, orgUnitId }]);
  checkConsent(channel, priority, status ?? null);
}
