import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { PageArgs, pageRequest, toConnection } from '../relay.js';
import type { RequestContext } from '../context.js';
import type { UserGroupRow } from '../../domain/user-group/user-group.rows.js';
import { UserGroup } from '../user-group/user-group.types.js';
import { transactionSortValue } from '../../domain/transaction/transaction.rows.js';
import { transactionsOfGroup } from './transaction.loaders.js';
import { TransactionConnection } from './transaction.types.js';

/** `UserGroup.transactions` lives here, with the transaction rows, so the group feature knows nothing of purchases. */
@Resolver(() => UserGroup)
export class UserGroupTransactionFields {
  @FieldResolver(() => TransactionConnection, { description: 'Transactions made for the group, newest first.' })
  async transactions(@Root() row: UserGroupRow, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: RequestContext) {
    const page = await transactionsOfGroup(ctx, pageRequest(args)).load(row.id);
    return toConnection(page, transactionSortValue);
  }
}
