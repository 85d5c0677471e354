import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { PageArgs, pageRequest, toConnection } from '../relay.js';
import type { RequestContext } from '../context.js';
import { customerById } from '../customer/customer.loaders.js';
import { Customer, CustomerConnection } from '../customer/customer.types.js';
import { membersOfGroup } from './user-group.loaders.js';
import type { UserGroupRow } from '../../domain/user-group/user-group.rows.js';
import { UserGroup } from './user-group.types.js';

@Resolver(() => UserGroup)
export class UserGroupFields {
  @FieldResolver(() => Customer, { description: 'The primary member of the group.' })
  primaryMember(@Root() row: UserGroupRow, @Ctx() ctx: RequestContext) {
    return customerById(ctx).load(row.primaryMemberId);
  }

  @FieldResolver(() => CustomerConnection, { description: 'Members of the group, in the order they joined.' })
  async members(@Root() row: UserGroupRow, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: RequestContext) {
    const page = await membersOfGroup(ctx, pageRequest(args)).load(row.id);
    // Paged by membership row, so the cursor carries the membership id, not the customer id.
    return toConnection(page, (member) => member.membershipId);
  }
}
