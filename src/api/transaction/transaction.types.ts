import { Field, Float, Int, ObjectType } from 'type-graphql';
import { connectionType, Node } from '../relay.js';
import { DateTimeScalar } from '../scalars.js';
import type { LedgerEntryKind } from '../../domain/points/points.entity.js';
import { LedgerEntryKindEnum } from '../points/points.enums.js';
import { LoyaltyProgram } from '../program/program.types.js';

@ObjectType({ description: 'One line of a bill.' })
export class TransactionLineItem {
  @Field(() => String, { description: 'Item code (SKU).' })
  sku!: string;

  @Field(() => String, { nullable: true, description: 'Item description.' })
  description!: string | null;

  @Field(() => Float, { description: 'Quantity bought (may be fractional, e.g. a weight).' })
  quantity!: number;

  @Field(() => Float, { description: 'Amount of the line.' })
  amount!: number;
}

@ObjectType({ description: 'Points booked for a transaction in one program, with their expiry.' })
export class PointsAward {
  @Field(() => LoyaltyProgram, { description: 'The program the points were booked in.' })
  program!: LoyaltyProgram;

  @Field(() => LedgerEntryKindEnum, { description: 'What the entry records (EARN for points issued, REVERSAL for a correction).' })
  kind!: LedgerEntryKind;

  @Field(() => Int, { description: 'Points: positive when credited, negative when debited.' })
  points!: number;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When these points expire; null if they never do.' })
  expiresAt!: Date | null;
}

@ObjectType({ implements: Node, description: 'A purchase: the bill, its line items and the points it earned.' })
export class Transaction extends Node {
  @Field(() => String, { description: 'Bill number (unique per store and business day).' })
  billNumber!: string;

  @Field(() => Float, { description: 'Bill amount.' })
  amount!: number;

  @Field(() => DateTimeScalar, { description: 'When the purchase happened.' })
  occurredAt!: Date;

  @Field(() => DateTimeScalar, { description: 'When the transaction was recorded.' })
  createdAt!: Date;

  @Field(() => [TransactionLineItem], { description: 'Lines of the bill.' })
  lineItems!: TransactionLineItem[];

  @Field(() => [PointsAward], { description: 'The points ledger entries of this transaction: points issued with their expiry.' })
  pointsIssued!: PointsAward[];

  @Field(() => Int, { description: 'Sum of `pointsIssued`.' })
  totalPoints!: number;
}

export const TransactionConnection = connectionType(Transaction, 'Transaction');
