import { AsyncQueue } from '../async-queue.js';
import { selectRows } from '../../core/sql/rows.js';
import type { RequestContext } from '../context.js';
import { toInteractionRow, type InteractionRow } from '../../domain/interaction/interaction.rows.js';
import type { InteractionStatus } from '../../domain/interaction/interaction.entity.js';
import { changedInteractionId, interactionTopic } from '../../domain/message/message-events.js';

async function currentInteraction(ctx: RequestContext, interactionId: number): Promise<InteractionRow | undefined> {
  // A fresh fork for each read: the subscription's context lives as long as the subscription.
  const [row] = await selectRows(ctx.runtime.orm.em.fork(), 'select * from interaction where org_id = ? and id = ?', [ctx.org.id, interactionId]);
  return row ? toInteractionRow(row) : undefined;
}

async function latestInteraction(ctx: RequestContext, customerId: number): Promise<InteractionRow | undefined> {
  const [row] = await selectRows(ctx.runtime.orm.em.fork(), 'select * from interaction where org_id = ? and customer_id = ? order by id desc limit 1', [
    ctx.org.id,
    customerId,
  ]);
  return row ? toInteractionRow(row) : undefined;
}

/**
 * The current state of one customer's latest message (when it has one), then the status changes
 * of its messages: each announced change is read back as the interaction's current state. The
 * latest message is read once the events are followed, so no change falls between the two. Reads run one after another, so states
 * leave in the order their events came; a state whose status was already sent for that message
 * (two events read after both changes) is sent once.
 */
export function watchInteractions(ctx: RequestContext, customerId: number): AsyncIterableIterator<InteractionRow> {
  const lastStatus = new Map<number, InteractionStatus>();
  let reads = Promise.resolve();
  let unsubscribe = (): void => undefined;
  const out = new AsyncQueue<InteractionRow>({ onClose: () => unsubscribe() });
  const deliver = (interaction: InteractionRow | undefined): void => {
    if (!interaction || interaction.customerId !== customerId || lastStatus.get(interaction.id) === interaction.status) return;
    lastStatus.set(interaction.id, interaction.status);
    out.push(interaction);
  };
  unsubscribe = ctx.runtime.events.subscribe(interactionTopic(customerId), (message) => {
    const interactionId = changedInteractionId(message);
    if (interactionId === undefined) return;
    reads = reads.then(() =>
      currentInteraction(ctx, interactionId).then(deliver, (error: unknown) => ctx.runtime.imports.log(`Could not read interaction ${interactionId} for its watchers`, error)),
    );
  });
  reads = reads.then(() =>
    latestInteraction(ctx, customerId).then(deliver, (error: unknown) => ctx.runtime.imports.log(`Could not read the latest interaction of customer ${customerId} for its watchers`, error)),
  );
  return out;
}
