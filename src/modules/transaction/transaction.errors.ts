import { errorCodes } from '../../graphql/user-errors.js';

export const TransactionErrorCode = errorCodes({
  TRANSACTION_DUPLICATE: 'The store already has a bill with that number on that business day.',
});
