import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { UserErrorType } from '../../user-error.type.js';
import type { UserError } from '../../../core/errors.js';
import type { InteractionRow } from '../../../domain/interaction/interaction.rows.js';
import { Interaction } from '../../interaction/interaction.types.js';
import { SmsSendInput } from './sms-send.js';

@InputType({ description: 'Many SMS sent at once, each as `smsSend` would send it.' })
export class SmsSendBatchInput {
  @Field(() => [SmsSendInput], { description: 'From 1 to 500 messages, each with its own idempotency key (shared with `smsSend`: a key is one message whichever mutation sent it).' })
  messages!: SmsSendInput[];
}

@ObjectType({ description: 'What became of one message of `smsSendBatch`.' })
export class SmsSendBatchResult {
  @Field(() => Int, { description: 'The position of the message in `input.messages`, from 0.' })
  index!: number;

  @Field(() => Interaction, { nullable: true, description: 'The message, QUEUED until a worker hands it to the gateway (or, for a repeated key, the first one); null when it was refused.' })
  interaction?: InteractionRow | null;

  @Field(() => Boolean, { description: 'True when the idempotency key repeated an earlier message (of an earlier request or earlier in this batch): nothing was sent for this one.' })
  replayed!: boolean;

  @Field(() => [UserErrorType], { description: 'Why this message was refused (nothing was written for it), with `field` under `["input", "messages", index]`; empty when it was accepted.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of `smsSendBatch`.' })
export class SmsSendBatchPayload {
  @Field(() => [SmsSendBatchResult], { description: 'One result per message, in input order; empty when the batch itself was refused.' })
  results!: SmsSendBatchResult[];

  @Field(() => [UserErrorType], { description: 'Why the batch as a whole was refused (nothing was sent), e.g. too many messages; empty otherwise, even when some messages were refused.' })
  userErrors!: UserError[];
}
