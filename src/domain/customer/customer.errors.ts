import { errorCodes } from '../../core/errors.js';

export const CustomerErrorCode = errorCodes({
  CUSTOMER_NOT_FOUND: 'No customer of your org has the given identifier.',
  STATUS_LABEL_NOT_FOUND: 'The org has no customer status label of that name.',
  FRAUD_STATUS_TRANSITION_INVALID: 'The fraud status cannot change that way, e.g. only a CONFIRMED fraud can be RECONFIRMED.',
});
