import { Arg, Args, ArgsType, Ctx, Field, ID, Mutation, Query, Resolver } from 'type-graphql';
import { idOfType, PageArgs, pageRequest, toConnection, type ConnectionValue } from '../relay.js';
import { payload, type Payload } from '../../core/errors.js';
import type { RequestContext } from '../context.js';
import { AllowWriters } from '../allow.js';
import { customerById } from './customer.loaders.js';
import type { CustomerRow } from '../../domain/customer/customer.rows.js';
import { updateCustomerStatus } from '../../domain/customer/customer.service.js';
import { findCustomerByIdentifier, searchCustomers } from './customer-lookup.js';
import { CustomerFraudStatusUpdateInput, CustomerFraudStatusUpdatePayload } from './dto/customer-fraud-status-update.js';
import { CustomerStatusUpdateInput, CustomerStatusUpdatePayload } from './dto/customer-status-update.js';
import { CustomerSubscriptionUpdateInput, CustomerSubscriptionUpdatePayload } from './dto/customer-subscription-update.js';
import { updateFraudStatus } from '../../domain/customer/fraud-status.service.js';
import { updateSubscription } from '../../domain/customer/subscription.service.js';
import { Customer, CustomerConnection, CustomerIdentifierTypeEnum, type CustomerIdentifierType } from './customer.types.js';

@ArgsType()
class CustomersArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Exact mobile, email or external id, or the start of a name.' })
  search?: string | null;
}

@Resolver()
export class CustomerResolver {
  @Query(() => Customer, {
    nullable: true,
    description: "The customer a customer's access token (OAuth sign-in of a partner app) acts for; null for a staff key.",
  })
  me(@Ctx() ctx: RequestContext): Promise<CustomerRow | null> | null {
    return ctx.customer ? customerById(ctx).load(ctx.customer.customerId) : null;
  }

  @Query(() => Customer, { nullable: true, description: 'A customer by global id.' })
  customer(@Arg('id', () => ID, { description: 'Global id of the customer.' }) id: string, @Ctx() ctx: RequestContext): Promise<CustomerRow | null> | null {
    const customerId = idOfType(id, 'Customer');
    return customerId ? customerById(ctx).load(customerId) : null;
  }

  @Query(() => Customer, { nullable: true, description: 'A customer by any identifier; a card of any status finds its customer.' })
  customerByIdentifier(
    @Arg('type', () => CustomerIdentifierTypeEnum, { description: 'Which identifier `value` is.' }) type: CustomerIdentifierType,
    @Arg('value', () => String, { description: 'The identifier.' }) value: string,
    @Ctx() ctx: RequestContext,
  ): Promise<CustomerRow | null> {
    return findCustomerByIdentifier(ctx, type, value);
  }

  @Query(() => CustomerConnection, { description: 'Customers of the org in id order, optionally matching a search.' })
  async customers(@Args(() => CustomersArgs) args: CustomersArgs, @Ctx() ctx: RequestContext): Promise<ConnectionValue<CustomerRow>> {
    return toConnection(await searchCustomers(ctx, args.search, pageRequest(args)), (customer) => customer.id);
  }

  @AllowWriters()
  @Mutation(() => CustomerStatusUpdatePayload, { description: "Sets a customer's status label (one of the org's) and reason." })
  customerStatusUpdate(
    @Arg('input', () => CustomerStatusUpdateInput, { description: 'The customer, the label and an optional reason.' }) input: CustomerStatusUpdateInput,
    @Ctx() ctx: RequestContext,
  ): Promise<Payload<{ customer: CustomerRow | null }>> {
    return payload(async () => ({ customer: await customerById(ctx).load(await updateCustomerStatus(ctx, input)) }));
  }

  @AllowWriters()
  @Mutation(() => CustomerFraudStatusUpdatePayload, { description: "Sets a customer's fraud status (INTERNAL, MARKED, CONFIRMED, RECONFIRMED, NOT_FRAUD) and reason." })
  customerFraudStatusUpdate(
    @Arg('input', () => CustomerFraudStatusUpdateInput, { description: 'The customer, the status, the reason and an optional store.' }) input: CustomerFraudStatusUpdateInput,
    @Ctx() ctx: RequestContext,
  ): Promise<Payload<{ customer: CustomerRow | null }>> {
    return payload(async () => {
      const { customerId } = await updateFraudStatus(ctx, { ...input, store: input.storeCode ? { code: input.storeCode } : null });
      return { customer: await customerById(ctx).load(customerId) };
    });
  }

  @AllowWriters()
  @Mutation(() => CustomerSubscriptionUpdatePayload, { description: 'Opts a customer in or out of a channel for one message priority and account.' })
  customerSubscriptionUpdate(
    @Arg('input', () => CustomerSubscriptionUpdateInput, { description: 'The customer, channel, priority, status and account.' }) input: CustomerSubscriptionUpdateInput,
    @Ctx() ctx: RequestContext,
  ): Promise<Payload<{ customer: CustomerRow | null }>> {
    return payload(async () => ({ customer: await customerById(ctx).load((await updateSubscription(ctx, input)).customerId) }));
  }
}
