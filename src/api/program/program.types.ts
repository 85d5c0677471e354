import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Node } from '../relay.js';
import { DateTimeScalar } from '../scalars.js';

@ObjectType({ implements: Node, description: 'A loyalty program of the org.' })
export class LoyaltyProgram extends Node {
  @Field(() => String, { description: 'Program name.' })
  name!: string;

  @Field(() => Boolean, { description: "Whether this is the org's default program (new groups are enrolled in it)." })
  isDefault!: boolean;

  @Field(() => Float, { description: 'Points earned per currency unit, before the tier multiplier.' })
  pointsPerCurrencyUnit!: number;

  @Field(() => Int, { description: 'Days until earned points expire.' })
  pointsExpiryDays!: number;
}

@ObjectType({ implements: Node, description: 'A tier (slab) of a loyalty program.' })
export class Tier extends Node {
  @Field(() => String, { description: 'Tier name.' })
  name!: string;

  @Field(() => Int, { description: 'Position in the program; 0 is the base tier.' })
  rank!: number;

  @Field(() => Float, { description: 'Lifetime purchases needed to reach this tier.' })
  purchaseThreshold!: number;

  @Field(() => Float, { description: 'Multiplier applied to points earned in this tier.' })
  pointsMultiplier!: number;
}

@ObjectType({ description: "A customer's or group's standing in one loyalty program." })
export class ProgramLoyalty {
  @Field(() => LoyaltyProgram, { description: 'The program.' })
  program!: LoyaltyProgram;

  @Field(() => Tier, { description: 'Current tier.' })
  tier!: Tier;

  @Field(() => Int, { description: 'Points balance: the sum of the points ledger.' })
  pointsBalance!: number;

  @Field(() => Int, { description: 'All points ever credited (earned, goodwill, imported); spending and expiry do not lower it.' })
  lifetimePoints!: number;

  @Field(() => Float, { description: 'Sum of all purchases in this program.' })
  lifetimePurchases!: number;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the enrolment began; null for a program not yet enrolled in.' })
  enrolledAt!: Date | null;
}
