import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { idOfType, inputId } from '../relay.js';
import { payload } from '../../core/errors.js';
import type { RequestContext } from '../context.js';
import { AllowWriters } from '../allow.js';
import { customerById } from '../customer/customer.loaders.js';
import {
  UserGroupAddMembersInput,
  UserGroupAddMembersPayload,
  UserGroupCreateInput,
  UserGroupPayload,
  UserGroupRemoveMemberInput,
  UserGroupRemoveMemberPayload,
} from './dto/user-group-mutations.js';
import { userGroupById } from './user-group.loaders.js';
import { addUserGroupMembers, createUserGroup, removeUserGroupMember } from '../../domain/user-group/user-group.service.js';
import { UserGroup } from './user-group.types.js';

@Resolver()
export class UserGroupResolver {
  @Query(() => UserGroup, { nullable: true, description: 'A customer group by id; null if there is none in your org.' })
  userGroup(@Arg('id', () => ID, { description: 'Global id of the group.' }) id: string, @Ctx() ctx: RequestContext) {
    const numericId = idOfType(id, 'UserGroup');
    return numericId ? userGroupById(ctx).load(numericId) : null;
  }

  @AllowWriters()
  @Mutation(() => UserGroupPayload, { description: "Creates a group, enrolled in the org's default program at once (base tier, 0 points)." })
  userGroupCreate(@Arg('input', () => UserGroupCreateInput, { description: 'Name, primary member and members.' }) input: UserGroupCreateInput, @Ctx() ctx: RequestContext) {
    return payload(async () => {
      const { groupId } = await createUserGroup(ctx, { ...input, members: input.members ?? [] });
      return { userGroup: await userGroupById(ctx).load(groupId) };
    });
  }

  @AllowWriters()
  @Mutation(() => UserGroupAddMembersPayload, { description: 'Adds customers to a group.' })
  userGroupAddMembers(@Arg('input', () => UserGroupAddMembersInput, { description: 'The group and the customers.' }) input: UserGroupAddMembersInput, @Ctx() ctx: RequestContext) {
    return payload(async () => {
      const result = await addUserGroupMembers(ctx, { groupId: inputId(input.groupId, 'UserGroup') ?? 0, members: input.members });
      return { userGroup: await userGroupById(ctx).load(result.groupId), addedCount: result.added };
    });
  }

  @AllowWriters()
  @Mutation(() => UserGroupRemoveMemberPayload, { description: 'Removes a member (not the primary one) from a group.' })
  userGroupRemoveMember(
    @Arg('input', () => UserGroupRemoveMemberInput, { description: 'The group and the member.' }) input: UserGroupRemoveMemberInput,
    @Ctx() ctx: RequestContext,
  ) {
    return payload(async () => {
      const result = await removeUserGroupMember(ctx, { groupId: inputId(input.groupId, 'UserGroup') ?? 0, member: input.member });
      const [userGroup, removedMember] = await Promise.all([userGroupById(ctx).load(result.groupId), customerById(ctx).load(result.customerId)]);
      return { userGroup, removedMember };
    });
  }
}
