import { Field, InputType, ObjectType } from 'type-graphql';
import { UserErrorType } from '../../user-error.type.js';
import type { UserError } from '../../../core/errors.js';
import type { FraudStatus } from '../../../domain/customer/customer.entity.js';
import type { CustomerRow } from '../../../domain/customer/customer.rows.js';
import { Customer, FraudStatusEnum } from '../customer.types.js';
import { CustomerIdentifierInput } from './customer-identifier.input.js';

@InputType({ description: "Sets a customer's fraud status." })
export class CustomerFraudStatusUpdateInput {
  @Field(() => CustomerIdentifierInput, { description: 'The customer.' })
  customer!: CustomerIdentifierInput;

  @Field(() => FraudStatusEnum, { description: 'The new fraud status; RECONFIRMED only after CONFIRMED.' })
  status!: FraudStatus;

  @Field(() => String, { description: 'Why (required, at most 500 characters).' })
  reason!: string;

  @Field(() => String, { nullable: true, description: 'Code or external id of the store the change is attributed to.' })
  storeCode?: string | null;
}

@ObjectType({ description: 'Result of `customerFraudStatusUpdate`.' })
export class CustomerFraudStatusUpdatePayload {
  @Field(() => Customer, { nullable: true, description: 'The customer with its new fraud status.' })
  customer?: CustomerRow | null;

  @Field(() => [UserErrorType], { description: 'Why nothing changed; empty on success.' })
  userErrors!: UserError[];
}
