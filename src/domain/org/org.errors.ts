import { errorCodes } from '../../core/errors.js';

export const OrgErrorCode = errorCodes({
  STORE_NOT_FOUND: 'The org has no store with that code or external id.',
  BEFORE_BACKDATING_WINDOW:
    "The time lies further back than the org's backdating window (`Org.backdatingWindowDays`). History older than that comes in through an import.",
  MOBILE_REGEX_UNSUPPORTED:
    'The mobile pattern needs what the linear-time pattern engine (RE2) cannot do, such as backreferences, lookahead or lookbehind; `message` says what.',
});
