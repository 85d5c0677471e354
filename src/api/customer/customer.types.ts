import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { graphqlEnum } from '../enums.js';
import { connectionType, Node } from '../relay.js';
import { DateTimeScalar } from '../scalars.js';
import { CUSTOMER_IDENTIFIER_TYPES, type CustomerIdentifierType } from '../../domain/customer/customer-identifier.js';
import {
  CHANNELS,
  FRAUD_STATUSES,
  MESSAGE_PRIORITIES,
  STANDARD_STATUSES,
  SUBSCRIPTION_STATUSES,
  type Channel,
  type FraudStatus,
  type MessagePriority,
  type StandardStatus,
  type SubscriptionStatus,
} from '../../domain/customer/customer.entity.js';

export const StandardStatusEnum = graphqlEnum(STANDARD_STATUSES, 'StandardStatus', 'The system status a brand status label maps to.', {
  ACTIVE: 'An active member.',
  SUSPENDED: 'Temporarily suspended.',
  DELETED: 'Deleted by the brand or at the customer’s request.',
  FRAUD_SUSPECTED: 'Suspected of fraud.',
  FRAUD_CONFIRMED: 'Fraud confirmed.',
  INTERNAL: 'Staff or test customer.',
});
export const FraudStatusEnum = graphqlEnum(FRAUD_STATUSES, 'FraudStatus', 'Fraud assessment of a customer.', {
  INTERNAL: 'An internal customer (staff, tests), not a fraud case.',
  MARKED: 'Marked as a suspected fraud.',
  CONFIRMED: 'Fraud confirmed.',
  RECONFIRMED: 'A confirmed fraud confirmed again.',
  NOT_FRAUD: 'Assessed and cleared.',
});
export const ChannelEnum = graphqlEnum(CHANNELS, 'Channel', 'A communication channel a customer can subscribe to.', {
  LINE: 'LINE messages.',
  MOBILE: 'SMS to the mobile number.',
  EMAIL: 'Email.',
  WHATSAPP: 'WhatsApp messages.',
  IOS: 'iOS app notifications.',
  ANDROID: 'Android app notifications.',
  POSTMAIL: 'Letters by post.',
  MOBILE_PUSH: 'Mobile push notifications.',
});
export const MessagePriorityEnum = graphqlEnum(MESSAGE_PRIORITIES, 'MessagePriority', 'TRANS (transactional) or BULK (promotional) messages.', {
  TRANS: 'Transactional messages (receipts, one-time passwords).',
  BULK: 'Promotional messages.',
});
export const SubscriptionStatusEnum = graphqlEnum(SUBSCRIPTION_STATUSES, 'SubscriptionStatus', 'Opted in or out.', {
  OPTIN: 'The customer agrees to receive these messages.',
  OPTOUT: 'The customer does not want these messages.',
});

export { CUSTOMER_IDENTIFIER_TYPES, type CustomerIdentifierType };
export const CustomerIdentifierTypeEnum = graphqlEnum(
  CUSTOMER_IDENTIFIER_TYPES,
  'CustomerIdentifierType',
  'How a customer is identified: by user id, mobile, email, external id, or a card (of any status) by number or external id.',
  {
    USER_ID: 'The customer id (`Customer.userId`).',
    MOBILE: 'Mobile number with country code; spaces, dashes and a leading + are ignored.',
    EMAIL: 'Email address, in any case.',
    EXTERNAL_ID: 'One of the customer’s external ids.',
    CARD_NUMBER: 'The number of a card issued to the customer, whatever its status.',
    CARD_EXTERNAL_ID: 'The external id of a card issued to the customer, whatever its status.',
  },
);

@ObjectType({ description: "A customer's status: a brand label over a standard status, with a reason." })
export class CustomerStatus {
  @Field(() => String, { nullable: true, description: 'The brand-defined label; null when none was ever set (the customer is active).' })
  label!: string | null;

  @Field(() => StandardStatusEnum, { description: 'The standard status the label maps to.' })
  standardStatus!: StandardStatus;

  @Field(() => String, { nullable: true, description: 'Why the status was set.' })
  reason!: string | null;
}

@ObjectType({ description: "A customer's fraud assessment." })
export class CustomerFraudStatus {
  @Field(() => FraudStatusEnum, { description: 'The fraud status.' })
  status!: FraudStatus;

  @Field(() => String, { nullable: true, description: 'Why it was set.' })
  reason!: string | null;
}

@ObjectType({ description: 'Consent for one channel, message priority and account.' })
export class ChannelSubscription {
  @Field(() => ChannelEnum, { description: 'The channel.' })
  channel!: Channel;

  @Field(() => MessagePriorityEnum, { description: 'Transactional or bulk messages.' })
  priority!: MessagePriority;

  @Field(() => String, { nullable: true, description: 'The account, for channels with several accounts.' })
  account!: string | null;

  @Field(() => String, { nullable: true, description: 'The org unit (concept) the consent is for; null for the whole org.' })
  orgUnitCode!: string | null;

  @Field(() => SubscriptionStatusEnum, { description: 'Opted in or out.' })
  status!: SubscriptionStatus;

  @Field(() => DateTimeScalar, { description: 'When the consent last changed.' })
  updatedAt!: Date;
}

@ObjectType({ implements: Node, description: 'A loyalty member of the org: the single view of member care.' })
export class Customer extends Node {
  @Field(() => String, { nullable: true, description: 'First name.' })
  firstName!: string | null;

  @Field(() => String, { nullable: true, description: 'Last name.' })
  lastName!: string | null;

  @Field(() => String, { nullable: true, description: 'Mobile number with country code, digits only.' })
  mobile!: string | null;

  @Field(() => String, { nullable: true, description: 'Email address.' })
  email!: string | null;

  @Field(() => [String], { description: 'External ids of the customer (there may be several).' })
  externalIds!: string[];

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the customer joined the program.' })
  joinedAt!: Date | null;

  @Field(() => GraphQLJSONObject, { description: 'Custom fields (name → value).' })
  customFields!: Record<string, string>;

  @Field(() => GraphQLJSONObject, { description: 'Extended fields (name → value).' })
  extendedFields!: Record<string, string>;

  @Field(() => DateTimeScalar, { description: 'When the customer record was created.' })
  createdAt!: Date;

  @Field(() => DateTimeScalar, { description: 'When the customer record last changed.' })
  updatedAt!: Date;
}

export const CustomerConnection = connectionType(Customer, 'Customer');
