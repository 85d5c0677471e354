import { TransactionFields } from './transaction.fields.js';
import { TransactionResolver } from './transaction.resolver.js';
import { CustomerTransactionFields } from './customer-transactions.fields.js';
import { UserGroupTransactionFields } from './user-group-transactions.fields.js';

export const transactionResolvers = [TransactionResolver, TransactionFields, CustomerTransactionFields, UserGroupTransactionFields] as const;
export { transactionById, transactionsOfCustomer, transactionsOfGroup } from './transaction.loaders.js';
export { transactionSortValue, type TransactionRow } from '../../domain/transaction/transaction.rows.js';
export { PointsAward, Transaction, TransactionConnection, TransactionLineItem } from './transaction.types.js';
