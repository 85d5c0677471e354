import { errorCodes } from '../../core/errors.js';

export const MessageErrorCode = errorCodes({
  CUSTOMER_HAS_NO_MOBILE: 'The customer has no mobile number to send an SMS to.',
  CUSTOMER_HAS_NO_EMAIL: 'The customer has no email address to send an email to.',
  CUSTOMER_OPTED_OUT: 'The customer opted out of messages on this channel at this priority (for the org, or for the org unit of the sender id).',
  CUSTOMER_FRAUD_CONFIRMED: 'The customer is confirmed as fraudulent: no message is sent to them.',
  CUSTOMER_DELETED: 'The customer is deleted (their status maps to DELETED): no message is sent to them.',
  SMS_TOO_LONG: "The text needs more SMS parts than the org allows (`Org.smsMaxSegments`).",
  ATTACHMENT_ENCODING_REQUIRED: 'An image attachment (jpg, jpeg, png, gif) must be sent base64-encoded, with `fileEncodingType: BASE64`.',
  ATTACHMENT_INVALID_BASE64: "An attachment's `fileData` is not valid base64 (only the base64 alphabet and padding, a length that is a multiple of 4).",
  ATTACHMENT_TYPE_MISMATCH: "An attachment's bytes are not of the type it claims (by content type or file extension), e.g. a `.png` that is not a PNG.",
  ATTACHMENTS_TOO_LARGE: "The attachments are together larger than the org allows (`Org.emailMaxAttachmentBytes`, decoded bytes).",
  TOO_MANY_ATTACHMENTS: 'An email carries at most 10 attachments.',
});
