import { FieldResolver, Resolver, Root } from 'type-graphql';
import type { CustomerRow } from '../../domain/customer/customer.rows.js';
import { Customer } from '../customer/customer.types.js';
import type { StoreRow } from '../../domain/org/org.rows.js';
import { Store } from './org.types.js';

/** `Customer.joinStore` lives here, with the Store type, so the customer feature knows nothing of stores. */
@Resolver(() => Customer)
export class CustomerJoinStoreFields {
  @FieldResolver(() => Store, { nullable: true, description: 'The store the customer joined at.' })
  joinStore(@Root() customer: CustomerRow): StoreRow | null {
    return customer.joinStore;
  }
}
