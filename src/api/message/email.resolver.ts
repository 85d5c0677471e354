import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { payload, type Payload } from '../../core/errors.js';
import type { RequestContext } from '../context.js';
import { AllowWriters } from '../allow.js';
import { interactionById } from '../interaction/interaction.loaders.js';
import type { InteractionRow } from '../../domain/interaction/interaction.rows.js';
import { sendEmail } from '../../domain/message/email.service.js';
import { EmailSendInput, EmailSendPayload } from './dto/email-send.js';

@Resolver()
export class EmailResolver {
  @AllowWriters()
  @Mutation(() => EmailSendPayload, {
    description: 'Sends an email (HTML and/or text, with attachments) to a customer: recorded as an Interaction (QUEUED) and delivered over SMTP by a worker, retried while the mail server is unavailable. Idempotent by key.',
  })
  emailSend(
    @Arg('input', () => EmailSendInput, { description: 'The customer, subject, bodies, attachments, priority and idempotency key.' }) input: EmailSendInput,
    @Ctx() ctx: RequestContext,
  ): Promise<Payload<{ interaction: InteractionRow | null; replayed: boolean }>> {
    return payload(async () => {
      const sent = await sendEmail(ctx, ctx.runtime.queue, ctx.runtime.config, input, ctx.runtime.notifyInteraction);
      // The message as accepted comes from the insert; a repeat's is read.
      return { interaction: sent.interaction ?? (await interactionById(ctx).load(sent.interactionId)), replayed: sent.replayed };
    });
  }
}
