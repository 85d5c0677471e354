import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context.js';
import { customerById } from '../customer/customer.loaders.js';
import { Customer } from '../customer/customer.types.js';
import type { StoreRow } from '../../domain/org/org.rows.js';
import { Store } from '../org/org.types.js';
import { userGroupById } from '../user-group/user-group.loaders.js';
import { UserGroup } from '../user-group/user-group.types.js';
import type { TransactionRow } from '../../domain/transaction/transaction.rows.js';
import { Transaction } from './transaction.types.js';

@Resolver(() => Transaction)
export class TransactionFields {
  @FieldResolver(() => Store, { nullable: true, description: 'The store the purchase was made in; null when unknown.' })
  store(@Root() row: TransactionRow): StoreRow | null {
    // Joined by the statement that loaded the transaction.
    return row.store;
  }

  @FieldResolver(() => Customer, { description: 'The customer who made the purchase (for a group purchase: the member who bought).' })
  customer(@Root() row: TransactionRow, @Ctx() ctx: RequestContext) {
    return customerById(ctx).load(row.customerId);
  }

  @FieldResolver(() => UserGroup, { nullable: true, description: 'The group the purchase was made for; null for a purchase of the customer alone.' })
  group(@Root() row: TransactionRow, @Ctx() ctx: RequestContext) {
    return row.groupId === null ? null : userGroupById(ctx).load(row.groupId);
  }
}
