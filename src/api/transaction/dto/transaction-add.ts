import { Field, Float, ID, InputType, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../../scalars.js';
import { UserErrorType } from '../../user-error.type.js';
import type { UserError } from '../../../core/errors.js';
import type { CustomerRow } from '../../../domain/customer/customer.rows.js';
import { Customer } from '../../customer/customer.types.js';
import { CustomerIdentifierInput } from '../../customer/dto/customer-identifier.input.js';
import type { TierRow } from '../../../domain/program/program.rows.js';
import { Tier } from '../../program/program.types.js';
import type { UserGroupRow } from '../../../domain/user-group/user-group.rows.js';
import { UserGroup } from '../../user-group/user-group.types.js';
import type { TransactionRow } from '../../../domain/transaction/transaction.rows.js';
import { Transaction } from '../transaction.types.js';

@InputType({ description: 'One line of a bill.' })
export class TransactionLineItemInput {
  @Field(() => String, { description: 'Item code (SKU).' })
  sku!: string;

  @Field(() => String, { nullable: true, description: 'Item description.' })
  description?: string | null;

  @Field(() => Float, { description: 'Quantity: positive, at most three decimals.' })
  quantity!: number;

  @Field(() => Float, { description: 'Amount of the line: zero or more, at most two decimals.' })
  amount!: number;
}

@InputType({ description: 'A purchase: it earns points by the program’s rule and may lift the tier.' })
export class TransactionAddInput {
  @Field(() => CustomerIdentifierInput, { description: 'The customer who bought (for a group purchase: the member).' })
  customer!: CustomerIdentifierInput;

  @Field(() => String, { description: 'Code or external id of the store.' })
  storeCode!: string;

  @Field(() => String, { description: 'Bill number, unique per store and business day (in the org time zone).' })
  billNumber!: string;

  @Field(() => Float, { description: 'Bill amount: positive, at most two decimals.' })
  amount!: number;

  @Field(() => DateTimeScalar, { description: 'When the purchase happened (not in the future).' })
  occurredAt!: Date;

  @Field(() => [TransactionLineItemInput], { nullable: true, description: 'Lines of the bill (at most 500).' })
  lineItems?: TransactionLineItemInput[] | null;

  @Field(() => ID, { nullable: true, description: 'A group the customer belongs to, when the purchase is made for it: the group then earns the points.' })
  groupId?: string | null;
}

@ObjectType({ description: 'A tier change caused by a purchase.' })
export class TierUpgrade {
  @Field(() => Tier, { description: 'The tier before.' })
  from!: TierRow;

  @Field(() => Tier, { description: 'The tier reached.' })
  to!: TierRow;
}

@ObjectType({ description: 'Result of `transactionAdd`.' })
export class TransactionAddPayload {
  @Field(() => Transaction, { nullable: true, description: 'The transaction with its line items and the points it earned.' })
  transaction?: TransactionRow | null;

  @Field(() => Customer, { nullable: true, description: 'The customer who bought, with their standing.' })
  customer?: CustomerRow | null;

  @Field(() => UserGroup, { nullable: true, description: 'The group the purchase was made for, with its standing; null for a purchase of the customer alone.' })
  group?: UserGroupRow | null;

  @Field(() => TierUpgrade, { nullable: true, description: 'The tier the earner (customer or group) was lifted to; null when none.' })
  tierUpgrade?: { from: TierRow; to: TierRow } | null;

  @Field(() => [UserErrorType], { description: 'Why nothing was recorded; empty on success.' })
  userErrors!: UserError[];
}
