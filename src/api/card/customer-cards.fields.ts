import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { PageArgs, pageRequest, toConnection, type ConnectionValue } from '../relay.js';
import type { RequestContext } from '../context.js';
import type { CustomerRow } from '../../domain/customer/customer.rows.js';
import { Customer } from '../customer/customer.types.js';
import type { CardRow } from '../../domain/card/card.rows.js';
import { cardsOfCustomer } from './card.loaders.js';
import { CardConnection } from './card.types.js';

/** `Customer.cards` lives here, with the card rows, so the customer feature knows nothing of cards. */
@Resolver(() => Customer)
export class CustomerCardFields {
  @FieldResolver(() => CardConnection, { description: 'Cards issued to the customer, newest first.' })
  async cards(@Root() customer: CustomerRow, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: RequestContext): Promise<ConnectionValue<CardRow>> {
    return toConnection(await cardsOfCustomer(ctx, pageRequest(args)).load(customer.id), (card) => card.id);
  }
}
