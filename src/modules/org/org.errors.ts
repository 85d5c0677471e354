import { errorCodes } from '../../graphql/user-errors.js';

export const OrgErrorCode = errorCodes({
  STORE_NOT_FOUND: 'The org has no store with that code or external id.',
  MOBILE_REGEX_UNSUPPORTED:
    'The mobile pattern needs what the linear-time pattern engine (RE2) cannot do, such as backreferences, lookahead or lookbehind; `message` says what.',
});
