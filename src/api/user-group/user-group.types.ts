import { Field, ObjectType } from 'type-graphql';
import { Node } from '../relay.js';
import { DateTimeScalar } from '../scalars.js';

@ObjectType({ implements: Node, description: 'A group of customers (a family, a company account) with a primary member; it earns and holds points of its own.' })
export class UserGroup extends Node {
  @Field(() => String, { description: 'Group name.' })
  name!: string;

  @Field(() => String, { nullable: true, description: "The org's external id of the group." })
  externalId!: string | null;

  @Field(() => DateTimeScalar, { description: 'When the group was created.' })
  createdAt!: Date;
}
