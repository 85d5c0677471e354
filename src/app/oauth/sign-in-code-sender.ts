import type { MikroORM } from '@mikro-orm/postgresql';
import { selectRows } from '../../core/sql/rows.js';
import type { ServiceContext } from '../../domain/context.js';
import { sendEmail } from '../../domain/message/email.service.js';
import { sendSms } from '../../domain/message/sms.service.js';
import type { SignInIdentifier } from '../../domain/oauth/sign-in-code.service.js';
import { toOrgRow } from '../../domain/org/org.rows.js';
import type { AppRuntime } from '../server/runtime.js';

/** The context a sign-in acts in: the client's org, the client as the actor (`oauth:<clientId>`). */
export async function signInContext(orm: MikroORM, runtime: Pick<AppRuntime, 'clock'>, orgId: number, clientId: string): Promise<ServiceContext | undefined> {
  const em = orm.em.fork();
  const [row] = await selectRows(em, 'select * from org where id = ?', [orgId]);
  if (!row) return undefined;
  const org = toOrgRow(row);
  return { org, actor: `oauth:${clientId}`, timeZone: org.timeZone, em, clock: runtime.clock };
}

/**
 * Sends a sign-in code through the messages pipeline, as a transactional message from the org's
 * default sender (SMS) or the server's address (email). The Interaction member care sees says
 * the code masked; only the gateway gets its digits.
 */
export async function sendSignInCode(ctx: ServiceContext, runtime: AppRuntime, customerId: number, via: SignInIdentifier['type'], code: string): Promise<void> {
  const text = (shown: string) => `${shown} is your ${ctx.org.name} sign-in code. It is valid for 5 minutes. Do not share it.`;
  if (via === 'MOBILE') {
    await sendSms(ctx, runtime.queue, { customer: { id: customerId }, content: text(code), maskedContent: text('******'), priority: 'TRANS' }, runtime.notifyInteraction);
    return;
  }
  await sendEmail(
    ctx,
    runtime.queue,
    { mailFrom: runtime.config.mailFrom },
    { customer: { id: customerId }, subject: `Your ${ctx.org.name} sign-in code`, text: text(code), maskedText: text('******'), priority: 'TRANS' },
    runtime.notifyInteraction,
  );
}
