import { writeRows } from '../../core/sql/rows.js';
import type { ServiceContext } from '../context.js';
import type { MessageJob, MessageQueue } from './message-queue.js';
import type { MessageChannel } from './message-rules.js';

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
export async function claimSendSlots(tx: ServiceContext, channel: MessageChannel, count: number): Promise<Date[] | null> {
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

/** Queues the deliveries of messages just recorded, each at its slot of the org's send rate. */
export async function queueMessages(tx: ServiceContext, queue: MessageQueue, channel: MessageChannel, interactionIds: readonly number[]): Promise<void> {
  const slots = await claimSendSlots(tx, channel, interactionIds.length);
  const messages: MessageJob[] = interactionIds.map((interactionId, index) => ({ interactionId, orgId: tx.org.id, ...(slots ? { notBefore: slots[index] as Date } : {}) }));
  if (channel === 'SMS') await queue.sendSms(messages, { tx: tx.em });
  else await queue.sendEmail(messages, { tx: tx.em });
}
