import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { UserErrorType } from '../../user-error.type.js';
import type { UserError } from '../../../core/errors.js';
import type { CustomerRow } from '../../../domain/customer/customer.rows.js';
import { Customer } from '../../customer/customer.types.js';
import { CustomerIdentifierInput } from '../../customer/dto/customer-identifier.input.js';
import type { UserGroupRow } from '../../../domain/user-group/user-group.rows.js';
import { UserGroup } from '../user-group.types.js';

@InputType({ description: 'A new group of customers with a primary member.' })
export class UserGroupCreateInput {
  @Field(() => String, { description: 'Group name (at most 200 characters).' })
  name!: string;

  @Field(() => String, { nullable: true, description: "The org's external id of the group, unique in the org." })
  externalId?: string | null;

  @Field(() => CustomerIdentifierInput, { description: 'The primary member (a member too).' })
  primaryMember!: CustomerIdentifierInput;

  @Field(() => [CustomerIdentifierInput], { nullable: true, description: 'Further members (at most 100).' })
  members?: CustomerIdentifierInput[] | null;
}

@InputType({ description: 'Customers joining a group.' })
export class UserGroupAddMembersInput {
  @Field(() => ID, { description: 'The group.' })
  groupId!: string;

  @Field(() => [CustomerIdentifierInput], { description: 'The customers to add (at most 100); members already in the group stay as they are.' })
  members!: CustomerIdentifierInput[];
}

@InputType({ description: 'A member leaving a group.' })
export class UserGroupRemoveMemberInput {
  @Field(() => ID, { description: 'The group.' })
  groupId!: string;

  @Field(() => CustomerIdentifierInput, { description: 'The member to remove (not the primary member).' })
  member!: CustomerIdentifierInput;
}

@ObjectType({ description: 'Result of a change to a group: the group with its members and standing.' })
export class UserGroupPayload {
  @Field(() => UserGroup, { nullable: true, description: 'The group after the change.' })
  userGroup?: UserGroupRow | null;

  @Field(() => [UserErrorType], { description: 'Why nothing was changed; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of `userGroupAddMembers`.' })
export class UserGroupAddMembersPayload extends UserGroupPayload {
  @Field(() => Int, { nullable: true, description: 'How many customers joined (members already in the group are not counted).' })
  addedCount?: number | null;
}

@ObjectType({ description: 'Result of `userGroupRemoveMember`.' })
export class UserGroupRemoveMemberPayload extends UserGroupPayload {
  @Field(() => Customer, { nullable: true, description: 'The customer who left the group.' })
  removedMember?: CustomerRow | null;
}
