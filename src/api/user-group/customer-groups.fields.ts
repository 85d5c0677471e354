import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context.js';
import type { CustomerRow } from '../../domain/customer/customer.rows.js';
import { Customer } from '../customer/customer.types.js';
import type { UserGroupRow } from '../../domain/user-group/user-group.rows.js';
import { groupsOfCustomer } from './user-group.loaders.js';
import { UserGroup } from './user-group.types.js';

/** `Customer.groups` lives here, with the membership rows, so the customer feature knows nothing of groups. */
@Resolver(() => Customer)
export class CustomerGroupFields {
  @FieldResolver(() => [UserGroup], { description: 'Groups the customer is a member of.' })
  groups(@Root() customer: CustomerRow, @Ctx() ctx: RequestContext): Promise<UserGroupRow[]> {
    return groupsOfCustomer(ctx).load(customer.id);
  }
}
