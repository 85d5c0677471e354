import { errorCodes } from '../../core/errors.js';

export const UserGroupErrorCode = errorCodes({
  USER_GROUP_NOT_FOUND: 'The org has no user group with that id.',
  USER_GROUP_EXTERNAL_ID_TAKEN: 'Another group of the org already has that external id.',
  CUSTOMER_NOT_IN_GROUP: 'The customer is not a member of the group.',
  CANNOT_REMOVE_PRIMARY_MEMBER: 'The primary member of a group cannot be removed from it.',
});
