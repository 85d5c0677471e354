import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { UserErrorType } from '../../user-error.type.js';
import type { UserError } from '../../../core/errors.js';
import type { CustomerRow } from '../../../domain/customer/customer.rows.js';
import { Customer } from '../../customer/customer.types.js';
import { CustomerIdentifierInput } from '../../customer/dto/customer-identifier.input.js';
import type { LedgerEntryRow } from '../../../domain/points/points.rows.js';
import { PointsLedgerEntry } from '../points.types.js';

@InputType({ description: 'Goodwill points for a customer, found by any identifier.' })
export class GoodwillPointsIssueInput {
  @Field(() => CustomerIdentifierInput, { description: 'The customer. A card (number or external id, any status) also picks its program.' })
  customer!: CustomerIdentifierInput;

  @Field(() => ID, {
    nullable: true,
    description: "The program to credit. By default the program of the card that identifies the customer, otherwise the org's default program.",
  })
  programId?: string | null;

  @Field(() => Int, { description: "Points to grant: positive, at most the org's `goodwillPointsCap`." })
  points!: number;

  @Field(() => String, { description: 'Why the points are granted (required, at most 500 characters).' })
  reason!: string;

  @Field(() => String, {
    description: 'Chosen by the client, unique per issue: a repeat with the same key returns the first result and writes nothing.',
  })
  idempotencyKey!: string;
}

@ObjectType({ description: 'Result of a change of points: the ledger entry and the customer with its balances.' })
export class PointsChangePayload {
  @Field(() => PointsLedgerEntry, { nullable: true, description: 'The ledger entry written (or, for a repeated key, written the first time).' })
  ledgerEntry?: LedgerEntryRow | null;

  @Field(() => Customer, { nullable: true, description: 'The customer, with `loyalty` showing the new balance.' })
  customer?: CustomerRow | null;

  @Field(() => Boolean, { nullable: true, description: 'True when the idempotency key repeated an earlier request: nothing was written this time.' })
  replayed?: boolean | null;

  @Field(() => [UserErrorType], { description: 'Why nothing was changed; empty on success.' })
  userErrors!: UserError[];
}
