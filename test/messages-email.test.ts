import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmailInteractionByIdDocument, EmailMaxAttachmentBytesUpdateDocument, EmailSendDocument, type EmailSendMutationVariables } from './generated/graphql.js';
import { gqlClient, typedRequest, type GqlClient } from './support/client.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createApiKey } from '../src/app/seed/org-setup.js';
import { createCustomer, createOrg, type TestOrg } from './support/world.js';

type SendInput = EmailSendMutationVariables['input'];
type AttachmentInput = NonNullable<SendInput['attachments']>[number];

/** What the SMTP server took: the envelope's recipients and the parsed message. */
interface Received {
  readonly to: readonly string[];
  readonly mail: ParsedMail;
}

/**
 * A real SMTP server on a free port, without TLS or authentication. A recipient starting with
 * `bounce` is refused for good (550); one starting with `greylist` is refused for now (451) the
 * first time, then taken. Every RCPT is counted, so retries can be seen.
 */
async function startSmtp(): Promise<{ url: string; received: Received[]; attempts: Map<string, number>; close(): Promise<void> }> {
  const received: Received[] = [];
  const attempts = new Map<string, number>();
  const refuse = (message: string, responseCode: number) => Object.assign(new Error(message), { responseCode });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const count = (attempts.get(address.address) ?? 0) + 1;
      attempts.set(address.address, count);
      if (address.address.startsWith('bounce')) return callback(refuse('5.1.1 Mailbox does not exist', 550));
      if (address.address.startsWith('greylist') && count === 1) return callback(refuse('4.7.1 Greylisted, try again later', 451));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        simpleParser(Buffer.concat(chunks))
          .then((mail) => {
            received.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address), mail });
            callback();
          })
          .catch((error: Error) => callback(error));
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, received, attempts, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Reads an interaction until its status is no longer QUEUED (the worker delivered or failed it). */
async function settled(client: GqlClient, id: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await typedRequest(client, EmailInteractionByIdDocument, { id });
    const node = response.data?.node;
    if (node && 'status' in node && node.status !== 'QUEUED') return node;
    if (Date.now() > deadline) throw new Error(`Interaction ${id} is still QUEUED after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function numericId(globalId: string): number {
  return Number(Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1]);
}

/** Every byte value, so a byte changed on the way (a charset, a line ending) shows. */
const EVERY_BYTE = Buffer.from(Array.from({ length: 256 }, (_, index) => index));
const FILES = {
  png: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), EVERY_BYTE]),
  jpeg: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), EVERY_BYTE]),
  gif: Buffer.concat([Buffer.from('GIF89a', 'latin1'), EVERY_BYTE]),
  pdf: Buffer.concat([Buffer.from('%PDF-1.7\n', 'latin1'), EVERY_BYTE]),
};

function base64(fileName: string, contentType: string, data: Buffer): AttachmentInput {
  return { fileName, contentType, fileEncodingType: 'BASE64', fileData: data.toString('base64') };
}

describe('emailSend through an SMTP server', () => {
  let server: TestServer;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let org: TestOrg;
  let client: GqlClient;
  let customers = 0;

  beforeAll(async () => {
    smtp = await startSmtp();
    server = await startTestServer({ config: { smtpUrl: smtp.url, mailFrom: 'loyalty@shop.example' } });
    org = await createOrg(server.em(), { role: 'MEMBER_CARE' });
    client = gqlClient(server.url, org.key);
  });
  afterAll(async () => {
    await server?.stop();
    await smtp?.close();
  });

  async function newCustomer(options: { email?: string | null } = {}): Promise<{ id: number; email: string | null }> {
    customers += 1;
    const email = options.email === undefined ? `member${customers}@example.com` : options.email;
    return { id: await createCustomer(server.em(), org, { email }), email };
  }

  function send(customerId: number, input: Partial<SendInput> = {}) {
    return typedRequest(client, EmailSendDocument, {
      input: {
        customer: { type: 'USER_ID', value: String(customerId) },
        subject: 'Your points',
        text: 'You have 120 points.',
        priority: 'TRANS',
        idempotencyKey: crypto.randomUUID(),
        ...input,
      },
    });
  }

  function receivedFor(interactionId: string): Received[] {
    return smtp.received.filter(({ mail }) => mail.messageId === `<interaction-${numericId(interactionId)}@shop.example>`);
  }

  async function counts(customerId: number): Promise<{ interactions: number; attachments: number; jobs: number }> {
    const [row] = await server.em().execute<{ interactions: string; attachments: string; jobs: string }[]>(
      `select (select count(*) from interaction where customer_id = ?) as interactions,
          (select count(*) from interaction_attachment a join interaction i on i.id = a.interaction_id where i.customer_id = ?) as attachments,
          (select count(*) from pgboss.job where name = 'email-delivery') as jobs`,
      [customerId, customerId],
    );
    return { interactions: Number(row.interactions), attachments: Number(row.attachments), jobs: Number(row.jobs) };
  }

  it('records a QUEUED interaction with its attachments, and a worker sends it over SMTP, byte for byte, then marks it SENT', async () => {
    const customer = await newCustomer();
    const attachments: AttachmentInput[] = [
      base64('logo.png', 'image/png', FILES.png),
      base64('photo.JPEG', 'image/jpeg', FILES.jpeg),
      base64('banner.gif', 'application/octet-stream', FILES.gif),
      base64('statement.pdf', 'application/pdf', FILES.pdf),
      { fileName: 'notes.txt', contentType: 'text/plain', fileData: 'Line one\nLigne deux: é, 積分\n' },
    ];
    const html = '<p>You have <b>120</b> points.</p>';
    const response = await send(customer.id, { subject: 'Your statement', html, text: 'You have 120 points.', priority: 'BULK', attachments });
    expect(response.errors).toBeUndefined();
    const { interaction, replayed, userErrors } = response.data!.emailSend;
    expect(userErrors).toEqual([]);
    expect(replayed).toBe(false);
    expect(interaction).toMatchObject({ channel: 'EMAIL', status: 'QUEUED', senderId: 'loyalty@shop.example', subject: 'Your statement', content: 'You have 120 points.', priority: 'BULK' });
    expect(interaction!.attachments).toEqual([
      { name: 'logo.png', contentType: 'image/png', size: FILES.png.length },
      { name: 'photo.JPEG', contentType: 'image/jpeg', size: FILES.jpeg.length },
      { name: 'banner.gif', contentType: 'application/octet-stream', size: FILES.gif.length },
      { name: 'statement.pdf', contentType: 'application/pdf', size: FILES.pdf.length },
      { name: 'notes.txt', contentType: 'text/plain', size: Buffer.byteLength('Line one\nLigne deux: é, 積分\n') },
    ]);

    const sent = await settled(client, interaction!.id);
    expect(sent).toMatchObject({ status: 'SENT', failureReason: null });
    const [message] = receivedFor(interaction!.id);
    expect(message.to).toEqual([customer.email]);
    expect(message.mail.subject).toBe('Your statement');
    expect(message.mail.from?.text).toBe('loyalty@shop.example');
    expect(message.mail.html).toBe(html);
    expect(message.mail.text?.trim()).toBe('You have 120 points.');
    // The part's own header: mailparser's `contentType` guesses again from the name for application/octet-stream.
    const sentType = (attachment: ParsedMail['attachments'][number]) => (attachment.headers.get('content-type') as { value: string }).value;
    const got = message.mail.attachments.map((attachment) => ({ fileName: attachment.filename, contentType: sentType(attachment), content: attachment.content }));
    expect(got).toEqual([
      { fileName: 'logo.png', contentType: 'image/png', content: FILES.png },
      { fileName: 'photo.JPEG', contentType: 'image/jpeg', content: FILES.jpeg },
      { fileName: 'banner.gif', contentType: 'application/octet-stream', content: FILES.gif },
      { fileName: 'statement.pdf', contentType: 'application/pdf', content: FILES.pdf },
      { fileName: 'notes.txt', contentType: 'text/plain', content: Buffer.from('Line one\nLigne deux: é, 積分\n', 'utf8') },
    ]);
    const sentBytes = [FILES.png, FILES.jpeg, FILES.gif, FILES.pdf, Buffer.from('Line one\nLigne deux: é, 積分\n', 'utf8')];
    expect(got.map((attachment, index) => Buffer.isBuffer(attachment.content) && attachment.content.equals(sentBytes[index]))).toEqual([true, true, true, true, true]);
  });

  it('sends an HTML-only email, and an interaction without attachments lists none', async () => {
    const customer = await newCustomer();
    const { interaction } = (await send(customer.id, { text: null, html: '<h1>Hello</h1>' })).data!.emailSend;
    expect(interaction).toMatchObject({ content: '', attachments: [] });
    await settled(client, interaction!.id);
    const [message] = receivedFor(interaction!.id);
    // The end of the message's data ends its only part with a line break.
    expect(String(message.mail.html).trimEnd()).toBe('<h1>Hello</h1>');
  });

  it('refuses bad attachments and bad input with a user error naming the field, and writes and queues nothing', async () => {
    const customer = await newCustomer();
    const before = await counts(customer.id);
    const refusal = async (input: Partial<SendInput>) => {
      const { data, errors } = await send(customer.id, input);
      expect(errors).toBeUndefined();
      expect(data!.emailSend.interaction).toBeNull();
      const [error] = data!.emailSend.userErrors;
      return { code: error.code, field: error.field };
    };
    const at = (index: number, field: string) => ['input', 'attachments', String(index), field];

    // Images need base64, by content type or by extension.
    const pngAsText = { fileName: 'logo.png', contentType: 'image/png', fileData: 'not really' };
    expect(await refusal({ attachments: [base64('ok.pdf', 'application/pdf', FILES.pdf), pngAsText] })).toEqual({ code: 'ATTACHMENT_ENCODING_REQUIRED', field: at(1, 'fileEncodingType') });
    expect(await refusal({ attachments: [{ ...pngAsText, fileName: 'photo.jpg', contentType: 'application/octet-stream', fileEncodingType: 'NONE' }] })).toEqual({
      code: 'ATTACHMENT_ENCODING_REQUIRED',
      field: at(0, 'fileEncodingType'),
    });
    // Strict base64: the alphabet and padding only, a length that is a multiple of 4.
    const badBase64 = (fileData: string) => refusal({ attachments: [{ fileName: 'a.bin', contentType: 'application/octet-stream', fileEncodingType: 'BASE64', fileData }] });
    expect(await badBase64('abc')).toEqual({ code: 'ATTACHMENT_INVALID_BASE64', field: at(0, 'fileData') });
    expect(await badBase64('ab*d')).toEqual({ code: 'ATTACHMENT_INVALID_BASE64', field: at(0, 'fileData') });
    expect(await badBase64('ab=d')).toEqual({ code: 'ATTACHMENT_INVALID_BASE64', field: at(0, 'fileData') });
    expect(await badBase64('YWJj\nZA==')).toEqual({ code: 'ATTACHMENT_INVALID_BASE64', field: at(0, 'fileData') });
    expect(await badBase64('YWJj ZA=')).toEqual({ code: 'ATTACHMENT_INVALID_BASE64', field: at(0, 'fileData') });
    expect(await badBase64('YW-_ZA==')).toEqual({ code: 'ATTACHMENT_INVALID_BASE64', field: at(0, 'fileData') });
    expect(await badBase64('YWJjZA==YWJj')).toEqual({ code: 'ATTACHMENT_INVALID_BASE64', field: at(0, 'fileData') });
    // Bytes that are not what the type claims.
    expect(await refusal({ attachments: [base64('logo.png', 'image/png', FILES.gif)] })).toEqual({ code: 'ATTACHMENT_TYPE_MISMATCH', field: at(0, 'fileData') });
    expect(await refusal({ attachments: [base64('x.gif', 'image/gif', Buffer.from('GIF90a'))] })).toEqual({ code: 'ATTACHMENT_TYPE_MISMATCH', field: at(0, 'fileData') });
    expect(await refusal({ attachments: [base64('x.jpg', 'image/jpeg', FILES.png)] })).toEqual({ code: 'ATTACHMENT_TYPE_MISMATCH', field: at(0, 'fileData') });
    expect(await refusal({ attachments: [{ fileName: 'fake.pdf', contentType: 'application/pdf', fileData: 'plain words' }] })).toEqual({ code: 'ATTACHMENT_TYPE_MISMATCH', field: at(0, 'fileData') });
    // At most ten.
    expect(await refusal({ attachments: Array.from({ length: 11 }, (_, index) => ({ fileName: `n${index}.txt`, contentType: 'text/plain', fileData: 'x' })) })).toEqual({
      code: 'TOO_MANY_ATTACHMENTS',
      field: ['input', 'attachments'],
    });
    // The subject and the bodies.
    expect(await refusal({ subject: '  ' })).toEqual({ code: 'INVALID_INPUT', field: ['input', 'subject'] });
    expect(await refusal({ subject: 's'.repeat(501) })).toEqual({ code: 'INVALID_INPUT', field: ['input', 'subject'] });
    expect(await refusal({ subject: 'Two\r\nBcc: lines' })).toEqual({ code: 'INVALID_INPUT', field: ['input', 'subject'] });
    expect(await refusal({ html: null, text: null })).toEqual({ code: 'INVALID_INPUT', field: ['input'] });
    expect(await refusal({ text: 't'.repeat(100_001) })).toEqual({ code: 'INVALID_INPUT', field: ['input', 'text'] });
    expect(await refusal({ attachments: [{ fileName: '../etc/passwd', contentType: 'text/plain', fileData: 'x' }] })).toEqual({ code: 'INVALID_INPUT', field: at(0, 'fileName') });
    expect(await refusal({ attachments: [{ fileName: 'a.txt', contentType: 'text/plain\r\nX-Evil: 1', fileData: 'x' }] })).toEqual({ code: 'INVALID_INPUT', field: at(0, 'contentType') });

    expect(await counts(customer.id)).toEqual(before);
  });

  it("refuses attachments larger together than the org's emailMaxAttachmentBytes, and follows the setting when it changes", async () => {
    const customer = await newCustomer();
    const admin = gqlClient(server.url, await createApiKey(server.em(), org.orgId, 'ADMIN'));
    const setMax = async (emailMaxAttachmentBytes: number) => (await typedRequest(admin, EmailMaxAttachmentBytesUpdateDocument, { emailMaxAttachmentBytes })).data!.orgSettingsUpdate;
    expect((await setMax(0)).userErrors.map((error) => error.code)).toEqual(['INVALID_INPUT']);
    expect((await setMax(786_433)).userErrors.map((error) => error.code)).toEqual(['INVALID_INPUT']);
    const before = await counts(customer.id);
    // The default, 512 KiB, fits a 1 MB request body once base64-encoded.
    const big = Buffer.alloc(300 * 1024, 7);
    const overDefault = await send(customer.id, { attachments: [base64('a.bin', 'application/octet-stream', big), base64('b.bin', 'application/octet-stream', big)] });
    expect(overDefault.data!.emailSend.userErrors).toEqual([
      { code: 'ATTACHMENTS_TOO_LARGE', message: `The attachments take ${2 * big.length} bytes; the org allows at most 524288.`, field: ['input', 'attachments'] },
    ]);
    expect((await setMax(FILES.png.length + FILES.gif.length)).org).toMatchObject({ emailMaxAttachmentBytes: FILES.png.length + FILES.gif.length });
    try {
      const exactly = await send(customer.id, { attachments: [base64('a.png', 'image/png', FILES.png), base64('b.gif', 'image/gif', FILES.gif)] });
      expect(exactly.data!.emailSend.userErrors).toEqual([]);
      const over = await send(customer.id, { attachments: [base64('a.png', 'image/png', FILES.png), base64('b.gif', 'image/gif', FILES.gif), { fileName: 'c.txt', contentType: 'text/plain', fileData: 'x' }] });
      expect(over.data!.emailSend.userErrors.map((error) => error.code)).toEqual(['ATTACHMENTS_TOO_LARGE']);
    } finally {
      await setMax(524_288);
    }
    const after = await counts(customer.id);
    expect(after.interactions - before.interactions).toBe(1);
    expect(after.attachments - before.attachments).toBe(2);
  });

  it("keeps an attachment's bytes once per org and content: the same file sent twice is one blob, another org keeps its own, and each email carries its bytes", async () => {
    const first = await newCustomer();
    const second = await newCustomer();
    const blobs = async (orgId: number) =>
      (await server.em().execute<{ sha256: string; size: number }[]>('select sha256, size_bytes as size from attachment_blob where org_id = ? order by sha256', [orgId])).map((row) => ({ ...row, size: Number(row.size) }));
    const before = await blobs(org.orgId);
    const brochure = Buffer.concat([FILES.pdf, Buffer.from(crypto.randomUUID())]);
    const coupon = Buffer.concat([FILES.png, Buffer.from(crypto.randomUUID())]);
    const a = (await send(first.id, { attachments: [base64('brochure.pdf', 'application/pdf', brochure), base64('coupon.png', 'image/png', coupon)] })).data!.emailSend;
    // The same brochure under another name, and the coupon twice in one email.
    const b = (await send(second.id, { attachments: [base64('Offers.pdf', 'application/pdf', brochure), base64('c1.png', 'image/png', coupon), base64('c2.png', 'image/png', coupon)] })).data!.emailSend;
    expect([a.userErrors, b.userErrors]).toEqual([[], []]);
    const digest = (data: Buffer) => createHash('sha256').update(data).digest('hex');
    const added = (await blobs(org.orgId)).filter((blob) => !before.some((old) => old.sha256 === blob.sha256));
    expect(added).toEqual([{ sha256: digest(brochure), size: brochure.length }, { sha256: digest(coupon), size: coupon.length }].sort((x, y) => (x.sha256 < y.sha256 ? -1 : 1)));

    // Another org sending the same file keeps a blob of its own.
    const other = await createOrg(server.em(), { role: 'MEMBER_CARE' });
    const stranger = await createCustomer(server.em(), other, { email: 'stranger@example.com' });
    const c = await typedRequest(gqlClient(server.url, other.key), EmailSendDocument, {
      input: { customer: { type: 'USER_ID', value: String(stranger) }, subject: 'Offers', text: 'See attached.', priority: 'BULK', attachments: [base64('b.pdf', 'application/pdf', brochure)], idempotencyKey: crypto.randomUUID() },
    });
    expect(c.data!.emailSend.userErrors).toEqual([]);
    expect(await blobs(other.orgId)).toEqual([{ sha256: digest(brochure), size: brochure.length }]);

    for (const [sent, files] of [[a, [brochure, coupon]], [b, [brochure, coupon, coupon]]] as const) {
      await settled(client, sent.interaction!.id);
      const [message] = receivedFor(sent.interaction!.id);
      expect(message.mail.attachments.map((attachment) => attachment.content)).toEqual(files);
    }
    expect(receivedFor(b.interaction!.id)[0]!.mail.attachments.map((attachment) => attachment.filename)).toEqual(['Offers.pdf', 'c1.png', 'c2.png']);
  });

  it("follows the consent of the org unit an email is sent for (orgUnitCode), else the org's, and refuses an unknown unit", async () => {
    const customer = await newCustomer();
    const em = server.em();
    await em.execute(`insert into org_unit (org_id, code, name) values (?, 'NORTH', 'North'), (?, 'SOUTH', 'South') on conflict do nothing`, [org.orgId, org.orgId]);
    const consent = (unit: string | null, status: string) =>
      em.execute(
        `insert into channel_subscription (org_id, customer_id, channel, priority, account, org_unit_id, status, updated_at)
          values (?, ?, 'EMAIL', 'BULK', '', (select id from org_unit where org_id = ? and code = ?), ?, now())`,
        [org.orgId, customer.id, org.orgId, unit, status],
      );
    await consent(null, 'OPTOUT');
    await consent('NORTH', 'OPTIN');
    await consent('SOUTH', 'OPTOUT');
    const codeOf = async (orgUnitCode: string | null) => (await send(customer.id, { priority: 'BULK', orgUnitCode })).data!.emailSend.userErrors.map((error) => error.code);
    // The org-wide opt-out governs the org's own email and a unit with no record of its own.
    expect(await codeOf(null)).toEqual(['CUSTOMER_OPTED_OUT']);
    // North's opt-in governs North's email; South's opt-out governs South's.
    expect(await codeOf('NORTH')).toEqual([]);
    expect(await codeOf('SOUTH')).toEqual(['CUSTOMER_OPTED_OUT']);
    const unknown = (await send(customer.id, { priority: 'BULK', orgUnitCode: 'WEST' })).data!.emailSend;
    expect(unknown.userErrors).toEqual([{ code: 'NOT_FOUND', message: 'The org has no org unit "WEST".', field: ['input', 'orgUnitCode'] }]);
    expect(unknown.interaction).toBeNull();
  });

  it('refuses a customer without an email, one opted out of email at that priority, one confirmed fraudulent and one deleted', async () => {
    const codeOf = async (customerId: number, input: Partial<SendInput> = {}) => (await send(customerId, input)).data!.emailSend.userErrors.map((error) => error.code);
    const noEmail = await newCustomer({ email: null });
    expect(await codeOf(noEmail.id)).toEqual(['CUSTOMER_HAS_NO_EMAIL']);

    const optedOut = await newCustomer();
    const em = server.em();
    const consent = (channel: string, priority: string, status: string) =>
      em.execute(
        `insert into channel_subscription (org_id, customer_id, channel, priority, account, org_unit_id, status, updated_at)
          values (?, ?, ?, ?, '', null, ?, now())`,
        [org.orgId, optedOut.id, channel, priority, status],
      );
    await consent('EMAIL', 'BULK', 'OPTOUT');
    await consent('MOBILE', 'TRANS', 'OPTOUT');
    expect(await codeOf(optedOut.id, { priority: 'BULK' })).toEqual(['CUSTOMER_OPTED_OUT']);
    // Consent is per channel and priority: an SMS opt-out does not stop transactional email.
    expect(await codeOf(optedOut.id, { priority: 'TRANS' })).toEqual([]);
    const [optOut] = (await send(optedOut.id, { priority: 'BULK' })).data!.emailSend.userErrors;
    expect(optOut).toEqual({ code: 'CUSTOMER_OPTED_OUT', message: 'The customer opted out of BULK email.', field: ['input', 'customer'] });

    const fraud = await newCustomer();
    await em.execute(`update customer set fraud_status = 'CONFIRMED' where id = ?`, [fraud.id]);
    expect(await codeOf(fraud.id)).toEqual(['CUSTOMER_FRAUD_CONFIRMED']);
    const deleted = await newCustomer();
    await em.execute('update customer set status_label_id = ? where id = ?', [org.statusLabelIds.closed, deleted.id]);
    expect(await codeOf(deleted.id)).toEqual(['CUSTOMER_DELETED']);

    const [{ n }] = await em.execute<{ n: string }[]>('select count(*) as n from interaction where customer_id in (?, ?, ?)', [noEmail.id, fraud.id, deleted.id]);
    expect(Number(n)).toBe(0);
  });

  it('sends once per idempotency key: a repeat returns the first interaction and the server gets one message', async () => {
    const customer = await newCustomer();
    const idempotencyKey = crypto.randomUUID();
    const attachments = [base64('logo.png', 'image/png', FILES.png)];
    const first = (await send(customer.id, { subject: 'Only once', attachments, idempotencyKey })).data!.emailSend;
    const again = (await send(customer.id, { subject: 'Only once', attachments, idempotencyKey })).data!.emailSend;
    expect(again.replayed).toBe(true);
    expect(again.interaction!.id).toBe(first.interaction!.id);
    const otherFile = (await send(customer.id, { subject: 'Only once', attachments: [base64('logo.png', 'image/png', Buffer.concat([FILES.png, Buffer.from([1])]))], idempotencyKey })).data!.emailSend;
    expect(otherFile.userErrors.map((error) => error.code)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    await settled(client, first.interaction!.id);
    // Give a stray second delivery the time to happen before counting.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(receivedFor(first.interaction!.id)).toHaveLength(1);
    expect(await counts(customer.id)).toMatchObject({ interactions: 1, attachments: 1 });
  });

  it("marks an email the server refuses for good (5xx) FAILED with the server's reason, without retrying", async () => {
    const customer = await newCustomer({ email: 'bounce@example.com' });
    const { interaction } = (await send(customer.id)).data!.emailSend;
    const failed = await settled(client, interaction!.id);
    expect(failed.status).toBe('FAILED');
    expect(failed.failureReason).toMatch(/^Refused by the mail server: 550 .*Mailbox does not exist/);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(smtp.attempts.get('bounce@example.com')).toBe(1);
    expect(receivedFor(interaction!.id)).toHaveLength(0);
  });

  it('retries after a 4xx and marks the email SENT once the server takes it', async () => {
    const customer = await newCustomer({ email: 'greylist@example.com' });
    const { interaction } = (await send(customer.id)).data!.emailSend;
    const sent = await settled(client, interaction!.id);
    expect(sent).toMatchObject({ status: 'SENT', failureReason: null });
    expect(smtp.attempts.get('greylist@example.com')).toBe(2);
    expect(receivedFor(interaction!.id)).toHaveLength(1);
  });
});

describe('emailSend without an SMTP server', () => {
  let server: TestServer;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'email-outbox-'));
    server = await startTestServer({ config: { smtpUrl: undefined, mailFrom: 'news@shop.example', dataDir } });
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('writes the message to DATA_DIR/outbox/email/<interaction id>.eml and marks it SENT', async () => {
    const org = await createOrg(server.em(), { role: 'MEMBER_CARE' });
    const client = gqlClient(server.url, org.key);
    await createCustomer(server.em(), org, { email: 'outbox@example.com' });
    const response = await typedRequest(client, EmailSendDocument, {
      input: {
        customer: { type: 'EMAIL', value: 'outbox@example.com' },
        subject: 'To the outbox',
        html: '<p>Hi</p>',
        text: 'Hi',
        attachments: [base64('logo.png', 'image/png', FILES.png)],
        priority: 'TRANS',
        idempotencyKey: 'outbox-1',
      },
    });
    const { interaction } = response.data!.emailSend;
    expect(await settled(client, interaction!.id)).toMatchObject({ status: 'SENT' });
    const id = numericId(interaction!.id);
    const mail = await simpleParser(await readFile(path.join(dataDir, 'outbox', 'email', `${id}.eml`)));
    expect(mail.messageId).toBe(`<interaction-${id}@shop.example>`);
    expect(mail.subject).toBe('To the outbox');
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : null).toBe('outbox@example.com');
    expect(mail.html).toBe('<p>Hi</p>');
    expect(mail.attachments.map((attachment) => [attachment.filename, attachment.contentType, attachment.content])).toEqual([['logo.png', 'image/png', FILES.png]]);
  });
});
