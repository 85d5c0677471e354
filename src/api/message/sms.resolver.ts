import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { payload, type Payload } from '../../core/errors.js';
import type { RequestContext } from '../context.js';
import { AllowWriters } from '../allow.js';
import { interactionById } from '../interaction/interaction.loaders.js';
import type { InteractionRow } from '../../domain/interaction/interaction.rows.js';
import { sendSms } from '../../domain/message/sms.service.js';
import { SmsSendInput, SmsSendPayload } from './dto/sms-send.js';

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
      return { interaction: await interactionById(ctx).load(sent.interactionId), replayed: sent.replayed };
    });
  }
}
