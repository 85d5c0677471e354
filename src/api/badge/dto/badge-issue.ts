import { Field, InputType, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../../scalars.js';
import { UserErrorType } from '../../user-error.type.js';
import type { UserError } from '../../../core/errors.js';
import type { CustomerRow } from '../../../domain/customer/customer.rows.js';
import { Customer } from '../../customer/customer.types.js';
import { CustomerIdentifierInput } from '../../customer/dto/customer-identifier.input.js';
import type { EarnedBadgeRow } from '../../../domain/badge/badge.rows.js';
import { EarnedBadge } from '../badge.types.js';

@InputType({ description: 'A badge earned by a customer, possibly in the past (a retro issue).' })
export class BadgeIssueInput {
  @Field(() => CustomerIdentifierInput, { description: 'The customer.' })
  customer!: CustomerIdentifierInput;

  @Field(() => String, { description: 'The badge definition’s meta id (badgeMetaId).' })
  badgeMetaId!: string;

  @Field(() => DateTimeScalar, { description: 'When the badge was earned: now or in the past.' })
  earnEventDate!: Date;

  @Field(() => DateTimeScalar, { description: 'When the badge expires: after `earnEventDate`.' })
  earnExpiresOn!: Date;
}

@ObjectType({ description: 'Result of `badgeIssue`.' })
export class BadgeIssuePayload {
  @Field(() => EarnedBadge, { nullable: true, description: 'The badge earned.' })
  earnedBadge?: EarnedBadgeRow | null;

  @Field(() => Customer, { nullable: true, description: 'The customer, with the badge among its badges.' })
  customer?: CustomerRow | null;

  @Field(() => [UserErrorType], { description: 'Why no badge was issued; empty on success.' })
  userErrors!: UserError[];
}
