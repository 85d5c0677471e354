import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { customerById, subscriptionsOfCustomer, type ChannelSubscriptionRow } from './customer.loaders.js';
import type { CustomerRow } from '../../domain/customer/customer.rows.js';
import { ChannelSubscription, Customer, CustomerFraudStatus, CustomerStatus } from './customer.types.js';

/**
 * The fields of a customer drawn from the customer feature's own rows. A relation to rows another
 * feature owns (cards, points, groups…) is resolved in that feature, so this one imports none.
 */
@Resolver(() => Customer)
export class CustomerFields {
  @FieldResolver(() => String, { description: 'The customer id used as the USER_ID identifier.' })
  userId(@Root() customer: CustomerRow): string {
    return String(customer.id);
  }

  @FieldResolver(() => CustomerStatus, { description: 'Status label mapped to a standard status, with its reason.' })
  status(@Root() customer: CustomerRow): CustomerStatus {
    return { label: customer.statusLabel, standardStatus: customer.standardStatus, reason: customer.statusReason };
  }

  @FieldResolver(() => CustomerFraudStatus, { nullable: true, description: 'Fraud status with its reason; null when never assessed.' })
  fraudStatus(@Root() customer: CustomerRow): CustomerFraudStatus | null {
    return customer.fraudStatus ? { status: customer.fraudStatus, reason: customer.fraudReason } : null;
  }

  @FieldResolver(() => Customer, { nullable: true, description: 'Parent customer of a fleet (parent–child) hierarchy.' })
  parent(@Root() customer: CustomerRow, @Ctx() ctx: RequestContext): Promise<CustomerRow | null> | null {
    return customer.parentId === null ? null : customerById(ctx).load(customer.parentId);
  }

  @FieldResolver(() => [ChannelSubscription], { description: 'Consent per channel, priority and account.' })
  channelSubscriptions(@Root() customer: CustomerRow, @Ctx() ctx: RequestContext): Promise<ChannelSubscriptionRow[]> {
    return subscriptionsOfCustomer(ctx).load(customer.id);
  }
}
