import { Field, ID, InputType, Int } from 'type-graphql';
import { CustomerIdentifierInput } from '../../customer/dto/customer-identifier.input.js';

@InputType({ description: 'Points a customer spends; the points that expire first go first.' })
export class PointsRedeemInput {
  @Field(() => CustomerIdentifierInput, { description: 'The customer.' })
  customer!: CustomerIdentifierInput;

  @Field(() => ID, { nullable: true, description: "The program to spend in; the org's default program by default." })
  programId?: string | null;

  @Field(() => Int, { description: 'Points to spend: positive, at most the balance.' })
  points!: number;

  @Field(() => String, { description: 'What the points are spent on (required, at most 500 characters).' })
  reason!: string;

  @Field(() => String, {
    description: 'Chosen by the client, unique per redemption: a repeat with the same key returns the first result and writes nothing.',
  })
  idempotencyKey!: string;
}
