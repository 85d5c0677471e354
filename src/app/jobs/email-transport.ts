import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createTransport } from 'nodemailer';
import type { GatewayOutcome } from '../../domain/message/message-delivery.js';
import type { EmailTransport, OutgoingEmail } from '../../domain/message/email-delivery.js';

/** How long connecting, the greeting and any one reply may take before the attempt counts as unavailable (and is retried). */
const SMTP_TIMEOUT_MS = 10_000;

/** The message as nodemailer composes it: a Message-ID made from the interaction id, so a repeat is recognisable. */
function mailOf(email: OutgoingEmail) {
  const domain = email.from.slice(email.from.lastIndexOf('@') + 1);
  return {
    messageId: `<interaction-${email.id}@${domain}>`,
    from: email.from,
    to: email.to,
    subject: email.subject,
    ...(email.html !== null ? { html: email.html } : {}),
    ...(email.text !== null ? { text: email.text } : {}),
    attachments: email.attachments.map((attachment) => ({ filename: attachment.fileName, contentType: attachment.contentType, content: attachment.data })),
  };
}

interface SmtpFailure {
  readonly message?: string;
  readonly response?: string;
  readonly responseCode?: number;
  readonly permanent?: boolean;
}

/**
 * The SMTP server at `url` (`smtp://user:pass@host:port`, `smtps://…`). A 5xx reply refuses the
 * message for good, with the server's reason; a 4xx, a timeout or a network error is tried again later.
 */
export function smtpEmailTransport(url: string): EmailTransport {
  const transport = createTransport({ url, connectionTimeout: SMTP_TIMEOUT_MS, greetingTimeout: SMTP_TIMEOUT_MS, socketTimeout: SMTP_TIMEOUT_MS });
  return {
    async deliver(email: OutgoingEmail): Promise<GatewayOutcome> {
      try {
        await transport.sendMail(mailOf(email));
        return { kind: 'ACCEPTED' };
      } catch (error) {
        const failure = (error ?? {}) as SmtpFailure;
        const reason = failure.response ?? failure.message ?? String(error);
        return failure.responseCode !== undefined && failure.permanent === true ? { kind: 'REJECTED', reason } : { kind: 'UNAVAILABLE', reason };
      }
    },
  };
}

/** Without a mail server, each email is written as `<dir>/<interaction id>.eml` (the message as it would be sent) and counts as sent. */
export function outboxEmailTransport(dir: string): EmailTransport {
  const transport = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async deliver(email: OutgoingEmail): Promise<GatewayOutcome> {
      const info = await transport.sendMail(mailOf(email));
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, `${email.id}.eml`), info.message);
      return { kind: 'ACCEPTED' };
    },
  };
}
