import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createTransport } from 'nodemailer';
import type { GatewayOutcome } from '../../domain/message/message-delivery.js';
import type { EmailTransport, OutgoingEmail } from '../../domain/message/email-delivery.js';

/** How long connecting, the greeting and any one reply may take before the attempt counts as unavailable (and is retried). */
const SMTP_TIMEOUT_MS = 10_000;
/** SMTP connections a process keeps open to the mail server; each carries messages one after another. */
export const SMTP_POOL_CONNECTIONS = 8;
/** Messages sent over one connection before it is replaced (a server may limit them per session). */
const SMTP_MESSAGES_PER_CONNECTION = 100;

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
 * The SMTP server at `url` (`smtp://user:pass@host:port`, `smtps://…`), over a pool of kept-open
 * connections. A 5xx reply refuses the
 * message for good, with the server's reason; a 4xx, a timeout or a network error is tried again later.
 */
export function smtpEmailTransport(url: string): EmailTransport {
  const transport = createTransport({
    url,
    pool: true,
    maxConnections: SMTP_POOL_CONNECTIONS,
    maxMessages: SMTP_MESSAGES_PER_CONNECTION,
    connectionTimeout: SMTP_TIMEOUT_MS,
    greetingTimeout: SMTP_TIMEOUT_MS,
    socketTimeout: SMTP_TIMEOUT_MS,
  });
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
