import { createUnionType, Field, Float, Int, ObjectType } from 'type-graphql';
import { graphqlEnum } from '../enums.js';
import { connectionType, Node } from '../relay.js';
import { DateTimeScalar } from '../scalars.js';
import { Store } from '../org/org.types.js';
import { INCENTIVE_KINDS, INCENTIVE_STATUSES, type IncentiveKind, type IncentiveStatus } from '../../domain/incentive/incentive.entity.js';
import { INVALID_INCENTIVE_CODE_REASONS, type InvalidIncentiveCodeReason } from './incentive-search.js';
import { INCENTIVE_UNUSABLE_REASONS } from '../../domain/incentive/incentive-usability.js';

export const IncentiveKindEnum = graphqlEnum(INCENTIVE_KINDS, 'IncentiveKind', 'Coupon, promo code or gift voucher.', {
  COUPON: 'A coupon, usually issued to one customer.',
  PROMO_CODE: 'A promo code, usually shared by many customers.',
  GIFT_VOUCHER: 'A gift voucher.',
});
export const IncentiveStatusEnum = graphqlEnum(INCENTIVE_STATUSES, 'IncentiveStatus', 'Lifecycle status of an incentive code.', {
  ACTIVE: 'Can be redeemed (within its validity and redemption window).',
  REDEEMED: 'Redeemed as often as its series allows.',
  EXPIRED: 'Marked expired.',
  REVOKED: 'Withdrawn by the brand.',
});
export const IncentiveUnusableReasonEnum = graphqlEnum(
  INCENTIVE_UNUSABLE_REASONS,
  'IncentiveUnusableReason',
  "Why a code cannot be redeemed now: revoked, expired, redeemed as often as allowed, outside its validity, or outside its series' redemption window.",
  {
    REVOKED: 'The code was revoked.',
    EXPIRED: 'The code was marked expired.',
    FULLY_REDEEMED: 'The code has been redeemed as often as its series allows.',
    NOT_YET_VALID: 'Its validity has not started yet.',
    VALIDITY_ENDED: 'Its validity has ended.',
    BEFORE_REDEMPTION_WINDOW: "The series' redemption window has not opened yet.",
    AFTER_REDEMPTION_WINDOW: "The series' redemption window has closed.",
  },
);
export const InvalidIncentiveCodeReasonEnum = graphqlEnum(
  INVALID_INCENTIVE_CODE_REASONS,
  'InvalidIncentiveCodeReason',
  'Why a searched code is invalid: MALFORMED (blank or too long) or NOT_FOUND (no code of that kind in the org).',
  { MALFORMED: 'The code is blank or longer than any code can be.', NOT_FOUND: 'The org has no code of that kind with that value.' },
);

@ObjectType({ implements: Node, description: 'A series of coupons, promo codes or gift vouchers and the rules their codes share.' })
export class IncentiveSeries extends Node {
  @Field(() => IncentiveKindEnum, { description: 'Kind of the codes of this series.' })
  kind!: IncentiveKind;

  @Field(() => String, { description: 'Series code, unique in the org.' })
  code!: string;

  @Field(() => String, { nullable: true, description: 'Description.' })
  description!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Start of the validity of the codes; null for no start.' })
  validFrom!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'End of the validity of the codes; null for no end.' })
  validUntil!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Start of the redemption window; null for no start.' })
  redemptionFrom!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'End of the redemption window; null for no end.' })
  redemptionUntil!: Date | null;

  @Field(() => Int, { description: 'Times one code may be redeemed in all.' })
  maxRedemptionsPerCode!: number;

  @Field(() => Int, { nullable: true, description: 'Times one customer may redeem codes of this series; null for no limit.' })
  maxRedemptionsPerCustomer!: number | null;

  @Field(() => Boolean, { description: 'Whether a code may only be redeemed by the customer holding it.' })
  holderOnly!: boolean;
}

@ObjectType({ implements: Node, description: 'One code: a coupon, promo code or gift voucher.' })
export class Incentive extends Node {
  @Field(() => IncentiveKindEnum, { description: 'Coupon, promo code or gift voucher.' })
  kind!: IncentiveKind;

  @Field(() => String, { description: 'The code, unique per kind in the org.' })
  code!: string;

  @Field(() => IncentiveStatusEnum, { description: 'Lifecycle status.' })
  status!: IncentiveStatus;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Start of validity of this code; null for no start.' })
  validFrom!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'End of validity of this code; null for no end.' })
  validUntil!: Date | null;

  @Field(() => Int, { description: 'Times this code has been redeemed.' })
  redemptionCount!: number;

  @Field(() => DateTimeScalar, { description: 'When the code was issued.' })
  issuedAt!: Date;

  @Field(() => IncentiveSeries, { description: 'The series the code belongs to.' })
  series!: IncentiveSeries;
}

@ObjectType({ implements: Node, description: 'One redemption of an incentive code in a transaction.' })
export class IncentiveRedemption extends Node {
  @Field(() => String, { description: 'Number of the transaction (bill) the code was redeemed in.' })
  transactionNumber!: string;

  @Field(() => Float, { description: 'Amount of that bill.' })
  billAmount!: number;

  @Field(() => DateTimeScalar, { description: 'When the code was redeemed.' })
  redeemedAt!: Date;

  @Field(() => DateTimeScalar, { description: 'When the redemption was recorded.' })
  createdAt!: Date;

  @Field(() => Store, { nullable: true, description: 'Store the code was redeemed at, when known.' })
  store!: Store | null;

  @Field(() => Int, { description: 'Which redemption of the code this is: 1 for the first.' })
  sequence!: number;
}

@ObjectType({ description: 'The answer of the incentive search for a code that is not a valid code of that kind.' })
export class InvalidIncentiveCode {
  @Field(() => IncentiveKindEnum, { description: 'The kind searched.' })
  kind!: IncentiveKind;

  @Field(() => String, { description: 'The code searched, as given.' })
  code!: string;

  @Field(() => InvalidIncentiveCodeReasonEnum, { description: 'Why the code is invalid.' })
  reason!: InvalidIncentiveCodeReason;

  @Field(() => String, { description: 'Why the code is invalid, for people.' })
  message!: string;
}

export const IncentiveSearchResult = createUnionType({
  name: 'IncentiveSearchResult',
  description: 'The incentive a searched code belongs to, or an explicit invalid-code answer.',
  types: () => [Incentive, InvalidIncentiveCode] as const,
  resolveType: (value) => ('reason' in value ? 'InvalidIncentiveCode' : 'Incentive'),
});

export const IncentiveConnection = connectionType(Incentive, 'Incentive');
