/**
 * Row-level codes: every rejected row carries at least one error code, every auto-correction a
 * correction code. Stable: clients and the CSV report key on them. The customer codes follow the
 * reference's error table line by line.
 */
export const ROW_ERROR_CODES = {
  // The reference's customer import error table.
  EMAIL_BELONGS_TO_OTHER_CUSTOMER: 'The email is already registered to another customer.',
  MOBILE_BELONGS_TO_OTHER_CUSTOMER: 'The mobile is already registered to another customer.',
  EXTERNAL_ID_BELONGS_TO_OTHER_CUSTOMER: 'The external id is already associated with another customer.',
  MOBILE_CHANGE_NOT_ALLOWED: "An existing customer's mobile cannot be changed by an import.",
  DUPLICATE_MOBILE_IN_FILE: 'The mobile appears on several rows of the file: every row carrying it is rejected.',
  DUPLICATE_EMAIL_IN_FILE: 'The email appears on several rows of the file: every row carrying it is rejected.',
  DUPLICATE_EXTERNAL_ID_IN_FILE: 'The external id appears on several rows of the file: every row carrying it is rejected.',
  INVALID_MOBILE: "The mobile does not match the org's mobile pattern.",
  INVALID_EMAIL: 'The email is not a valid address.',
  CUSTOMER_INACTIVE: 'The customer is deactivated (suspended or deleted) and cannot be changed by an import.',
  CUSTOMER_FRAUD: 'The customer is marked as fraud and cannot be changed by an import.',
  NAME_HAS_SPECIAL_CHARACTERS: 'A name may only contain letters, spaces, apostrophes, hyphens and periods.',
  JOIN_DATE_MISSING: 'The join date is empty.',
  JOIN_DATE_INVALID: 'The join date does not follow the template date format, or is not a real date.',
  JOIN_DATE_IN_FUTURE: 'The join date is in the future.',
  STORE_UNKNOWN: 'The store is not a store of the org.',
  // Every profile.
  VALUE_MISSING: 'A mandatory value is empty.',
  VALUE_INVALID: 'A value is not of the expected kind (a number, a date, one of a list of values).',
  VALUE_TOO_LONG: 'A value is longer than the field allows.',
  ROW_COLUMN_COUNT: 'The row has a different number of columns than the header.',
  CUSTOMER_NOT_FOUND: 'No customer of the org has the identifier of the row.',
  CUSTOMER_UPDATE_DISABLED: 'The customer exists and the template does not allow updates.',
  RECORD_UPDATE_DISABLED: 'The record exists and the template does not allow updates.',
  STATUS_LABEL_UNKNOWN: 'The customer status label is not one of the org.',
  TIER_UNKNOWN: "The tier (slab) is not a tier of the org's default program.",
  POINTS_INVALID: 'Points must be whole numbers, not negative; lifetime points at least the balance.',
  OPENING_POINTS_OVER_CAP: "The points to carry over exceed the org's cap for an opening balance (`Org.importOpeningPointsCap`).",
  POINTS_CHANGE_NOT_ALLOWED: "An existing customer's points are its ledger's: an import carries points over for the customers it creates, and refuses other values for an existing one.",
  PARENT_NOT_FOUND: 'The fleet parent is not a customer of the org (nor a new customer of the file).',
  PARENT_IS_SELF: 'A customer cannot be its own fleet parent.',
  CARD_SERIES_UNKNOWN: 'The card series is not one of the org.',
  CARD_STATUS_LABEL_UNKNOWN: 'The card status label is not one of the org.',
  CARD_NUMBER_INVALID: "The card number does not follow its series' prefix, suffix and length.",
  DUPLICATE_CARD_NUMBER_IN_FILE: 'The card number appears on several rows of the file: every row carrying it is rejected.',
  CARD_BELONGS_TO_OTHER_CUSTOMER: 'The card (or its external id) is already registered to another customer.',
  CARD_SERIES_CODE_INVALID: 'A card series code has letters and digits only, up to 50.',
  DUPLICATE_SERIES_CODE_IN_FILE: 'The card series code appears on several rows of the file: every row carrying it is rejected.',
  COUPON_SERIES_UNKNOWN: 'The coupon series is not one of the org.',
  TRANSACTION_NOT_FOUND: 'No transaction of the customer has this number (validateTransactionNumbers).',
  BADGE_UNKNOWN: 'The badge meta id is not a badge of the org.',
  BADGE_EXPIRY_NOT_AFTER_EARN_DATE: 'earnExpiresOn must be after earnEventDate.',
  SUBSCRIPTION_INVALID: 'The channel, priority or subscription status is not one of the allowed values.',
  ORG_UNIT_UNKNOWN: 'The org unit is not one of the org.',
  FRAUD_STATUS_INVALID: 'The fraud status is not INTERNAL, MARKED, CONFIRMED, RECONFIRMED or NOT_FRAUD.',
  DUPLICATE_BILL_IN_FILE: 'The bill number appears on several rows of the file for the same store and day.',
  DUPLICATE_REFERENCE_IN_FILE: 'The reference id appears on several rows of the file for the same source.',
  GROUP_NOT_FOUND: 'The user group is not one of the org.',
  ENTITY_TYPE_UNSUPPORTED: 'The entity type is not supported (CUSTOMER is).',
  DATE_INVALID: 'A date does not follow the template date format, or is not a real date.',
  DATE_IN_FUTURE: 'A date that must lie in the past (a purchase, a redemption, an earned badge) is in the future.',
  DUPLICATE_CARD_EXTERNAL_ID_IN_FILE: 'The card external id appears on several rows of the file: every row carrying it is rejected.',
  DUPLICATE_SUBSCRIPTION_IN_FILE: 'The same customer, channel, priority and account appear on several rows of the file: every such row is rejected.',
  BILL_NUMBER_INVALID: 'The bill number is not well formed: letters, digits and - _ / . only, starting with a letter or digit (validateTransactionNumbers).',
  REFERENCE_BELONGS_TO_OTHER_CUSTOMER: "The source's reference id is already recorded for another customer.",
} as const;

export const ROW_CORRECTION_CODES = {
  WHITESPACE_TRIMMED: 'Spaces around the value were removed.',
  COUNTRY_CODE_APPENDED: "The org's country calling code was prefixed to the mobile.",
  MOBILE_NORMALISED: "The mobile's spaces, dashes, brackets and leading + were removed.",
  EMAIL_LOWERCASED: 'The email was written in lower case.',
  STORE_REPLACED: "An unknown store was replaced by the template's replacement store.",
  COUPON_SERIES_REPLACED: "An unknown coupon series was replaced by the template's replacement series.",
} as const;

export type RowErrorCode = keyof typeof ROW_ERROR_CODES;
export type RowCorrectionCode = keyof typeof ROW_CORRECTION_CODES;

/** The import's own row codes (the profiles add the domain codes their merges may meet). */
export const ROW_CODE_DESCRIPTIONS: Readonly<Record<string, string>> = { ...ROW_ERROR_CODES, ...ROW_CORRECTION_CODES };

/** Whether the code is one of the import's own row codes. */
export function isImportIssueCode(code: string): boolean {
  return code in ROW_CODE_DESCRIPTIONS;
}
