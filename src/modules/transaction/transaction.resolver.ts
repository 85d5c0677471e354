import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { idOfType } from '../../graphql/relay.js';
import type { RequestContext } from '../../server/context.js';
import { transactionById } from './transaction.loaders.js';
import { Transaction } from './transaction.types.js';

@Resolver()
export class TransactionResolver {
  @Query(() => Transaction, { nullable: true, description: 'A transaction by id; null if there is none in your org.' })
  transaction(@Arg('id', () => ID, { description: 'Global id of the transaction.' }) id: string, @Ctx() ctx: RequestContext) {
    const numericId = idOfType(id, 'Transaction');
    return numericId ? transactionById(ctx).load(numericId) : null;
  }
}
