import { mkdir, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import {
  hasGraphqlErrors,
  insertApiKey,
  log,
  postgresVersion,
  requestHeaders,
  RESULTS_DIR,
  runBenchMain,
  ROOT,
  startGraphqlServer,
  thousands,
  writeAtomically,
  type Cleanup,
} from './lib/bench-support.js';
import { formatProfileSummary, summarizeProfile } from './lib/cpu-profile.js';
import { openBenchDatabase } from './lib/dataset.js';
import { benchPng, floorMailer, floorSmsClient, oneMessage, runPhase, settledStatuses, type BenchMail, type PhaseResult, type SendOutcome } from './lib/message-load.js';
import { startSmsGateway, startSmtpSink } from './lib/message-sinks.js';
import { alternatingRounds, type Round } from './lib/paired-rounds.js';
import { createBenchOrg } from './lib/mutation-dataset.js';
import { SMTP_POOL_CONNECTIONS } from '../src/app/jobs/email-transport.js';
import { EMAIL_BATCH_SIZE, EMAIL_LANES } from '../src/app/jobs/email.worker.js';
import { SMS_BATCH_SIZE, SMS_LANES } from '../src/app/jobs/sms.worker.js';
import { MESSAGES_PER_ENTRY } from '../src/app/jobs/queue.js';

/**
 * `npm run bench:messages`: SMS and emails per second end to end, from the first `smsSend` /
 * `emailSend` request to the real GraphQL server until a local HTTP gateway or SMTP server has
 * received the last message (the server's workers deliver them from its job queue), beside a
 * floor measured in the same run: the same messages sent by a bare loop straight to the same
 * gateway (the server's own gateway client: same JSON body, kept-alive connections) and SMTP
 * server (nodemailer, same message and attachment), with the same number in flight.
 *
 * The org starts with a history (HISTORY_PER_CUSTOMER earlier messages per customer, each with its
 * idempotency key), and the server's measured phases follow a warm-up through the API and an
 * ANALYZE, as autovacuum would run within a minute: without them, the server's connections plan
 * their statements while the queue's tables are empty and keep those plans (sequential scans) for
 * the whole run, which measured the first hour of a new database rather than an org at work.
 *
 * SMS go through the API twice: as `smsSendBatch` requests of --sms-batch messages (the measured
 * run, against the bar), and one `smsSend` request per message (reported beside it).
 *
 * Flags: --sms N, --sms-one N (SMS sent one a request; --sms by default), --emails N, --concurrency N (requests in flight, one message each), --sms-batch N
 * (at most 500), --batch-concurrency N (batch requests in flight), --attachment-kb N,
 * --distinct-attachments (each email carries an image of its own, on both sides; by default every
 * email carries the same image, as a campaign's do, and the server keeps its bytes once),
 * --max-seconds S (a phase is cut off that long after its first request, and the run reported as incomplete),
 * --rounds N (rounds per channel of the floor's phase and the server's, alternating which goes first; 3),
 * --profile (a CPU profile of the GraphQL server through its phases, written under .data/profiles/
 * and summarised; results are then not written, the profiler slowing the server down).
 */

const DATABASE = 'bench_messages';
/** The bar: end to end, at least half the floor's messages per second, on each channel. */
const RATIO_BAR = 0.5;
/** A delivery that brings nothing new for this long has stalled: the run fails. */
const IDLE_MS = 60_000;
const MAIL_FROM = 'loyalty@bench.example';
/** Sent through the API before the measured phases (not counted): the job queue's tables are then not empty. */
const WARM_UP = { sms: 2_000, emails: 100 } as const;
/** Earlier messages per customer, written before the run: an org that has been sending for a while. */
const HISTORY_PER_CUSTOMER = 5;

type Channel = 'sms' | 'email';

interface BenchOptions {
  readonly sms: number;
  /** SMS sent one `smsSend` a request (beside the bar); --sms by default. */
  readonly smsOne: number;
  readonly emails: number;
  readonly concurrency: number;
  /** SMS per `smsSendBatch` request, and such requests in flight. */
  readonly smsBatch: number;
  readonly batchConcurrency: number;
  readonly attachmentBytes: number;
  readonly distinctAttachments: boolean;
  readonly maxSeconds: number;
  /** Rounds of a floor phase and a GraphQL phase per channel, alternating which goes first; the ratio is their median. */
  readonly rounds: number;
  readonly profile: boolean;
}

function readOptions(): BenchOptions {
  const { values } = parseArgs({
    options: {
      sms: { type: 'string', default: '10000' },
      'sms-one': { type: 'string' },
      emails: { type: 'string', default: '2000' },
      concurrency: { type: 'string', default: '20' },
      'sms-batch': { type: 'string', default: '100' },
      'batch-concurrency': { type: 'string', default: '4' },
      'attachment-kb': { type: 'string', default: '200' },
      'distinct-attachments': { type: 'boolean', default: false },
      'max-seconds': { type: 'string', default: '900' },
      rounds: { type: 'string', default: '3' },
      profile: { type: 'boolean', default: false },
    },
  });
  const positive = (name: string, value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`--${name} must be a positive integer, got "${value}"`);
    return parsed;
  };
  return {
    sms: positive('sms', values.sms),
    smsOne: values['sms-one'] === undefined ? positive('sms', values.sms) : positive('sms-one', values['sms-one']),
    emails: positive('emails', values.emails),
    concurrency: positive('concurrency', values.concurrency),
    smsBatch: Math.min(500, positive('sms-batch', values['sms-batch'])),
    batchConcurrency: positive('batch-concurrency', values['batch-concurrency']),
    attachmentBytes: positive('attachment-kb', values['attachment-kb']) * 1024,
    distinctAttachments: values['distinct-attachments'],
    maxSeconds: positive('max-seconds', values['max-seconds']),
    rounds: positive('rounds', values.rounds),
    profile: values.profile,
  };
}

// ---------------------------------------------------------------------------------------------
// The messages: one customer per message index (modulo the customers), the same text and mail for both runs

interface Dataset {
  readonly orgId: number;
  readonly firstCustomerId: number;
  readonly customers: number;
  readonly senderId: string;
}

async function buildDataset(url: string, customers: number): Promise<Dataset> {
  const { orgId } = await createBenchOrg(url, { slug: 'bench-messages', name: 'Bench Messages' }, log);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `insert into customer (org_id, first_name, last_name, mobile, email, joined_at, created_at, updated_at)
        select $1, 'Bench', 'Customer ' || g, (6580000000 + g)::text, 'customer' || g || '@bench.example', now(), now(), now() from generate_series(1, $2::int) g`,
      [orgId, customers],
    );
    // A history: earlier messages (DELIVERED, over the past weeks), each with the idempotency key it was sent with.
    await client.query(
      `insert into interaction (org_id, customer_id, channel, sender_id, recipient, priority, content, status, sent_at, created_at)
        select c.org_id, c.id, case when g % 5 = 0 then 'EMAIL' else 'SMS' end, o.default_sender_id,
               case when g % 5 = 0 then c.email else c.mobile end, 'TRANS', 'An earlier message, number ' || g, 'DELIVERED',
               now() - make_interval(days => g * 7), now() - make_interval(days => g * 7)
          from customer c join org o on o.id = c.org_id cross join generate_series(1, $2::int) g where c.org_id = $1`,
      [orgId, HISTORY_PER_CUSTOMER],
    );
    await client.query(
      `insert into idempotency_key (org_id, scope, key, request_hash, result_id, created_at)
        select org_id, case channel when 'SMS' then 'smsSend' else 'emailSend' end, 'history-' || id, md5(id::text) || md5(content), id, created_at
          from interaction where org_id = $1`,
      [orgId],
    );
    await client.query('analyze');
    const { rows } = await client.query<{ id: string; sender: string }>(
      'select (select min(id) from customer where org_id = $1) as id, default_sender_id as sender from org where id = $1',
      [orgId],
    );
    return { orgId, firstCustomerId: Number(rows[0].id), customers, senderId: rows[0].sender };
  } finally {
    await client.end();
  }
}

const customerNumber = (dataset: Dataset, index: number): number => 1 + (index % dataset.customers);
const mobileOf = (dataset: Dataset, index: number): string => String(6580000000 + customerNumber(dataset, index));
const emailOf = (dataset: Dataset, index: number): string => `customer${customerNumber(dataset, index)}@bench.example`;
const smsText = (index: number): string => `Bench Coffee: you earned 25 points with bill T-${index}. Your balance is 1,250 points.`;
const SUBJECT = 'Your Bench Coffee receipt';
const mailText = (index: number): string => `Thank you for your visit. Receipt T-${index} is attached.`;
const mailHtml = (index: number): string => `<p>Thank you for your visit.</p><p>Receipt <b>T-${index}</b> is attached.</p>`;
const ATTACHMENT_NAME = 'receipt.png';

const SMS_OPERATION = `mutation SmsSend($input: SmsSendInput!) {
  smsSend(input: $input) { interaction { id } replayed userErrors { code message } }
}`;

const SMS_BATCH_OPERATION = `mutation SmsSendBatch($input: SmsSendBatchInput!) {
  smsSendBatch(input: $input) { results { index replayed userErrors { code message } } userErrors { code message } }
}`;

const EMAIL_OPERATION = `mutation EmailSend($input: EmailSendInput!) {
  emailSend(input: $input) { interaction { id } replayed userErrors { code message } }
}`;

/** A GraphQL send: null when the message was accepted, else why not. */
async function postSend(url: string, headers: Record<string, string>, body: string): Promise<string | null> {
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  if (response.status !== 200) return `HTTP ${response.status}: ${text.slice(0, 200)}`;
  if (hasGraphqlErrors(text) || !text.includes('"userErrors":[]')) return text.slice(0, 300);
  return null;
}

/** A `smsSendBatch` request of `size` messages: how many were not accepted (all, when the request failed). */
async function postBatch(url: string, headers: Record<string, string>, body: string, size: number): Promise<SendOutcome> {
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  if (response.status !== 200 || hasGraphqlErrors(text)) return { failed: size, error: `HTTP ${response.status}: ${text.slice(0, 300)}` };
  const { data } = JSON.parse(text) as { data: { smsSendBatch: { results: { userErrors: unknown[]; replayed: boolean }[]; userErrors: unknown[] } } };
  const refused = data.smsSendBatch.results.filter((result) => result.userErrors.length > 0 || result.replayed);
  const failed = data.smsSendBatch.userErrors.length > 0 ? size : refused.length + (size - data.smsSendBatch.results.length);
  return { failed, error: failed > 0 ? text.slice(0, 300) : null };
}

// ---------------------------------------------------------------------------------------------
// Runs

type ChannelRuns = Record<Channel, PhaseResult>;
/** The API's runs: the channels against the bar, and SMS one request per message beside them. */
type GraphqlRuns = ChannelRuns & { readonly smsOnePerRequest: PhaseResult };

interface Sinks {
  readonly gateway: Awaited<ReturnType<typeof startSmsGateway>>;
  readonly smtp: Awaited<ReturnType<typeof startSmtpSink>>;
}

/** Email `index`'s image: the shared one, or with --distinct-attachments one whose last bytes are the index. */
function attachmentOf(options: BenchOptions, attachment: Buffer, index: number): Buffer {
  if (!options.distinctAttachments) return attachment;
  const own = Buffer.from(attachment);
  own.writeUInt32BE(index, own.length - 4);
  return own;
}

/** One floor phase per channel, run as often as the rounds ask. */
function floorPhases(options: BenchOptions, dataset: Dataset, sinks: Sinks, attachment: Buffer): Record<Channel, (round: number) => Promise<PhaseResult>> {
  const sendSms = floorSmsClient(sinks.gateway.url);
  const send = floorMailer(sinks.smtp.url);
  const sms = (round: number) => {
    log(`[floor] round ${round}: ${thousands(options.sms)} SMS straight to the gateway`);
    return runPhase({
    count: options.sms,
    concurrency: options.concurrency,
    arrivals: sinks.gateway.arrivals,
    idleMs: IDLE_MS,
    maxSeconds: options.maxSeconds,
    pid: process.pid,
    send: async (index) => oneMessage(await sendSms({ id: index + 1, to: mobileOf(dataset, index), from: dataset.senderId, text: smsText(index), priority: 'TRANS' })),
    });
  };
  const email = (round: number) => {
    log(`[floor] round ${round}: ${thousands(options.emails)} emails straight to the SMTP server`);
    return runPhase({
    count: options.emails,
    concurrency: options.concurrency,
    arrivals: sinks.smtp.arrivals,
    idleMs: IDLE_MS,
    maxSeconds: options.maxSeconds,
    pid: process.pid,
    send: async (index) => {
      const mail: BenchMail = {
        messageId: `<interaction-${index + 1}@bench.example>`,
        from: MAIL_FROM,
        to: emailOf(dataset, index),
        subject: SUBJECT,
        html: mailHtml(index),
        text: mailText(index),
        attachments: [{ filename: ATTACHMENT_NAME, contentType: 'image/png', content: attachmentOf(options, attachment, index) }],
      };
      await send(mail);
      return oneMessage(null);
    },
    });
  };
  return { sms, email };
}

interface GraphqlPhases {
  /** The warm-up through the API and the ANALYZE that come before every measured phase. */
  warmUp(): Promise<void>;
  readonly sms: (round: number) => Promise<PhaseResult>;
  readonly email: (round: number) => Promise<PhaseResult>;
  smsOnePerRequest(): Promise<PhaseResult>;
}

function graphqlPhases(options: BenchOptions, dataset: Dataset, sinks: Sinks, attachment: Buffer, server: { url: string; apiKey: string; pid: number; databaseUrl: string }): GraphqlPhases {
  const { url, pid } = server;
  const headers = requestHeaders(server.apiKey);
  const customer = (index: number) => ({ type: 'USER_ID', value: String(dataset.firstCustomerId + (index % dataset.customers)) });
  const smsInput = (index: number, run: string) => ({ customer: customer(index), content: smsText(index), priority: 'TRANS', idempotencyKey: `bench-${run}-${index}` });
  const smsBatchPhase = (count: number, run: string) =>
    runPhase({
      count,
      concurrency: options.batchConcurrency,
      perRequest: options.smsBatch,
      arrivals: sinks.gateway.arrivals,
      idleMs: IDLE_MS,
      maxSeconds: options.maxSeconds,
      pid,
      send: (first, size) =>
        postBatch(
          url,
          headers,
          JSON.stringify({
            query: SMS_BATCH_OPERATION,
            operationName: 'SmsSendBatch',
            variables: { input: { messages: Array.from({ length: size }, (_, offset) => smsInput(first + offset, run)) } },
          }),
          size,
        ),
    });
  const sharedFileData = attachment.toString('base64');
  const fileDataOf = (index: number) => (options.distinctAttachments ? attachmentOf(options, attachment, index).toString('base64') : sharedFileData);
  const emailPhase = (count: number, run: string) =>
    runPhase({
      count,
      concurrency: options.concurrency,
      arrivals: sinks.smtp.arrivals,
      idleMs: IDLE_MS,
      maxSeconds: options.maxSeconds,
      pid,
      send: async (index) =>
        oneMessage(await postSend(
          url,
          headers,
          JSON.stringify({
            query: EMAIL_OPERATION,
            operationName: 'EmailSend',
            variables: {
              input: {
                customer: customer(index),
                subject: SUBJECT,
                html: mailHtml(index),
                text: mailText(index),
                attachments: [{ fileName: ATTACHMENT_NAME, contentType: 'image/png', fileEncodingType: 'BASE64', fileData: fileDataOf(index) }],
                priority: 'TRANS',
                idempotencyKey: `bench-${run}-${index}`,
              },
            },
          }),
        )),
    });

  return {
    async warmUp() {
      log(`[graphql] warm-up: ${thousands(WARM_UP.sms)} SMS and ${thousands(WARM_UP.emails)} emails, then ANALYZE`);
      const warmUp = [await smsBatchPhase(WARM_UP.sms, 'warm-sms'), await emailPhase(WARM_UP.emails, 'warm-email')];
      const incomplete = warmUp.find((run) => run.failedRequests > 0 || !run.complete);
      if (incomplete) throw new Error(`The warm-up did not complete: ${incomplete.firstError ?? `${incomplete.messages} messages received`}`);
      await analyze(server.databaseUrl);
    },
    sms: (round) => {
      log(`[graphql] round ${round}: ${thousands(options.sms)} SMS by smsSendBatch, ${options.smsBatch} a request`);
      return smsBatchPhase(options.sms, `sms-batch-${round}`);
    },
    email: (round) => {
      log(`[graphql] round ${round}: ${thousands(options.emails)} emailSend`);
      return emailPhase(options.emails, `email-${round}`);
    },
    smsOnePerRequest() {
      log(`[graphql] ${thousands(options.smsOne)} smsSend, one a request`);
      return runPhase({
        count: options.smsOne,
        concurrency: options.concurrency,
        arrivals: sinks.gateway.arrivals,
        idleMs: IDLE_MS,
        maxSeconds: options.maxSeconds,
        pid,
        send: async (index) => oneMessage(await postSend(url, headers, JSON.stringify({ query: SMS_OPERATION, operationName: 'SmsSend', variables: { input: smsInput(index, 'sms-one') } }))),
      });
    },
  };
}

type ChannelRound = Round<PhaseResult>;

/** A channel's rounds of the floor's phase and the server's (bench/lib/paired-rounds.ts): a machine whose speed drifts favours neither side. */
function channelRounds(rounds: number, floor: (round: number) => Promise<PhaseResult>, graphql: (round: number) => Promise<PhaseResult>) {
  return alternatingRounds(rounds, floor, graphql, ratio, log);
}

/**
 * What autovacuum does within a minute of a table's growth, done at once: fresh statistics (and,
 * through them, fresh plans on the server's connections), so the measured phases do not run on
 * plans made while the queue's tables were empty.
 */
async function analyze(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('analyze');
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Report

interface BenchReport {
  readonly benchmark: 'messages';
  readonly date: string;
  readonly node: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly postgres: { readonly version: string; readonly embedded: boolean };
  readonly load: {
    readonly sms: number;
  /** SMS sent one `smsSend` a request (beside the bar); --sms by default. */
  readonly smsOne: number;
    readonly emails: number;
    readonly concurrency: number;
    readonly smsBatch: number;
    readonly batchConcurrency: number;
    readonly attachmentBytes: number;
    readonly distinctAttachments: boolean;
    readonly customers: number;
    readonly maxSecondsPerPhase: number;
    readonly rounds: number;
  };
  /** The server's delivery workers, as `src/app/jobs/{sms,email}.worker.ts` set them (read there, not configurable). */
  readonly serverWorkers: { readonly smsLanes: number; readonly smsBatch: number; readonly emailLanes: number; readonly emailBatch: number };
  readonly graphql: GraphqlRuns;
  readonly floor: ChannelRuns;
  /** End-to-end messages/s of the server divided by the floor's, per channel (SMS: by smsSendBatch): the median round's. */
  readonly ratios: Record<Channel, number>;
  /** Every round per channel; `graphql` and `floor` above are the median round's phases. */
  readonly rounds: Record<Channel, readonly ChannelRound[]>;
  /** SMS one request per message, over the same floor (no bar). */
  readonly smsOnePerRequestRatio: number;
  readonly ratioBar: number;
  /** Interactions by channel and status after the run (every one should be SENT). */
  readonly statuses: Record<string, Record<string, number>>;
  readonly failures: string[];
}

const ratio = (graphql: PhaseResult, floor: PhaseResult): number =>
  floor.messagesPerSecond > 0 ? Math.round((graphql.messagesPerSecond / floor.messagesPerSecond) * 1000) / 1000 : 0;

const cores = (value: number | null | undefined): string => (value === null || value === undefined ? '–' : value.toFixed(2));
const busy = (value: number | null | undefined): string => (value === null || value === undefined ? '–' : `${Math.round(value * 100)} %`);

function markdown(report: BenchReport): string {
  const row = (label: string, channel: Channel | 'smsOnePerRequest'): string => {
    const g = report.graphql[channel];
    const f = report.floor[channel === 'smsOnePerRequest' ? 'sms' : channel];
    const shown =
      channel === 'smsOnePerRequest'
        ? `${report.smsOnePerRequestRatio} (beside the bar)`
        : `**${report.ratios[channel]}** (${report.ratios[channel] >= report.ratioBar ? 'met' : 'FAIL'}; rounds ${report.rounds[channel].map((round) => round.ratio).join(', ')})`;
    return (
      `| ${label} | ${thousands(g.messages)} | ${shown} | ${g.messagesPerSecond} | ${f.messagesPerSecond} | ` +
      `${g.requestSeconds} s (${g.requestLatencyMs.p50} / ${g.requestLatencyMs.p99} ms) | ${g.receivedPerSecondDuringRequests} | ` +
      `${g.complete ? '' : 'cut off after '}${g.seconds} s | ${g.drainMessagesPerSecond ?? '–'} | ` +
      `${cores(g.cpuDuringRequests.processCores)} / ${cores(g.cpuDuringDrain?.processCores)} | ${busy(g.cpuDuringRequests.machineBusy)} / ${busy(g.cpuDuringDrain?.machineBusy)} | ` +
      `${f.seconds} s |`
    );
  };
  const statuses = Object.entries(report.statuses)
    .map(([channel, counts]) => `${channel}: ${Object.entries(counts).map(([status, n]) => `${thousands(n)} ${status}`).join(', ')}`)
    .join('; ');
  return [
    '### Message benchmark: SMS and email, request → gateway / SMTP server',
    '',
    '| Channel | messages | GraphQL / floor (bar ≥ 0.5) | GraphQL msg/s (end to end) | floor msg/s | GraphQL requests done after (p50 / p99) | GraphQL msg/s received until then | GraphQL last message after | GraphQL msg/s after the last request | server CPU, cores (requests / after) | machine busy (requests / after) | floor last message after |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    row(`SMS (\`smsSendBatch\`, ${report.load.smsBatch} a request → HTTP gateway)`, 'sms'),
    row(`email (\`emailSend\`, ${Math.round(report.load.attachmentBytes / 1024)} KB PNG${report.load.distinctAttachments ? ', a distinct one each' : ', the same in each'} → SMTP)`, 'email'),
    row('SMS (`smsSend`, one a request → HTTP gateway)', 'smsOnePerRequest'),
    '',
    `${report.load.concurrency} requests in flight on each side (${report.load.batchConcurrency} for \`smsSendBatch\`, the floor ${report.load.concurrency} messages); end to end is from the first request until the gateway or SMTP server received the last message. ` +
      `Each channel runs in ${report.load.rounds} alternating rounds of the floor's phase and the server's (the floor first in odd rounds, the server first in even ones); the ratio is the median of the rounds' ratios, and the row shows that round's phases. ` +
      `The org has sent ${HISTORY_PER_CUSTOMER} messages per customer before (written at the start), and the server's measured phases follow a warm-up of ${thousands(WARM_UP.sms)} SMS and ${thousands(WARM_UP.emails)} emails through the API and an ANALYZE. ` +
      `The server delivers from its job queue (pg-boss; messages sent together share an entry of up to ${MESSAGES_PER_ENTRY}) with ${report.serverWorkers.smsLanes} SMS lanes of up to ${report.serverWorkers.smsBatch} entries at a time and ${report.serverWorkers.emailLanes} email lanes of up to ${report.serverWorkers.emailBatch} per process; ` +
      `the floor sends the same bodies (the gateway's JSON through the server's own gateway client, nodemailer with the same message and attachment, a pool of ${SMTP_POOL_CONNECTIONS} kept-open SMTP connections as the server's transport) straight from a bare loop. ` +
      `Retried deliveries: ${report.graphql.sms.repeats} SMS, ${report.graphql.email.repeats} emails. Interactions after the run: ${statuses}. ` +
      `${thousands(report.load.customers)} customers. Node ${report.node}, PostgreSQL ${report.postgres.version}${report.postgres.embedded ? ' (embedded)' : ''}, ` +
      `${report.cpus} × ${report.cpuModel}; server, database, gateway, SMTP server and load generator on one machine; ${report.date.slice(0, 10)}.`,
    '',
  ].join('\n');
}

function summary(report: BenchReport): string {
  const line = (channel: Channel): string =>
    `  ${channel.padEnd(6)} graphql ${String(report.graphql[channel].messagesPerSecond).padStart(8)} msg/s   floor ${String(report.floor[channel].messagesPerSecond).padStart(8)} msg/s   ratio ${report.ratios[channel]} (rounds: ${report.rounds[channel].map((round) => round.ratio).join(', ')})`;
  return [
    '',
    `Messages, ${report.load.concurrency} in flight (${report.cpus} × ${report.cpuModel}, Node ${report.node})`,
    line('sms'),
    line('email'),
    `  sms one request each: graphql ${report.graphql.smsOnePerRequest.messagesPerSecond} msg/s, ratio ${report.smsOnePerRequestRatio}`,
    `  statuses: ${JSON.stringify(report.statuses)}`,
    ...report.failures.map((failure) => `  ! ${failure}`),
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Main

/** The handlers per process of `src/app/jobs/{sms,email}.worker.ts`, restated for the report. */
const SERVER_WORKERS = { smsLanes: SMS_LANES, smsBatch: SMS_BATCH_SIZE, emailLanes: EMAIL_LANES, emailBatch: EMAIL_BATCH_SIZE } as const;

async function runBench(options: BenchOptions, cleanup: Cleanup): Promise<BenchReport> {
  const db = await openBenchDatabase({ database: DATABASE, embeddedDir: path.join(ROOT, '.data/bench'), log });
  cleanup.add(() => db.stop());
  const customers = Math.max(options.sms, options.emails);
  log(`Building an org with ${thousands(customers)} customers (mobile and email)`);
  const dataset = await buildDataset(db.url, customers);
  const apiKey = await insertApiKey(db.url, dataset.orgId, 'bench:messages');
  const attachment = benchPng(options.attachmentBytes);

  const gateway = await startSmsGateway();
  cleanup.add(() => gateway.close());
  const smtp = await startSmtpSink();
  cleanup.add(() => smtp.close());
  const sinks = { gateway, smtp };
  log(`SMS gateway at ${gateway.url}, SMTP server at ${smtp.url}`);

  // The server runs from the start, idle beside the floor's phases (its queue polls once a second).
  const cpuProfileDir = options.profile ? path.join(ROOT, '.data/profiles', `${new Date().toISOString().replace(/[:.]/g, '-')}-messages`) : undefined;
  const target = await startGraphqlServer(db.url, apiKey, { SMS_GATEWAY_URL: gateway.url, SMTP_URL: smtp.url, MAIL_FROM, IMPORT_WORKERS: '1' }, { cpuProfileDir });
  cleanup.add(() => target.server.stop());
  const floorPhase = floorPhases(options, dataset, sinks, attachment);
  const graphqlPhase = graphqlPhases(options, dataset, sinks, attachment, { url: target.url, apiKey, pid: target.server.pid, databaseUrl: db.url });
  await graphqlPhase.warmUp();
  const smsRounds = await channelRounds(options.rounds, floorPhase.sms, graphqlPhase.sms);
  const emailRounds = await channelRounds(options.rounds, floorPhase.email, graphqlPhase.email);
  const smsOnePerRequest = await graphqlPhase.smsOnePerRequest();
  const floor: ChannelRuns = { sms: smsRounds.median.floor, email: emailRounds.median.floor };
  const graphql: GraphqlRuns = { sms: smsRounds.median.graphql, email: emailRounds.median.graphql, smsOnePerRequest };
  const statuses = await settledStatuses(db.url, dataset.orgId, 30_000);
  await target.server.stop();
  if (cpuProfileDir) {
    const file = (await readdir(cpuProfileDir)).find((name) => name.endsWith('.cpuprofile'));
    if (!file) throw new Error(`The GraphQL server wrote no CPU profile in ${cpuProfileDir}`);
    log(`CPU profile of the GraphQL server: ${path.relative(ROOT, path.join(cpuProfileDir, file))} (open it in Chrome DevTools or VS Code)`);
    console.log(formatProfileSummary(await summarizeProfile(path.join(cpuProfileDir, file), 40)));
  }

  const failures: string[] = [];
  const runsToCheck: [string, PhaseResult, number][] = [
    ...smsRounds.rounds.flatMap((round, index): [string, PhaseResult, number][] => [
      [`floor sms, round ${index + 1}`, round.floor, options.sms],
      [`graphql sms (smsSendBatch), round ${index + 1}`, round.graphql, options.sms],
    ]),
    ...emailRounds.rounds.flatMap((round, index): [string, PhaseResult, number][] => [
      [`floor email, round ${index + 1}`, round.floor, options.emails],
      [`graphql email, round ${index + 1}`, round.graphql, options.emails],
    ]),
    ['graphql sms (smsSend)', graphql.smsOnePerRequest, options.smsOne],
  ];
  for (const [name, run, count] of runsToCheck) {
    {
      if (run.failedRequests > 0) failures.push(`${name}: ${run.failedRequests} sends failed (${run.firstError ?? 'no detail'})`);
      if (!run.complete) failures.push(`${name}: cut off after ${run.seconds} s with ${run.messages} of ${count} messages received`);
      else if (run.messages !== count) failures.push(`${name}: ${run.messages} of ${count} messages arrived`);
      if (run.malformed > 0) failures.push(`${name}: the sink refused ${run.malformed} malformed messages`);
    }
  }
  const sent = { sms: statuses.SMS?.SENT ?? 0, email: statuses.EMAIL?.SENT ?? 0 };
  if (sent.sms !== options.rounds * options.sms + options.smsOne + WARM_UP.sms || sent.email !== options.rounds * options.emails + WARM_UP.emails) failures.push(`interactions SENT: ${sent.sms} SMS, ${sent.email} emails (statuses ${JSON.stringify(statuses)})`);
  return {
    benchmark: 'messages',
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    postgres: { version: await postgresVersion(db.url), embedded: db.embedded },
    load: { sms: options.sms, smsOne: options.smsOne, emails: options.emails, concurrency: options.concurrency, smsBatch: options.smsBatch, batchConcurrency: options.batchConcurrency, attachmentBytes: options.attachmentBytes, distinctAttachments: options.distinctAttachments, customers, maxSecondsPerPhase: options.maxSeconds, rounds: options.rounds },
    serverWorkers: SERVER_WORKERS,
    graphql,
    floor,
    ratios: { sms: smsRounds.median.ratio, email: emailRounds.median.ratio },
    rounds: { sms: smsRounds.rounds, email: emailRounds.rounds },
    smsOnePerRequestRatio: ratio(graphql.smsOnePerRequest, floor.sms),
    ratioBar: RATIO_BAR,
    statuses,
    failures,
  };
}

runBenchMain('bench:messages', async (cleanup) => {
  const options = readOptions();
  const report = await runBench(options, cleanup);
  console.log(summary(report));
  if (options.profile) {
    log('Profiled: the results are not written (the profiler slows the server down).');
    return;
  }
  await mkdir(RESULTS_DIR, { recursive: true });
  // A run with an image of its own in each email is kept beside the default one, not over it.
  const name = options.distinctAttachments ? 'messages-distinct-attachments' : 'messages';
  await writeAtomically(path.join(RESULTS_DIR, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
  await writeAtomically(path.join(RESULTS_DIR, `${name}.md`), markdown(report));
  log(`Results: bench/results/${name}.json, bench/results/${name}.md`);
  if (report.failures.length > 0) throw new Error(`The run is not valid: ${report.failures.join('; ')}`);
});
