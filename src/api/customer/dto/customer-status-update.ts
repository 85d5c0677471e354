import { Field, InputType, ObjectType } from 'type-graphql';
import { UserErrorType } from '../../user-error.type.js';
import type { UserError } from '../../../core/errors.js';
import type { CustomerRow } from '../../../domain/customer/customer.rows.js';
import { Customer } from '../customer.types.js';
import { CustomerIdentifierInput } from './customer-identifier.input.js';

@InputType({ description: "Sets a customer's status label (a brand label over a standard status)." })
export class CustomerStatusUpdateInput {
  @Field(() => CustomerIdentifierInput, { description: 'The customer.' })
  customer!: CustomerIdentifierInput;

  @Field(() => String, { description: "One of the org's status labels, e.g. `on-hold`." })
  label!: string;

  @Field(() => String, { nullable: true, description: 'Why the status changes.' })
  reason?: string | null;
}

@ObjectType({ description: 'Result of `customerStatusUpdate`.' })
export class CustomerStatusUpdatePayload {
  @Field(() => Customer, { nullable: true, description: 'The customer with its new status; null when the update failed.' })
  customer?: CustomerRow | null;

  @Field(() => [UserErrorType], { description: 'Why the update failed; empty on success.' })
  userErrors!: UserError[];
}
