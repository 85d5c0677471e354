/*
 * Channel subscriptions (consent per channel × priority × account, for the whole org or for one of
 * its org units), for `customerSubscriptionUpdate` and the User Subscription import profile.
 *
 * How an import calls it: it checks its rows against the same values (CHANNELS, MESSAGE_PRIORITIES,
 * SUBSCRIPTION_STATUSES, an account of at most ACCOUNT_MAX_LENGTH) and resolves their customers
 * set-based, then writes a batch with `writeConsents(batchCtx, consents)` in the batch's
 * transaction: the same writes as `updateSubscription`, which writes one. Setting the same status
 * again is harmless.
 */
import { selectRows, writeRows } from '../../core/sql/rows.js';
import { inTransaction } from '../../core/sql/transaction.js';
import { CommonErrorCode, DomainError } from '../../core/errors.js';
import type { ServiceContext } from '../context.js';
import { recordAudits } from '../audit/audit.service.js';
import { optionalText } from '../../core/input-rules.js';
import { CHANNELS, MESSAGE_PRIORITIES, SUBSCRIPTION_STATUSES, type Channel, type MessagePriority, type SubscriptionStatus } from './customer.entity.js';
import { resolveCustomerId, type CustomerRef } from './customer.service.js';

/** Longest account name. */
export const ACCOUNT_MAX_LENGTH = 100;

export interface SubscriptionChange {
  readonly customer: CustomerRef;
  readonly channel: Channel;
  readonly priority: MessagePriority;
  readonly status: SubscriptionStatus;
  /** For channels with several accounts; none otherwise. */
  readonly account?: string | null;
  /** The org unit (by code) the consent is for; none for the whole org. */
  readonly orgUnitCode?: string | null;
}

function oneOf<T extends string>(values: readonly T[], value: T, name: string): T {
  if (!values.includes(value)) throw new DomainError(CommonErrorCode.INVALID_INPUT, `${name} must be one of ${values.join(', ')}.`, ['input', name]);
  return value;
}

/** Opts the customer in or out of a channel for one priority and account; returns the customer's id. */
export function updateSubscription(ctx: ServiceContext, change: SubscriptionChange): Promise<{ customerId: number }> {
  return inTransaction(ctx, async (tx) => {
    const channel = oneOf(CHANNELS, change.channel, 'channel');
    const priority = oneOf(MESSAGE_PRIORITIES, change.priority, 'priority');
    const status = oneOf(SUBSCRIPTION_STATUSES, change.status, 'status');
    const account = optionalText(change.account, ['input', 'account'], ACCOUNT_MAX_LENGTH) ?? '';
    const orgUnitId = await orgUnitOf(tx, optionalText(change.orgUnitCode, ['input', 'orgUnitCode'], ORG_UNIT_CODE_MAX_LENGTH));
    const customerId = await resolveCustomerId(tx, change.customer);
    await writeConsents(tx, [{ customerId, channel, priority, status, account, orgUnitId }]);
    return { customerId };
  });
}

/** Longest org unit code. */
export const ORG_UNIT_CODE_MAX_LENGTH = 64;

/** The id of the org's unit with this code; null for none (the whole org). */
async function orgUnitOf(tx: ServiceContext, code: string | null): Promise<number | null> {
  if (code === null) return null;
  const [unit] = await selectRows<{ id: string }>(tx.em, 'select id from org_unit where org_id = ? and code = ?', [tx.org.id, code]);
  if (!unit) throw new DomainError(CommonErrorCode.NOT_FOUND, `The org has no org unit "${code}".`, ['input', 'orgUnitCode']);
  return Number(unit.id);
}

/** A consent to record: its values checked, its customer one of the org's. */
export interface Consent {
  readonly customerId: number;
  readonly channel: Channel;
  readonly priority: MessagePriority;
  readonly status: SubscriptionStatus;
  /** '' for a channel with one account. */
  readonly account: string;
  /** The org unit it is for; null for the whole org. */
  readonly orgUnitId: number | null;
}

/**
 * Records consents, set-based, in the caller's transaction: each sets its customer's status for
 * its channel, priority, account and org unit (of two for the same, the later wins) and is audited.
 */
export async function writeConsents(tx: ServiceContext, consents: readonly Consent[]): Promise<void> {
  if (consents.length === 0) return;
  await writeRows(
    tx.em,
    `insert into channel_subscription (org_id, customer_id, channel, priority, account, org_unit_id, status, updated_at)
      select distinct on (c.customer_id, c.channel, c.priority, c.account, c.org_unit_id) ?, c.customer_id, c.channel, c.priority, c.account, c.org_unit_id, c.status, ?
      from unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[]) with ordinality as c(customer_id, channel, priority, account, org_unit_id, status, position)
      order by c.customer_id, c.channel, c.priority, c.account, c.org_unit_id, c.position desc
      on conflict (org_id, customer_id, channel, priority, account, org_unit_id) do update set status = excluded.status, updated_at = excluded.updated_at`,
    [
      tx.org.id,
      tx.clock.now(),
      consents.map((consent) => consent.customerId),
      consents.map((consent) => consent.channel),
      consents.map((consent) => consent.priority),
      consents.map((consent) => consent.account),
      consents.map((consent) => consent.orgUnitId),
      consents.map((consent) => consent.status),
    ],
  );
  await recordAudits(
    tx,
    consents.map(({ customerId, channel, priority, account, orgUnitId, status }) => ({
      action: 'customerSubscriptionUpdate',
      subjectType: 'Customer',
      subjectId: customerId,
      details: { channel, priority, account, status, ...(orgUnitId === null ? {} : { orgUnitId }) },
    })),
  );
}
