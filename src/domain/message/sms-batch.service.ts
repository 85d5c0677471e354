import { writeRows } from '../../core/sql/rows.js';
import { inTransaction } from '../../core/sql/transaction.js';
import { CommonErrorCode, DomainError } from '../../core/errors.js';
import type { ServiceContext } from '../context.js';
import { recordAudits } from '../audit/audit.service.js';
import { customerIdsByRefs, customerNotFound } from '../customer/customer.service.js';
import { claimedKeys, claimKeys, clientKey, keyReused, requestHash, type ClaimedKey } from '../idempotency/idempotency.service.js';
import type { SmsMeasure } from './sms-encoding.js';
import type { InteractionNotifier } from './message-events.js';
import type { MessageQueue } from './message-queue.js';
import { queueMessages } from './send-rate.js';
import { checkConsent, consentStatuses, readRecipients, recipientAddress } from './message-rules.js';
import { chooseSenders, measureWithinCap, type ChosenSender } from './sms-rules.js';
import { checkSms, smsAudit, smsRequest, SMS_SEND_SCOPE, type CheckedSms, type SmsSend } from './sms.service.js';

/*
 * Many SMS in one request (`smsSendBatch`), each judged exactly as `sendSms` judges one, with the
 * same rules in the same order, but read and written set-based: a statement per identifier type,
 * one for recipients, one for consents, one per distinct sender asked for, two for idempotency
 * keys, one insert of interactions, one queue insert, one of audit entries.
 *
 * Messages are judged as if sent one after another in input order: a key repeated inside the batch
 * replays the first message that was accepted with it (IDEMPOTENCY_KEY_REUSED for another input),
 * and a refused message leaves its key free, as a failed `smsSend` does.
 */

/** Most messages one batch takes; the request's size stays bounded whatever the messages. */
export const SMS_BATCH_MAX = 500;

/** What became of one message of a batch. */
export interface SmsBatchOutcome {
  /** The interaction recorded, or for a repeated key the first one; null when the message was refused. */
  readonly interactionId: number | null;
  /** True when the idempotency key repeated an earlier message: nothing was written or queued for this one. */
  readonly replayed: boolean;
  /** Why the message was refused, its field under `['input', 'messages', index]`; null when accepted. */
  readonly error: DomainError | null;
}

/** A message past the checks of its own fields and its customer: what its idempotency key stands for. */
interface Keyed {
  readonly index: number;
  readonly sms: CheckedSms;
  readonly customerId: number;
  readonly key: string | null;
  readonly hash: string;
}

/** How a message would go out, or why it would not (the checks `sendSms` runs after the key). */
type Delivery = { readonly sender: ChosenSender; readonly measure: SmsMeasure; readonly mobile: string } | { readonly refusal: DomainError };

/** What the batch does with a message once keys are known. */
type Decision =
  | { readonly kind: 'send' }
  | { readonly kind: 'replay'; readonly resultId: number }
  | { readonly kind: 'replayOfEarlier'; readonly index: number }
  | { readonly kind: 'refuse'; readonly error: DomainError };

/** A message's error with its field moved under the message: `['input', 'content']` becomes `['input', 'messages', '3', 'content']`. */
function withinMessage(index: number, error: DomainError): DomainError {
  const [, ...rest] = error.field ?? ['input'];
  return new DomainError(error.code, error.message, ['input', 'messages', String(index), ...rest]);
}

/** Runs one message's check; a DomainError is the message's refusal (undefined is returned), anything else a bug. */
function attempt<T>(check: () => T, refuse: (error: DomainError) => void): T | undefined {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    refuse(error);
    return undefined;
  }
}

function boundedBatch(sends: readonly SmsSend[]): readonly SmsSend[] {
  if (sends.length === 0 || sends.length > SMS_BATCH_MAX) {
    throw new DomainError(CommonErrorCode.INVALID_INPUT, `messages must hold from 1 to ${SMS_BATCH_MAX} messages.`, ['input', 'messages']);
  }
  return sends;
}

/**
 * The checks `sendSms` runs before the idempotency key: the message's own fields, its customer
 * (one statement per identifier type) and the key's text. Refused messages go to `refuse`.
 */
async function keyedMessages(tx: ServiceContext, sends: readonly SmsSend[], refuse: (index: number, error: DomainError) => void): Promise<Keyed[]> {
  const checked = sends.flatMap((send, index) => {
    const sms = attempt(() => checkSms(send), (error) => refuse(index, error));
    return sms ? [{ index, send, sms }] : [];
  });
  const customerIds = await customerIdsByRefs(tx, checked.map(({ send }) => send.customer));
  return checked.flatMap(({ index, send, sms }, position) => {
    const customerId = customerIds[position];
    if (customerId === undefined) {
      refuse(index, customerNotFound(send.customer));
      return [];
    }
    const given = send.idempotencyKey;
    const key = attempt(() => (given === null || given === undefined ? null : clientKey(given)), (error) => refuse(index, error));
    if (key === undefined) return [];
    return [{ index, sms, customerId, key, hash: requestHash(smsRequest(customerId, sms)) }];
  });
}

/**
 * The checks `sendSms` runs after the key, for every message at once: the senders (one statement
 * for every sender asked for), the text's parts against the org's cap, the recipient, consent.
 */
async function deliveries(tx: ServiceContext, messages: readonly Keyed[]): Promise<Map<number, Delivery>> {
  const senders: ReadonlyMap<string | null, ChosenSender> = await chooseSenders(tx, messages.map(({ sms }) => sms.requested));
  const recipients = await readRecipients(tx, messages.map(({ customerId }) => customerId));
  const result = new Map<number, Delivery>();
  const refuse = (index: number) => (refusal: DomainError) => result.set(index, { refusal });
  const reachable = messages.flatMap(({ index, sms, customerId }) => {
    const sender = senders.get(sms.requested);
    const recipient = recipients.get(customerId);
    if (!sender || !recipient) throw new Error(`The sender or customer of message ${index} vanished while sending`);
    const measure = attempt(() => measureWithinCap(sms.content, sender.maxSegments), refuse(index));
    const mobile = measure && attempt(() => recipientAddress('SMS', recipient), refuse(index));
    return measure && mobile ? [{ index, customerId, priority: sms.priority, sender, measure, mobile }] : [];
  });
  const statuses = await consentStatuses(tx, 'SMS', reachable.map(({ customerId, priority, sender }) => ({ customerId, priority, orgUnitId: sender.orgUnitId })));
  reachable.forEach(({ index, priority, sender, measure, mobile }, position) => {
    const consents = attempt(() => {
      checkConsent('SMS', priority, statuses[position] ?? null);
      return true;
    }, refuse(index));
    if (consents) result.set(index, { sender, measure, mobile });
  });
  return result;
}

/** The first use of a key, before the batch or earlier in it: the hash of its input and how a repeat replays it. */
function firstUse(key: string, claimed: ReadonlyMap<string, ClaimedKey>, firstInBatch: ReadonlyMap<string, Keyed>): { hash: string; replay: Decision } | undefined {
  const before = claimed.get(key);
  if (before) return { hash: before.requestHash, replay: { kind: 'replay', resultId: before.resultId } };
  const earlier = firstInBatch.get(key);
  return earlier && { hash: earlier.hash, replay: { kind: 'replayOfEarlier', index: earlier.index } };
}

/**
 * What becomes of each message, in input order, given the keys claimed before the batch: a key
 * claimed already (before, or by an earlier message of the batch) replays its first message or is
 * refused for another input, ahead of the delivery checks, as in `runOnce`; otherwise the message
 * is sent unless a delivery check refuses it, and then its key stays free for a later message.
 */
function decide(messages: readonly Keyed[], claimed: ReadonlyMap<string, ClaimedKey>, delivery: ReadonlyMap<number, Delivery>): Map<number, Decision> {
  const firstInBatch = new Map<string, Keyed>();
  const decisions = new Map<number, Decision>();
  for (const message of messages) {
    const { index, key, hash } = message;
    const planned = delivery.get(index);
    if (!planned) throw new Error(`Message ${index} was not checked`);
    const first = key === null ? undefined : firstUse(key, claimed, firstInBatch);
    if (key !== null && first) {
      decisions.set(index, first.hash === hash ? first.replay : { kind: 'refuse', error: keyReused(key) });
    } else if ('refusal' in planned) {
      decisions.set(index, { kind: 'refuse', error: planned.refusal });
    } else {
      decisions.set(index, { kind: 'send' });
      if (key !== null) firstInBatch.set(key, message);
    }
  }
  return decisions;
}

/**
 * Claims the keys of the messages to send, each with its interaction's id drawn in advance, and
 * decides again should another request have claimed one meanwhile (that message, and its repeats,
 * then replay it). Returns the decisions and the ids drawn per key.
 */
async function claimAndDecide(tx: ServiceContext, messages: readonly Keyed[], delivery: ReadonlyMap<number, Delivery>): Promise<{ decisions: Map<number, Decision>; ids: Map<string, number> }> {
  const claimed = await claimedKeys(tx, SMS_SEND_SCOPE, messages.flatMap(({ key }) => (key === null ? [] : [key])));
  const ids = new Map<string, number>();
  for (let round = 1; ; round += 1) {
    const decisions = decide(messages, claimed, delivery);
    const wanted = messages.filter(({ index, key }) => key !== null && !ids.has(key) && decisions.get(index)?.kind === 'send') as (Keyed & { key: string })[];
    const won = await claimKeys(tx, SMS_SEND_SCOPE, wanted.map(({ key, hash }) => ({ key, hash })), 'interaction');
    for (const [key, id] of won) ids.set(key, id);
    const lost = wanted.filter(({ key }) => !won.has(key)).map(({ key }) => key);
    if (lost.length === 0) return { decisions, ids };
    if (round === 3) throw new Error(`Idempotency keys ${lost.join(', ')} can be neither claimed nor read`);
    for (const [key, first] of await claimedKeys(tx, SMS_SEND_SCOPE, lost)) claimed.set(key, first);
  }
}

/** An interaction to write, QUEUED, as `sendSms` writes one; `id` drawn in advance with its key, or null for one without a key. */
interface NewSms {
  readonly id: number | null;
  readonly customerId: number;
  readonly sms: CheckedSms;
  readonly sender: ChosenSender;
  readonly measure: SmsMeasure;
  readonly mobile: string;
}

/** Writes the interactions in one statement; returns their ids, in order. */
async function insertInteractions(tx: ServiceContext, rows: readonly NewSms[]): Promise<number[]> {
  const now = tx.clock.now();
  const written = await writeRows<{ id: string }>(
    tx.em,
    `with m as (
        select coalesce(m.id, nextval(pg_get_serial_sequence('interaction', 'id'))) as id, m.customer_id, m.sender_id, m.requested_sender_id,
          m.sender_fallback, m.priority, m.recipient, m.content, m.encoding, m.content_length, m.segments, m.position
        from unnest(?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[], ?::int[]) with ordinality
          as m(id, customer_id, sender_id, requested_sender_id, sender_fallback, priority, recipient, content, encoding, content_length, segments, position)),
      written as (
        insert into interaction (id, org_id, customer_id, channel, sender_id, requested_sender_id, sender_fallback, priority, recipient,
            content, encoding, content_length, segments, status, sent_at, queued_at, created_at)
          select id, ?, customer_id, 'SMS', sender_id, requested_sender_id, sender_fallback, priority, recipient,
            content, encoding, content_length, segments, 'QUEUED', ?, ?, ? from m order by position)
      select id from m order by position`,
    [
      rows.map((row) => row.id),
      rows.map((row) => row.customerId),
      rows.map((row) => row.sender.senderId),
      rows.map((row) => row.sms.requested),
      rows.map((row) => row.sender.fallback),
      rows.map((row) => row.sms.priority),
      rows.map((row) => row.mobile),
      rows.map((row) => row.sms.content),
      rows.map((row) => row.measure.encoding),
      rows.map((row) => row.measure.length),
      rows.map((row) => row.measure.segments),
      tx.org.id,
      now,
      now,
      now,
    ],
  );
  if (written.length !== rows.length) throw new Error(`${rows.length} interactions were to be written, ${written.length} were`);
  return written.map((row) => Number(row.id));
}

/**
 * Accepts many SMS at once, each as `sendSms` would: refused messages change nothing; the others are
 * recorded as QUEUED interactions and queued for delivery in one transaction, and watchers of their
 * customers hear of them after commit. Outcomes come back in input order.
 */
export async function sendSmsBatch(ctx: ServiceContext, queue: MessageQueue, sends: readonly SmsSend[], notify: InteractionNotifier): Promise<SmsBatchOutcome[]> {
  boundedBatch(sends);
  const { outcomes, sent } = await inTransaction(ctx, async (tx) => {
    const outcomes: SmsBatchOutcome[] = [];
    const refuse = (index: number, error: DomainError) => {
      outcomes[index] = { interactionId: null, replayed: false, error: withinMessage(index, error) };
    };
    const messages = await keyedMessages(tx, sends, refuse);
    const delivery = await deliveries(tx, messages);
    const { decisions, ids } = await claimAndDecide(tx, messages, delivery);

    const toSend = messages.flatMap((message) => {
      const planned = delivery.get(message.index);
      if (decisions.get(message.index)?.kind !== 'send' || !planned || 'refusal' in planned) return [];
      const id = message.key === null ? null : ids.get(message.key);
      if (id === undefined) throw new Error(`The key of message ${message.index} was not claimed`);
      return [{ ...message, ...planned, id }];
    });
    const interactionIds = toSend.length > 0 ? await insertInteractions(tx, toSend) : [];
    const sent = toSend.map((message, position) => ({ index: message.index, customerId: message.customerId, interactionId: interactionIds[position]! }));
    // Every sender read the same org row: any of them carries its send rate.
    if (sent.length > 0) await queueMessages(tx, queue, 'SMS', sent.map(({ interactionId }) => interactionId), toSend[0]!.sender.sendRate);
    await recordAudits(tx, toSend.map((message, position) => smsAudit(message.customerId, interactionIds[position]!, message.sender, message.sms.priority)));

    const sentAt = new Map(sent.map(({ index, interactionId }) => [index, interactionId]));
    for (const { index } of messages) {
      const decision = decisions.get(index)!;
      if (decision.kind === 'refuse') refuse(index, decision.error);
      else if (decision.kind === 'replay') outcomes[index] = { interactionId: decision.resultId, replayed: true, error: null };
      else if (decision.kind === 'replayOfEarlier') outcomes[index] = { interactionId: sentAt.get(decision.index)!, replayed: true, error: null };
      else outcomes[index] = { interactionId: sentAt.get(index)!, replayed: false, error: null };
    }
    return { outcomes, sent };
  });
  // Replays recorded nothing new, so only new messages are announced; not awaited, as in `sendSms`.
  for (const { customerId, interactionId } of sent) void notify({ customerId, interactionId });
  return outcomes;
}
