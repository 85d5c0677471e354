import { Field, Float, InputType, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../../scalars.js';
import { UserErrorType } from '../../user-error.type.js';
import type { UserError } from '../../../core/errors.js';
import { CustomerIdentifierInput } from '../../customer/dto/customer-identifier.input.js';
import type { IncentiveRedemptionRow, IncentiveRow } from '../../../domain/incentive/incentive.rows.js';
import { Incentive, IncentiveRedemption } from '../incentive.types.js';

@InputType({ description: 'A coupon redeemed by a customer in a bill.' })
export class CouponRedeemInput {
  @Field(() => String, { description: 'The coupon code.' })
  code!: string;

  @Field(() => CustomerIdentifierInput, { description: 'The customer redeeming it (any identifier).' })
  customer!: CustomerIdentifierInput;

  @Field(() => String, { description: 'Number of the bill the coupon is redeemed in.' })
  transactionNumber!: string;

  @Field(() => Float, { description: 'Amount of that bill: positive, at most two decimals.' })
  billAmount!: number;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was redeemed (not in the future); now by default.' })
  redemptionTime?: Date | null;

  @Field(() => String, { nullable: true, description: 'Code or external id of the store to attribute the redemption to.' })
  storeCode?: string | null;

  @Field(() => String, { description: 'Chosen by the client, unique per redemption: a repeat with the same key returns the first result.' })
  idempotencyKey!: string;
}

@ObjectType({ description: 'Result of `couponRedeem`.' })
export class CouponRedeemPayload {
  @Field(() => IncentiveRedemption, { nullable: true, description: 'The redemption (or, for a repeated key, the first one).' })
  redemption?: IncentiveRedemptionRow | null;

  @Field(() => Incentive, { nullable: true, description: 'The coupon, with its redemption count and status after the redemption.' })
  incentive?: IncentiveRow | null;

  @Field(() => Boolean, { nullable: true, description: 'True when the idempotency key repeated an earlier request: nothing was written this time.' })
  replayed?: boolean | null;

  @Field(() => [UserErrorType], { description: 'Why nothing was redeemed; empty on success.' })
  userErrors!: UserError[];
}
