import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { UserErrorType } from '../../user-error.type.js';
import type { UserError } from '../../../core/errors.js';
import type { CustomerRow } from '../../../domain/customer/customer.rows.js';
import { Customer } from '../../customer/customer.types.js';
import { CustomerIdentifierInput } from '../../customer/dto/customer-identifier.input.js';
import type { LedgerEntryRow } from '../../../domain/points/points.rows.js';
import { PointsLedgerEntry } from '../points.types.js';

@InputType({ description: 'Points one customer gives another customer of the org; the points that expire first go first, and keep their expiry.' })
export class PointsTransferInput {
  @Field(() => CustomerIdentifierInput, { nullable: true, description: 'The sender, whose points move. Required with a staff key.' })
  from?: CustomerIdentifierInput | null;

  @Field(() => CustomerIdentifierInput, { description: 'The recipient: another customer of the same org.' })
  to!: CustomerIdentifierInput;

  @Field(() => ID, { nullable: true, description: "The program the points move in; the org's default program by default." })
  programId?: string | null;

  @Field(() => Int, { description: "Points to move: positive, at most the sender's balance and the org's `pointsTransferCap`." })
  points!: number;

  @Field(() => String, {
    description: 'Chosen by the client, unique per transfer: a repeat with the same key returns the first result and moves nothing.',
  })
  idempotencyKey!: string;
}

@ObjectType({ description: "Result of `pointsTransfer`: both sides of the movement, and both customers with their balances." })
export class PointsTransferPayload {
  @Field(() => PointsLedgerEntry, { nullable: true, description: "The sender's TRANSFER_OUT entry (or, for a repeated key, the one written the first time)." })
  debit?: LedgerEntryRow | null;

  @Field(() => [PointsLedgerEntry], {
    nullable: true,
    description: "The recipient's TRANSFER_IN lots, one per lot the points came from, with its expiry; earliest expiry first.",
  })
  credits?: LedgerEntryRow[] | null;

  @Field(() => Customer, { nullable: true, description: 'The sender, with `loyalty` showing the new balance.' })
  sender?: CustomerRow | null;

  @Field(() => Customer, { nullable: true, description: 'The recipient, with `loyalty` showing the new balance.' })
  recipient?: CustomerRow | null;

  @Field(() => Boolean, { nullable: true, description: 'True when the idempotency key repeated an earlier request: nothing was moved this time.' })
  replayed?: boolean | null;

  @Field(() => [UserErrorType], { description: 'Why nothing was moved; empty on success.' })
  userErrors!: UserError[];
}
