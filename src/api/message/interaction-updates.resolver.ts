import { Arg, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';
import { UserInputError } from '../errors.js';
import { idOfType } from '../relay.js';
import type { RequestContext } from '../context.js';
import { customerById } from '../customer/customer.loaders.js';
import { Interaction } from '../interaction/interaction.types.js';
import type { InteractionRow } from '../../domain/interaction/interaction.rows.js';
import { watchInteractions } from './interaction.watch.js';

/** The customer, if it is one of the caller's org: another org's customer reads as unknown. */
async function watchedCustomer(ctx: RequestContext, customerId: string): Promise<number> {
  const id = idOfType(customerId, 'Customer');
  const customer = id === undefined ? null : await customerById(ctx).load(id);
  if (!customer) throw new UserInputError('No customer with this id in your org.', 'customerId');
  return customer.id;
}

@Resolver()
export class InteractionUpdatesResolver {
  @Subscription(() => Interaction, {
    description:
      "The current state of the customer's latest message first (when there is one), then every status change of its messages: QUEUED when one is sent, then SENT, DELIVERED or FAILED as the gateway or mail server reports; each as the message's state when the change is read.",
    subscribe: async ({ args, context }) => watchInteractions(context as RequestContext, await watchedCustomer(context as RequestContext, String(args.customerId))),
  })
  interactionUpdated(@Arg('customerId', () => ID, { description: 'The customer whose messages to watch.' }) _customerId: string, @Root() interaction: InteractionRow): InteractionRow {
    return interaction;
  }
}
