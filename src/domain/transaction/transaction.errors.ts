import { errorCodes } from '../../core/errors.js';

export const TransactionErrorCode = errorCodes({
  TRANSACTION_DUPLICATE: 'The store already has a bill with that number on that business day.',
});
