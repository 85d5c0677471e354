import { Field, InputType } from 'type-graphql';
import { CustomerIdentifierTypeEnum, type CustomerIdentifierType } from '../customer.types.js';

@InputType({ description: 'Identifies one customer of the org by any of its identifiers; a card (of any status) identifies its customer.' })
export class CustomerIdentifierInput {
  @Field(() => CustomerIdentifierTypeEnum, { description: 'Which identifier `value` is.' })
  type!: CustomerIdentifierType;

  @Field(() => String, { description: 'The identifier: a user id, mobile, email, external id, card number or card external id.' })
  value!: string;
}
