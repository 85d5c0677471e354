import type { PatternSyntax } from '../core/user-pattern.js';
import type { DateFormatName } from './checks/date-formats.js';

export const IMPORT_IDENTIFIER_TYPES = ['USER_ID', 'MOBILE', 'EMAIL', 'EXTERNAL_ID'] as const;
/** How the rows of a file identify their customer. */
export type ImportIdentifierType = (typeof IMPORT_IDENTIFIER_TYPES)[number];

export const ROW_FILTER_OPERATORS = ['EQUALS', 'NOT_EQUALS', 'IN', 'NOT_IN', 'EMPTY', 'NOT_EMPTY', 'MATCHES'] as const;
export type RowFilterOperator = (typeof ROW_FILTER_OPERATORS)[number];
/** MATCHES patterns are read as JavaScript reads them with the `u` flag (code points), checked and run alike. */
export const ROW_FILTER_PATTERN_SYNTAX: PatternSyntax = { unicode: true };

/** One condition of a row filter: a row is imported only when every condition holds. */
export interface RowCondition {
  /** A CSV header. */
  readonly column: string;
  readonly operator: RowFilterOperator;
  /** The value(s) compared with; a regular expression for MATCHES; none for EMPTY and NOT_EMPTY. */
  readonly values: readonly string[];
}

/** A template's options as stored (references by id) and as the pipeline reads them. */
export interface ImportOptions {
  readonly customerIdentifierType?: ImportIdentifierType;
  readonly disableUpdate?: boolean;
  /** Fields an import may change on existing records; absent = every mapped field. */
  readonly updatableFields?: readonly string[];
  readonly keepCustomFieldsWhenEmpty?: boolean;
  readonly replacementStoreId?: number;
  readonly appendCountryCode?: boolean;
  readonly skipMobileValidation?: boolean;
  readonly skipEmailValidation?: boolean;
  readonly storesByExternalId?: boolean;
  readonly validateTransactionNumbers?: boolean;
  readonly skipRedemptionRangeCheck?: boolean;
  readonly replacementCouponSeriesId?: number;
  readonly dateFormat?: DateFormatName;
  readonly rowFilter?: readonly RowCondition[];
  readonly linkCustomer?: boolean;
}
export type ImportOptionName = keyof ImportOptions;

/** What each option does, for the schema and for errors. */
export const OPTION_DESCRIPTIONS: { readonly [K in ImportOptionName]: string } = {
  customerIdentifierType: 'Which identifier the rows use to find (or create) their customer: USER_ID, MOBILE, EMAIL or EXTERNAL_ID.',
  disableUpdate: 'Do not change records that already exist: their rows are rejected (CUSTOMER_UPDATE_DISABLED / RECORD_UPDATE_DISABLED).',
  updatableFields: 'Only these fields may change on records that already exist; others are left as they are. Absent: every mapped field.',
  keepCustomFieldsWhenEmpty: 'An empty CSV value does not erase an existing custom or extended field.',
  replacementStoreId: 'A store to use instead of an unknown store code (the replacement is reported as a correction).',
  appendCountryCode: "Prefix the org's country calling code to mobiles that lack it (reported as a correction).",
  skipMobileValidation: "Do not check mobiles against the org's mobile pattern.",
  skipEmailValidation: 'Do not check email addresses against the standard pattern.',
  storesByExternalId: "Store columns hold the stores' external ids instead of their codes.",
  validateTransactionNumbers:
    "Coupon redemptions: every transaction number must be a bill of the row's customer. Transactions: every bill number must be well formed and new for its store and day (both checked while validating).",
  skipRedemptionRangeCheck: "Do not check that the redemption date lies in the coupon series' redemption range.",
  replacementCouponSeriesId: 'A coupon series to use instead of an unknown series id (reported as a correction).',
  dateFormat: 'How date columns are written (one of nine formats); read in the org time zone unless a value carries an offset.',
  rowFilter: 'Import only the rows matching every condition; the others are skipped and reported as FILTERED.',
  linkCustomer: 'Card imports: link each card to the customer its row identifies.',
};
