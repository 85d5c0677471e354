/*
 * Channel subscriptions (consent per channel × priority × account), for `customerSubscriptionUpdate`
 * and the User Subscription import profile.
 *
 * How an import calls it: `updateSubscription(batchCtx, { customer: { id }, channel, priority, status, account })`
 * per row, inside the import's transaction (each call nests in a SAVEPOINT: a DomainError undoes
 * that row alone) or standalone (its own transaction). Setting the same status again is harmless.
 */
import { inTransaction } from '../../db/transaction.js';
import { CommonErrorCode, DomainError } from '../../graphql/user-errors.js';
import type { ServiceContext } from '../../server/context.js';
import { recordAudit } from '../audit/audit.service.js';
import { optionalText } from '../common/input-rules.js';
import { CHANNELS, MESSAGE_PRIORITIES, SUBSCRIPTION_STATUSES, type Channel, type MessagePriority, type SubscriptionStatus } from './customer.entity.js';
import { resolveCustomerId, type CustomerRef } from './customer.service.js';

export interface SubscriptionChange {
  readonly customer: CustomerRef;
  readonly channel: Channel;
  readonly priority: MessagePriority;
  readonly status: SubscriptionStatus;
  /** For channels with several accounts; none otherwise. */
  readonly account?: string | null;
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
    const account = optionalText(change.account, ['input', 'account'], 100) ?? '';
    const customerId = await resolveCustomerId(tx, change.customer);
    await tx.em.execute(
      `insert into channel_subscription (org_id, customer_id, channel, priority, account, status, updated_at) values (?, ?, ?, ?, ?, ?, ?)
        on conflict (org_id, customer_id, channel, priority, account) do update set status = excluded.status, updated_at = excluded.updated_at`,
      [tx.org.id, customerId, channel, priority, account, status, tx.clock.now()],
    );
    await recordAudit(tx, { action: 'customerSubscriptionUpdate', subjectType: 'Customer', subjectId: customerId, details: { channel, priority, account, status } });
    return { customerId };
  });
}
