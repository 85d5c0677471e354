export { transactionById, transactionsOfCustomer, transactionsOfGroup } from './transaction.loaders.js';
export { transactionSortValue, type TransactionRow } from '../../domain/transaction/transaction.rows.js';
export { PointsAward, Transaction, TransactionConnection, TransactionLineItem } from './transaction.types.js';
