import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { idOfType } from '../../graphql/relay.js';
import type { RequestContext } from '../../server/context.js';
import { userGroupById } from './user-group.loaders.js';
import { UserGroup } from './user-group.types.js';

@Resolver()
export class UserGroupResolver {
  @Query(() => UserGroup, { nullable: true, description: 'A customer group by id; null if there is none in your org.' })
  userGroup(@Arg('id', () => ID, { description: 'Global id of the group.' }) id: string, @Ctx() ctx: RequestContext) {
    const numericId = idOfType(id, 'UserGroup');
    return numericId ? userGroupById(ctx).load(numericId) : null;
  }
}
