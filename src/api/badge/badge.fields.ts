import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { customerById } from '../customer/customer.loaders.js';
import { Customer } from '../customer/customer.types.js';
import type { EarnedBadgeRow } from '../../domain/badge/badge.rows.js';
import { EarnedBadge } from './badge.types.js';

@Resolver(() => EarnedBadge)
export class EarnedBadgeFields {
  @FieldResolver(() => Customer, { description: 'The customer who earned the badge.' })
  customer(@Root() row: EarnedBadgeRow, @Ctx() ctx: RequestContext) {
    return customerById(ctx).load(row.customerId);
  }
}
