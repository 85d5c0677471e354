import { Field, ObjectType } from 'type-graphql';
import { graphqlEnum } from '../enums.js';
import { connectionType, Node } from '../relay.js';
import { DateTimeScalar } from '../scalars.js';
import { INTERACTION_CHANNELS, INTERACTION_STATUSES, type InteractionChannel, type InteractionStatus } from '../../domain/interaction/interaction.entity.js';

export const InteractionChannelEnum = graphqlEnum(INTERACTION_CHANNELS, 'InteractionChannel', 'The channel a message was sent through.', {
  SMS: 'Text message.',
  EMAIL: 'Email.',
  PUSH: 'Push notification.',
  WHATSAPP: 'WhatsApp message.',
  LINE: 'LINE message.',
});
export const InteractionStatusEnum = graphqlEnum(INTERACTION_STATUSES, 'InteractionStatus', 'Delivery status of a message.', {
  QUEUED: 'Waiting to be sent.',
  SENT: 'Handed to the gateway.',
  DELIVERED: 'Delivered to the customer.',
  OPENED: 'Opened by the customer.',
  FAILED: 'Could not be delivered.',
});

@ObjectType({ implements: Node, description: 'A message sent to a customer.' })
export class Interaction extends Node {
  @Field(() => InteractionChannelEnum, { description: 'Channel the message was sent through.' })
  channel!: InteractionChannel;

  @Field(() => String, { description: 'Sender id (SMS sender, email address, app or account).' })
  senderId!: string;

  @Field(() => String, { nullable: true, description: 'Subject, for channels that have one.' })
  subject!: string | null;

  @Field(() => String, { description: 'Message content.' })
  content!: string;

  @Field(() => InteractionStatusEnum, { description: 'Delivery status.' })
  status!: InteractionStatus;

  @Field(() => DateTimeScalar, { description: 'When the message was sent.' })
  sentAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the message was delivered, if known.' })
  deliveredAt!: Date | null;

  @Field(() => DateTimeScalar, { description: 'When the message was recorded.' })
  createdAt!: Date;
}

export const InteractionConnection = connectionType(Interaction, 'Interaction');
