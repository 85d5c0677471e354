import { errorCodes } from '../../graphql/user-errors.js';

export const OrgErrorCode = errorCodes({
  STORE_NOT_FOUND: 'The org has no store with that code or external id.',
});
