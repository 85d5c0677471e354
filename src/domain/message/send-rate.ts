import type { EntityManager } from '@mikro-orm/postgresql';
import { writeRows } from '../../core/sql/rows.js';
import type { ServiceContext } from '../context.js';
import type { DeliveryJob } from './message-delivery.js';
import type { MessageJob, MessageQueue } from './message-queue.js';
import type { MessageChannel } from './message-rules.js';

/**
 * How late past its slot a message may be handed over as it is. Later than that (the workers were
 * down, or far behind), it takes a new slot instead: a backlog drains at the rate too, rather than
 * in one burst a gateway would refuse.
 */
export const SLOT_LATENESS_MS = 3_000;

/** The org column holding each channel's rate (fixed names, never from input). */
const RATE_COLUMN: Record<MessageChannel, string> = { SMS: 'sms_send_rate', EMAIL: 'email_send_rate' };

/**
 * When each of `count` messages about to be queued may go out, at the org's send rate for the
 * channel; null when the org sets no rate (they go as soon as a worker takes them).
 *
 * The org's schedule for the channel keeps the time its next message may go: a claim takes
 * `count` slots `1 / rate` seconds apart from that time (or from now, when the schedule is idle)
 * and moves it past them, in the caller's transaction. Concurrent sends of one org queue behind
 * each other on the schedule's row; a rolled-back send gives its slots back. So the queue drains
 * at the rate, however fast messages arrive, and drops none.
 */
export async function claimSendSlots(tx: { readonly em: EntityManager; readonly org: { readonly id: number } }, channel: MessageChannel, count: number): Promise<Date[] | null> {
  if (count === 0) return null;
  const column = RATE_COLUMN[channel];
  const [claim] = await writeRows<{ startsAt: Date; rate: number }>(
    tx.em,
    `with rate as (select ${column} as per_second from org where id = ? and ${column} is not null)
    insert into message_send_schedule as s (org_id, channel, next_at)
      select ?, ?, clock_timestamp() + make_interval(secs => ?::int / r.per_second::float8) from rate r
    on conflict (org_id, channel) do update
      set next_at = greatest(s.next_at, clock_timestamp()) + make_interval(secs => ?::int / (select per_second from rate)::float8)
    returning s.next_at - make_interval(secs => ?::int / (select per_second from rate)::float8) as starts_at, (select per_second from rate) as rate`,
    [tx.org.id, tx.org.id, channel, count, count, count],
  );
  if (!claim) return null;
  const startsAt = new Date(claim.startsAt).getTime();
  const gapMs = 1000 / Number(claim.rate);
  return Array.from({ length: count }, (_, index) => new Date(startsAt + index * gapMs));
}

/**
 * Queues the deliveries of messages just recorded, each at its slot of the org's send rate.
 * `sendRate` is the rate as the send read it from the org row in this transaction: without one,
 * no slot is claimed (one statement fewer a send); the claim reads the rate again itself.
 */
export async function queueMessages(tx: ServiceContext, queue: MessageQueue, channel: MessageChannel, interactionIds: readonly number[], sendRate: number | null): Promise<void> {
  const slots = sendRate === null ? null : await claimSendSlots(tx, channel, interactionIds.length);
  const messages: MessageJob[] = interactionIds.map((interactionId, index) => ({ interactionId, orgId: tx.org.id, ...(slots ? { notBefore: slots[index] as Date } : {}) }));
  if (channel === 'SMS') await queue.sendSms(messages, { tx: tx.em });
  else await queue.sendEmail(messages, { tx: tx.em });
}

/**
 * Splits a worker's batch: the messages to hand over now, and those handed to the queue again at
 * new slots (their slot passed more than SLOT_LATENESS_MS ago and their org still limits the
 * channel). Each org's late messages are rescheduled in one transaction; their old entries are
 * then settled by the caller. A crash in between leaves two entries of one message, and the
 * second finds it no longer QUEUED.
 */
export async function rescheduleLate(
  deps: { readonly em: EntityManager; readonly queue: MessageQueue },
  channel: MessageChannel,
  jobs: readonly DeliveryJob[],
  now: Date,
): Promise<DeliveryJob[]> {
  const late = new Map<number, DeliveryJob[]>();
  const due: DeliveryJob[] = [];
  for (const job of jobs) {
    const slot = job.message.notBefore;
    if (slot && now.getTime() - slot.getTime() > SLOT_LATENESS_MS) {
      const orgJobs = late.get(job.message.orgId) ?? [];
      orgJobs.push(job);
      late.set(job.message.orgId, orgJobs);
    } else {
      due.push(job);
    }
  }
  for (const [orgId, orgJobs] of late) {
    const rescheduled = await deps.em.transactional(async (em) => {
      const slots = await claimSendSlots({ em, org: { id: orgId } }, channel, orgJobs.length);
      // The org lifted its limit meanwhile: they go now.
      if (!slots) return false;
      const messages = orgJobs.map((job, index) => ({ interactionId: job.message.interactionId, orgId, notBefore: slots[index] as Date }));
      if (channel === 'SMS') await deps.queue.sendSms(messages, { tx: em });
      else await deps.queue.sendEmail(messages, { tx: em });
      return true;
    });
    if (!rescheduled) due.push(...orgJobs);
  }
  return due;
}
