import { Field, InputType, ObjectType } from 'type-graphql';
import { UserErrorType } from '../../user-error.type.js';
import type { UserError } from '../../../core/errors.js';
import type { Channel, MessagePriority, SubscriptionStatus } from '../../../domain/customer/customer.entity.js';
import type { CustomerRow } from '../../../domain/customer/customer.rows.js';
import { ChannelEnum, Customer, MessagePriorityEnum, SubscriptionStatusEnum } from '../customer.types.js';
import { CustomerIdentifierInput } from './customer-identifier.input.js';

@InputType({ description: "Sets a customer's consent for one channel, message priority and account, for the whole org or one org unit." })
export class CustomerSubscriptionUpdateInput {
  @Field(() => CustomerIdentifierInput, { description: 'The customer.' })
  customer!: CustomerIdentifierInput;

  @Field(() => ChannelEnum, { description: 'The channel.' })
  channel!: Channel;

  @Field(() => MessagePriorityEnum, { description: 'Transactional or bulk messages.' })
  priority!: MessagePriority;

  @Field(() => SubscriptionStatusEnum, { description: 'Opt in or out.' })
  status!: SubscriptionStatus;

  @Field(() => String, { nullable: true, description: 'The account, for channels with several accounts.' })
  account?: string | null;

  @Field(() => String, { nullable: true, description: 'The org unit (concept) code the consent is for; none for the whole org.' })
  orgUnitCode?: string | null;
}

@ObjectType({ description: 'Result of `customerSubscriptionUpdate`.' })
export class CustomerSubscriptionUpdatePayload {
  @Field(() => Customer, { nullable: true, description: 'The customer with its channel subscriptions.' })
  customer?: CustomerRow | null;

  @Field(() => [UserErrorType], { description: 'Why nothing changed; empty on success.' })
  userErrors!: UserError[];
}
