import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { PageArgs, pageRequest, toConnection, type ConnectionValue } from '../relay.js';
import type { RequestContext } from '../context.js';
import type { CustomerRow } from '../../domain/customer/customer.rows.js';
import { Customer } from '../customer/customer.types.js';
import type { TransactionRow } from '../../domain/transaction/transaction.rows.js';
import { transactionsOfCustomer } from './transaction.loaders.js';
import { TransactionConnection } from './transaction.types.js';

/** `Customer.transactions` lives here, with the transaction rows, so the customer feature knows nothing of purchases. */
@Resolver(() => Customer)
export class CustomerTransactionFields {
  @FieldResolver(() => TransactionConnection, { description: "The customer's own transactions (not those made for a group), newest first." })
  async transactions(
    @Root() customer: CustomerRow,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<ConnectionValue<TransactionRow>> {
    const page = await transactionsOfCustomer(ctx, pageRequest(args)).load(customer.id);
    return toConnection(page, (transaction) => transaction.occurredAt.toISOString());
  }
}
