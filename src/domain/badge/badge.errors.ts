import { errorCodes } from '../../core/errors.js';

export const BadgeErrorCode = errorCodes({
  BADGE_NOT_FOUND: 'The org has no badge with that badge meta id.',
  BADGE_EXPIRY_NOT_AFTER_EARN_DATE: 'A badge must expire after it was earned.',
  BADGE_ALREADY_EARNED: 'The customer already earned this badge at that time.',
});
