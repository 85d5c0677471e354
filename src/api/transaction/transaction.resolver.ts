import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { idOfType, inputId } from '../relay.js';
import { payload } from '../../core/errors.js';
import type { RequestContext } from '../context.js';
import { AllowWriters } from '../allow.js';
import { customerById } from '../customer/customer.loaders.js';
import { tierById } from '../program/program.loaders.js';
import { userGroupById } from '../user-group/user-group.loaders.js';
import { TransactionAddInput, TransactionAddPayload } from './dto/transaction-add.js';
import { transactionById } from './transaction.loaders.js';
import { addTransaction, type TierChange } from '../../domain/transaction/transaction.service.js';
import { Transaction } from './transaction.types.js';

async function loadTierUpgrade(ctx: RequestContext, change: TierChange | null) {
  if (!change) return null;
  const [from, to] = await Promise.all([tierById(ctx).load(change.fromTierId), tierById(ctx).load(change.toTierId)]);
  return from && to ? { from, to } : null;
}

@Resolver()
export class TransactionResolver {
  @Query(() => Transaction, { nullable: true, description: 'A transaction by id; null if there is none in your org.' })
  transaction(@Arg('id', () => ID, { description: 'Global id of the transaction.' }) id: string, @Ctx() ctx: RequestContext) {
    const numericId = idOfType(id, 'Transaction');
    return numericId ? transactionById(ctx).load(numericId) : null;
  }

  @AllowWriters()
  @Mutation(() => TransactionAddPayload, { description: 'Records a purchase: it earns points (for the customer, or the group it was made for) and may lift the tier.' })
  transactionAdd(@Arg('input', () => TransactionAddInput, { description: 'The bill.' }) input: TransactionAddInput, @Ctx() ctx: RequestContext) {
    return payload(async () => {
      const result = await addTransaction(ctx, {
        ...input,
        store: { code: input.storeCode },
        lineItems: input.lineItems ?? [],
        groupId: inputId(input.groupId, 'UserGroup'),
      });
      const [transaction, customer, group, tierUpgrade] = await Promise.all([
        transactionById(ctx).load(result.transactionId),
        customerById(ctx).load(result.customerId),
        result.groupId === null ? null : userGroupById(ctx).load(result.groupId),
        loadTierUpgrade(ctx, result.tierUpgrade),
      ]);
      return { transaction, customer, group, tierUpgrade };
    });
  }
}
