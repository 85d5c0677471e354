import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { payload, toUserErrors, type Payload } from '../../core/errors.js';
import type { RequestContext } from '../context.js';
import { AllowWriters } from '../allow.js';
import { interactionById } from '../interaction/interaction.loaders.js';
import type { InteractionRow } from '../../domain/interaction/interaction.rows.js';
import { sendSms } from '../../domain/message/sms.service.js';
import { sendSmsBatch } from '../../domain/message/sms-batch.service.js';
import { SmsSendInput, SmsSendPayload } from './dto/sms-send.js';
import { SmsSendBatchInput, SmsSendBatchPayload, type SmsSendBatchResult } from './dto/sms-send-batch.js';

@Resolver()
export class SmsResolver {
  @AllowWriters()
  @Mutation(() => SmsSendPayload, {
    description: 'Sends an SMS to a customer: recorded as an Interaction (QUEUED) and delivered by a worker, retried while the gateway is unavailable. Idempotent by key.',
  })
  smsSend(
    @Arg('input', () => SmsSendInput, { description: 'The customer, text, sender id, priority and idempotency key.' }) input: SmsSendInput,
    @Ctx() ctx: RequestContext,
  ): Promise<Payload<{ interaction: InteractionRow | null; replayed: boolean }>> {
    return payload(async () => {
      const sent = await sendSms(ctx, ctx.runtime.queue, input, ctx.runtime.notifyInteraction);
      // The message as accepted comes from the insert; a repeat's is read.
      return { interaction: sent.interaction ?? (await interactionById(ctx).load(sent.interactionId)), replayed: sent.replayed };
    });
  }

  @AllowWriters()
  @Mutation(() => SmsSendBatchPayload, {
    description:
      'Sends up to 500 SMS at once, each exactly as `smsSend` would (same checks, same idempotency keys): a refused message gets its own userErrors and changes nothing, the others are sent.',
  })
  async smsSendBatch(
    @Arg('input', () => SmsSendBatchInput, { description: 'The messages, each as `smsSend` takes one.' }) input: SmsSendBatchInput,
    @Ctx() ctx: RequestContext,
  ): Promise<SmsSendBatchPayload> {
    // A refused batch still answers a list (empty): each message's fate is in `results`, always there.
    const answer = await payload(async (): Promise<{ results: SmsSendBatchResult[] }> => {
      const outcomes = await sendSmsBatch(ctx, ctx.runtime.queue, input.messages, ctx.runtime.notifyInteraction);
      const interactions = interactionById(ctx);
      const results = await Promise.all(
        outcomes.map(async ({ interactionId, replayed, error }, index) => ({
          index,
          interaction: interactionId === null ? null : await interactions.load(interactionId),
          replayed,
          userErrors: error ? (toUserErrors(error) ?? []) : [],
        })),
      );
      return { results };
    });
    return { ...answer, results: answer.results ?? [] };
  }
}
