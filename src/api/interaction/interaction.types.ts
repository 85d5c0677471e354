import { Field, Int, ObjectType } from 'type-graphql';
import { graphqlEnum } from '../enums.js';
import { connectionType, Node } from '../relay.js';
import { DateTimeScalar } from '../scalars.js';
import { MessagePriorityEnum } from '../customer/customer.types.js';
import type { MessagePriority } from '../../domain/customer/customer.entity.js';
import {
  INTERACTION_CHANNELS,
  INTERACTION_STATUSES,
  SENDER_FALLBACKS,
  SMS_ENCODINGS,
  type InteractionAttachmentSummary,
  type InteractionChannel,
  type InteractionStatus,
  type SenderFallback,
  type SmsEncoding,
} from '../../domain/interaction/interaction.entity.js';

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
export const SmsEncodingEnum = graphqlEnum(SMS_ENCODINGS, 'SmsEncoding', 'How the text of an SMS is encoded.', {
  GSM_7: 'The GSM 03.38 7-bit alphabet: 160 characters in one SMS, 153 per part of a longer one; extension characters (such as € [ ] { }) count twice.',
  UCS_2: 'UCS-2, for a text with any character outside GSM-7: 70 units in one SMS, 67 per part.',
});
export const SenderFallbackEnum = graphqlEnum(SENDER_FALLBACKS, 'SenderFallback', "Why a message went out under the org's default sender id.", {
  NONE_GIVEN: 'No sender id was asked for.',
  NOT_CONFIGURED: 'The sender id asked for is not configured for the org or any of its org units.',
});

@ObjectType({ description: 'A file attached to an email.' })
export class InteractionAttachment {
  @Field(() => String, { description: 'File name, as sent.' })
  name!: string;

  @Field(() => String, { description: 'MIME type, e.g. `image/png`.' })
  contentType!: string;

  @Field(() => Int, { description: 'Size in bytes (decoded).' })
  size!: number;
}

@ObjectType({ implements: Node, description: 'A message sent to a customer.' })
export class Interaction extends Node {
  @Field(() => InteractionChannelEnum, { description: 'Channel the message was sent through.' })
  channel!: InteractionChannel;

  @Field(() => String, { description: 'Sender id the message went out under (SMS sender, email address, app or account).' })
  senderId!: string;

  @Field(() => String, { nullable: true, description: 'Sender id the caller asked for; null when none was.' })
  requestedSenderId!: string | null;

  @Field(() => SenderFallbackEnum, { nullable: true, description: "Why `senderId` is the org's default instead of the one asked for; null when it is the one asked for (or not recorded)." })
  senderFallback!: SenderFallback | null;

  @Field(() => MessagePriorityEnum, { nullable: true, description: 'Priority the message was sent at; null when not recorded.' })
  priority!: MessagePriority | null;

  @Field(() => SmsEncodingEnum, { nullable: true, description: 'Encoding of an SMS text; null for other channels.' })
  encoding!: SmsEncoding | null;

  @Field(() => Int, { nullable: true, description: 'Length of an SMS text in its encoding: GSM-7 septets or UCS-2 units; null for other channels.' })
  contentLength!: number | null;

  @Field(() => Int, { nullable: true, description: 'Parts an SMS is sent in; null for other channels.' })
  segments!: number | null;

  @Field(() => String, { nullable: true, description: 'Subject, for channels that have one.' })
  subject!: string | null;

  @Field(() => String, { description: "Message content: the text (for an email, its plain-text part; empty when it has only HTML)." })
  content!: string;

  @Field(() => [InteractionAttachment], { nullable: true, description: "An email's attachments (empty when it has none); null for other channels and for messages recorded before attachments were." })
  attachments!: InteractionAttachmentSummary[] | null;

  @Field(() => InteractionStatusEnum, { description: 'Delivery status.' })
  status!: InteractionStatus;

  @Field(() => DateTimeScalar, { description: 'When the message was sent; while it is QUEUED, or once FAILED, when it was accepted.' })
  sentAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the message was accepted for delivery; null when not recorded.' })
  queuedAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the message was delivered, if known.' })
  deliveredAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When delivery was given up on; null unless FAILED.' })
  failedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Why delivery failed (the gateway’s reason); null unless FAILED.' })
  failureReason!: string | null;

  @Field(() => DateTimeScalar, { description: 'When the message was recorded.' })
  createdAt!: Date;
}

export const InteractionConnection = connectionType(Interaction, 'Interaction');
