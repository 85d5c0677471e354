import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { customerById } from '../customer/customer.loaders.js';
import { Customer } from '../customer/customer.types.js';
import type { InteractionRow } from '../../domain/interaction/interaction.rows.js';
import { Interaction } from './interaction.types.js';

@Resolver(() => Interaction)
export class InteractionFields {
  @FieldResolver(() => Customer, { description: 'The customer the message was sent to.' })
  customer(@Root() row: InteractionRow, @Ctx() ctx: RequestContext) {
    return customerById(ctx).load(row.customerId);
  }
}
