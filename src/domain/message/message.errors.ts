import { errorCodes } from '../../core/errors.js';

export const MessageErrorCode = errorCodes({
  CUSTOMER_HAS_NO_MOBILE: 'The customer has no mobile number to send an SMS to.',
  CUSTOMER_OPTED_OUT: 'The customer opted out of messages on this channel at this priority (for the org, or for the org unit of the sender id).',
  CUSTOMER_FRAUD_CONFIRMED: 'The customer is confirmed as fraudulent: no message is sent to them.',
  CUSTOMER_DELETED: 'The customer is deleted (their status maps to DELETED): no message is sent to them.',
  SMS_TOO_LONG: "The text needs more SMS parts than the org allows (`Org.smsMaxSegments`).",
});
