/** The identifiers a customer can be found by. */
export const CUSTOMER_IDENTIFIER_TYPES = ['USER_ID', 'MOBILE', 'EMAIL', 'EXTERNAL_ID', 'CARD_NUMBER', 'CARD_EXTERNAL_ID'] as const;
export type CustomerIdentifierType = (typeof CUSTOMER_IDENTIFIER_TYPES)[number];
