import { Args, ArgsType, Ctx, Field, FieldResolver, Resolver, Root } from 'type-graphql';
import { PageArgs, pageRequest, toConnection, type ConnectionValue } from '../relay.js';
import type { RequestContext } from '../context.js';
import type { CustomerRow } from '../../domain/customer/customer.rows.js';
import { Customer } from '../customer/customer.types.js';
import type { InteractionChannel } from '../../domain/interaction/interaction.entity.js';
import type { InteractionRow } from '../../domain/interaction/interaction.rows.js';
import { interactionsOfCustomer } from './interaction.loaders.js';
import { InteractionChannelEnum, InteractionConnection } from './interaction.types.js';

@ArgsType()
export class InteractionsArgs extends PageArgs {
  @Field(() => InteractionChannelEnum, { nullable: true, description: 'Only interactions on this channel.' })
  channel?: InteractionChannel | null;
}

/** `Customer.interactions` lives here, with the interaction rows, so the customer feature knows nothing of messages. */
@Resolver(() => Customer)
export class CustomerInteractionFields {
  @FieldResolver(() => InteractionConnection, { description: 'Messages sent to the customer, newest first; times in the org time zone.' })
  async interactions(
    @Root() customer: CustomerRow,
    @Args(() => InteractionsArgs) args: InteractionsArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<ConnectionValue<InteractionRow>> {
    const page = await interactionsOfCustomer(ctx, args.channel ?? null, pageRequest(args)).load(customer.id);
    return toConnection(page, (interaction) => interaction.sentAt.toISOString());
  }
}
