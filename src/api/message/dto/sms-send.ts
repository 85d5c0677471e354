import { Field, InputType, ObjectType } from 'type-graphql';
import { UserErrorType } from '../../user-error.type.js';
import type { UserError } from '../../../core/errors.js';
import { CustomerIdentifierInput } from '../../customer/dto/customer-identifier.input.js';
import { MessagePriorityEnum } from '../../customer/customer.types.js';
import type { MessagePriority } from '../../../domain/customer/customer.entity.js';
import type { InteractionRow } from '../../../domain/interaction/interaction.rows.js';
import { Interaction } from '../../interaction/interaction.types.js';

@InputType({ description: 'An SMS for a customer, found by any identifier.' })
export class SmsSendInput {
  @Field(() => CustomerIdentifierInput, { description: 'The customer; they must have a mobile and must not have opted out of SMS at this priority.' })
  customer!: CustomerIdentifierInput;

  @Field(() => String, {
    description: "The text (at most 2,000 characters, and at most the org's `smsMaxSegments` parts: 160 GSM-7 characters in one SMS, 153 per part; 70 / 67 in UCS-2).",
  })
  content!: string;

  @Field(() => String, {
    nullable: true,
    description: "Sender id: the org's default or one of an org unit's. None, or one not configured, sends under the org's default (`Interaction.senderFallback` says why).",
  })
  sender?: string | null;

  @Field(() => MessagePriorityEnum, { description: 'TRANS (transactional) or BULK (promotional); the customer’s consent is checked at this priority.' })
  priority!: MessagePriority;

  @Field(() => String, {
    description: 'Chosen by the client, unique per message: a repeat with the same key returns the first interaction and sends nothing.',
  })
  idempotencyKey!: string;
}

@ObjectType({ description: 'Result of `smsSend`.' })
export class SmsSendPayload {
  @Field(() => Interaction, { nullable: true, description: 'The message, QUEUED until a worker hands it to the gateway (or, for a repeated key, the first one).' })
  interaction?: InteractionRow | null;

  @Field(() => Boolean, { nullable: true, description: 'True when the idempotency key repeated an earlier request: nothing was sent this time.' })
  replayed?: boolean | null;

  @Field(() => [UserErrorType], { description: 'Why nothing was sent; empty on success.' })
  userErrors!: UserError[];
}
