import type { ImportProfileName } from '../import.entity.js';
import type { ImportIdentifierType, ImportOptionName, ImportOptions } from '../import.options.js';

/** A template's mapping of one CSV header to one field of its profile. */
export interface FieldMapping {
  readonly header: string;
  readonly field: string;
}

/**
 * What each profile imports: its fields (the targets of a template's mapping) and the options it
 * takes. Field lists follow the reference's profile tables; `*` there is `mandatory` here.
 */
export interface FieldSpec {
  /** The key a mapping uses, e.g. `mobile`; a prefix ending in `.` for families, e.g. `custom.`. */
  readonly key: string;
  readonly label: string;
  readonly description: string;
  /** Whether a template must map it, possibly depending on the template's options. */
  readonly mandatory?: boolean | ((options: ImportOptions) => boolean);
  /** For families: the key is the prefix followed by a name (`custom.shoe_size`). */
  readonly family?: boolean;
}

export interface ProfileSpec {
  readonly profile: ImportProfileName;
  readonly description: string;
  readonly fields: readonly FieldSpec[];
  readonly options: readonly ImportOptionName[];
  /** Options a template gets when it does not set them. */
  readonly defaults?: Partial<ImportOptions>;
}

const IDENTIFIER_FIELD: Record<ImportIdentifierType, string> = {
  USER_ID: 'userId',
  MOBILE: 'mobile',
  EMAIL: 'email',
  EXTERNAL_ID: 'externalId',
};

/** The field that carries the customer identifier the template's options name. */
export function identifierField(options: ImportOptions, fallback: ImportIdentifierType = 'MOBILE'): string {
  return IDENTIFIER_FIELD[options.customerIdentifierType ?? fallback];
}

/** Whether the template maps a column to `field` (to any field of a family: `custom.`). */
export function maps(job: { readonly mapping: readonly FieldMapping[] }, field: string): boolean {
  const family = field.endsWith('.');
  return job.mapping.some((entry) => (family ? entry.field.startsWith(field) : entry.field === field));
}

/**
 * Whether an import may change `field` on a record that already exists: the template maps it and
 * its updatableFields, if it has any, allow it. A family prefix (`custom.`) stands for its members.
 */
export function mayUpdate(job: { readonly mapping: readonly FieldMapping[]; readonly options: ImportOptions }, field: string): boolean {
  const family = field.endsWith('.');
  const allowed = job.options.updatableFields;
  return maps(job, field) && (!allowed || allowed.some((name) => (family ? name.startsWith(field) || name === field.slice(0, -1) : name === field)));
}

/** The four customer identifier fields; the one the options choose is mandatory (always, or only when `when` holds). */
function customerIdentifierFields(fallback: ImportIdentifierType, when: (options: ImportOptions) => boolean = () => true): FieldSpec[] {
  const isChosen = (field: string) => (options: ImportOptions) => when(options) && identifierField(options, fallback) === field;
  return [
    { key: 'userId', label: 'User Id', description: 'The customer id (the USER_ID identifier).', mandatory: isChosen('userId') },
    { key: 'mobile', label: 'Mobile', description: 'Mobile number of the customer, with or without country code.', mandatory: isChosen('mobile') },
    { key: 'email', label: 'Email', description: 'Email address of the customer.', mandatory: isChosen('email') },
    { key: 'externalId', label: 'External Id', description: 'An external id of the customer.', mandatory: isChosen('externalId') },
  ];
}

const STORE_FIELD = (mandatory: boolean, description: string): FieldSpec => ({
  key: 'storeCode',
  label: 'Till IUN Or Store Ext Id (Store Code)',
  description: `${description} A store code, or an external id with the storesByExternalId option.`,
  mandatory,
});

export const PROFILE_SPECS: Readonly<Record<ImportProfileName, ProfileSpec>> = {
  LOYALTY_CUSTOMERS: {
    profile: 'LOYALTY_CUSTOMERS',
    description: "Adds new loyalty customers and updates existing ones' profiles, status, subscriptions, fleet parent, custom and extended fields.",
    fields: [
      ...customerIdentifierFields('MOBILE'),
      STORE_FIELD(true, 'The store the customer registered at (join store).'),
      { key: 'firstName', label: 'First Name', description: 'First name: letters, spaces, apostrophes, hyphens and periods only.' },
      { key: 'lastName', label: 'Last Name', description: 'Last name: letters, spaces, apostrophes, hyphens and periods only.' },
      { key: 'joinedAt', label: 'Registration date / Date of Joining', description: 'When the customer joined, in the template date format; not in the future.' },
      { key: 'loyaltyPoints', label: 'Loyalty Points', description: 'Points balance to carry over (whole number, not negative).' },
      { key: 'lifetimePoints', label: 'Lifetime Points', description: 'Lifetime points to carry over (whole number, at least the balance).' },
      { key: 'lifetimePurchases', label: 'Lifetime Purchases', description: 'Lifetime purchase amount to carry over.' },
      { key: 'tierName', label: 'Slab Name', description: "Tier of the org's default program." },
      { key: 'statusLabel', label: 'Status Label (statusLabel)', description: "One of the org's customer status labels." },
      { key: 'statusReason', label: 'Status Label Reason (statusLabelReason)', description: 'Why the status is set.' },
      { key: 'parent', label: 'Fleet Parent', description: 'The parent customer (fleet hierarchy), by the same identifier type as the row.' },
      {
        key: 'subscription.',
        label: 'Subscription (channel.priority)',
        description: 'OPTIN or OPTOUT for one channel and priority, e.g. `subscription.EMAIL.BULK` (channels LINE, MOBILE, EMAIL, WHATSAPP, IOS, ANDROID, POSTMAIL, MOBILE_PUSH; priorities TRANS, BULK).',
        family: true,
      },
      { key: 'custom.', label: 'Custom field', description: 'A custom field, e.g. `custom.shoe_size`.', family: true },
      { key: 'extended.', label: 'Extended field', description: 'A customer-level extended field, e.g. `extended.gender`.', family: true },
    ],
    options: [
      'customerIdentifierType',
      'disableUpdate',
      'updatableFields',
      'keepCustomFieldsWhenEmpty',
      'replacementStoreId',
      'appendCountryCode',
      'skipMobileValidation',
      'skipEmailValidation',
      'storesByExternalId',
      'dateFormat',
      'rowFilter',
    ],
    defaults: { customerIdentifierType: 'MOBILE' },
  },
  CARDS: {
    profile: 'CARDS',
    description: "Imports customers' cards (historical card data), optionally linking each card to its customer.",
    fields: [
      { key: 'cardNumber', label: 'Card Number', description: "The card's number, following its series' prefix, suffix and length.", mandatory: true },
      { key: 'seriesCode', label: 'Card Series Code', description: 'Code of an existing card series.', mandatory: true },
      { key: 'statusLabel', label: 'Card Status Label', description: "One of the org's card status labels.", mandatory: true },
      STORE_FIELD(true, 'The store tagged to the card (kept on the audit entry of the change).'),
      ...customerIdentifierFields('MOBILE', (options) => options.linkCustomer === true),
      { key: 'cardExternalId', label: 'Card External ID', description: "The org's external reference of the card." },
    ],
    options: ['customerIdentifierType', 'linkCustomer', 'disableUpdate', 'storesByExternalId', 'replacementStoreId', 'appendCountryCode', 'rowFilter'],
    defaults: { customerIdentifierType: 'MOBILE', linkCustomer: true },
  },
  CARD_SERIES: {
    profile: 'CARD_SERIES',
    description: 'Creates card series (and updates existing ones): numbering, type, expiry and store.',
    fields: [
      { key: 'seriesCode', label: 'Card Series Code', description: 'Unique code: letters and digits, up to 50.', mandatory: true },
      { key: 'cardType', label: 'Card Type', description: 'PHYSICAL or DIGITAL.', mandatory: true },
      STORE_FIELD(true, 'The store tagged to the series.'),
      { key: 'description', label: 'Card Series Description', description: 'Description of the series.' },
      { key: 'expiryDays', label: 'Expiry Days', description: 'Days a card stays valid after it is issued.' },
      { key: 'prefix', label: 'Card Prefix', description: 'Starting characters of card numbers.' },
      { key: 'suffix', label: 'Card Suffix', description: 'Ending characters of card numbers.' },
      { key: 'numberLength', label: 'Card Length', description: 'Length of card numbers.' },
      { key: 'autoGenerate', label: 'Card Generation Enabled', description: 'true to generate cards automatically.' },
    ],
    options: ['updatableFields', 'disableUpdate', 'storesByExternalId', 'replacementStoreId', 'rowFilter'],
  },
  COUPON_REDEMPTIONS: {
    profile: 'COUPON_REDEMPTIONS',
    description: 'Redeems coupons offline in bulk, with the same rules as `couponRedeem`.',
    fields: [
      { key: 'seriesCode', label: 'Voucher Series Id', description: 'Code of the coupon series.', mandatory: true },
      { key: 'couponCode', label: 'Voucher Code', description: 'The coupon code.', mandatory: true },
      STORE_FIELD(true, 'The store the redemption is attributed to.'),
      ...customerIdentifierFields('MOBILE'),
      { key: 'redeemedAt', label: 'Date of Redemption', description: 'When it was redeemed, in the template date format.', mandatory: true },
      { key: 'transactionNumber', label: 'Transaction Number (Bill Number)', description: 'The bill the coupon was redeemed on.', mandatory: true },
      { key: 'billAmount', label: 'Transaction Amount', description: 'The bill amount (positive).', mandatory: true },
    ],
    options: [
      'customerIdentifierType',
      'storesByExternalId',
      'replacementStoreId',
      'validateTransactionNumbers',
      'skipRedemptionRangeCheck',
      'replacementCouponSeriesId',
      'appendCountryCode',
      'dateFormat',
      'rowFilter',
    ],
    defaults: { customerIdentifierType: 'MOBILE' },
  },
  CUSTOMER_STATUS: {
    profile: 'CUSTOMER_STATUS',
    description: "Updates customers' status labels.",
    fields: [
      ...customerIdentifierFields('MOBILE'),
      { key: 'statusLabel', label: 'Customer Status Label', description: "One of the org's customer status labels.", mandatory: true },
      { key: 'statusReason', label: 'Status Reason', description: 'Why the status is set.' },
      STORE_FIELD(false, 'The store the update is associated with.'),
    ],
    options: ['customerIdentifierType', 'storesByExternalId', 'replacementStoreId', 'appendCountryCode', 'rowFilter'],
    defaults: { customerIdentifierType: 'MOBILE' },
  },
  ENTITY_LIFE_CYCLE: {
    profile: 'ENTITY_LIFE_CYCLE',
    description: "Maps customer registrations to the org's source registration events (e.g. WeChat Follow, WeChat Register).",
    fields: [
      { key: 'entityType', label: 'Entity Type', description: 'CUSTOMER.', mandatory: true },
      { key: 'entityId', label: 'Entity ID', description: 'The customer id (USER_ID).', mandatory: true },
      { key: 'sourceId', label: 'Org Source ID', description: 'The source the customer registered through.', mandatory: true },
      { key: 'activity', label: 'Activity', description: 'The activity the customer registered for, e.g. FOLLOW.', mandatory: true },
      { key: 'state', label: 'State', description: 'The state of the activity, e.g. ACTIVE.', mandatory: true },
      { key: 'addedBy', label: 'Added by', description: 'Who recorded it.', mandatory: true },
      { key: 'referenceId', label: 'Reference ID', description: "The source's reference of the event; unique per source.", mandatory: true },
      { key: 'updatedOn', label: 'Updated on', description: 'When it happened, in the template date format.', mandatory: true },
    ],
    options: ['dateFormat', 'disableUpdate', 'rowFilter'],
  },
  USER_SUBSCRIPTIONS: {
    profile: 'USER_SUBSCRIPTIONS',
    description: "Updates customers' subscription status per channel and priority.",
    fields: [
      ...customerIdentifierFields('MOBILE'),
      { key: 'channel', label: 'Comm Channel', description: 'line, mobile (or SMS), email, whatsapp, ios, android, postmail or mobilePush.', mandatory: true },
      { key: 'priority', label: 'Priority', description: 'TRANS or BULK.', mandatory: true },
      { key: 'status', label: 'Sub Status', description: 'OPTIN or OPTOUT.', mandatory: true },
      { key: 'account', label: 'Account Name', description: 'The account, for channels with several.' },
      { key: 'orgUnitCode', label: 'Org Unit or Concept Code', description: 'The org unit (concept) the subscription is for; empty for the whole org.' },
    ],
    options: ['customerIdentifierType', 'appendCountryCode', 'rowFilter'],
    defaults: { customerIdentifierType: 'MOBILE' },
  },
  FRAUD_STATUS: {
    profile: 'FRAUD_STATUS',
    description: "Updates customers' fraud status.",
    fields: [
      ...customerIdentifierFields('MOBILE'),
      { key: 'fraudStatus', label: 'Fraud status', description: 'INTERNAL, MARKED, CONFIRMED, RECONFIRMED or NOT_FRAUD.', mandatory: true },
      { key: 'fraudReason', label: 'Fraud reason', description: 'Why.', mandatory: true },
      STORE_FIELD(true, 'The store the update is associated with.'),
    ],
    options: ['customerIdentifierType', 'storesByExternalId', 'replacementStoreId', 'appendCountryCode', 'rowFilter'],
    defaults: { customerIdentifierType: 'MOBILE' },
  },
  EARNED_BADGES: {
    profile: 'EARNED_BADGES',
    description: 'Issues badges to customers in bulk, also for past (retro) events.',
    fields: [
      { key: 'badgeMetaId', label: 'badgeMetaId', description: 'The badge definition (its meta id).', mandatory: true },
      { key: 'customerId', label: 'customerId', description: 'The customer, by the template identifier type (USER_ID by default).', mandatory: true },
      { key: 'earnEventDate', label: 'earnEventDate', description: 'When it was earned; may be in the past.', mandatory: true },
      { key: 'earnExpiresOn', label: 'earnExpiresOn', description: 'When it expires; after earnEventDate.', mandatory: true },
    ],
    options: ['customerIdentifierType', 'dateFormat', 'appendCountryCode', 'rowFilter'],
    defaults: { customerIdentifierType: 'USER_ID' },
  },
  TRANSACTIONS: {
    profile: 'TRANSACTIONS',
    description: 'Adds transactions with the same rules as `transactionAdd` (points, lifetime purchases, tier upgrades).',
    fields: [
      ...customerIdentifierFields('MOBILE'),
      { key: 'billNumber', label: 'Bill Number', description: 'Unique per store and day.', mandatory: true },
      { key: 'billAmount', label: 'Bill Amount', description: 'The amount (positive).', mandatory: true },
      { key: 'billDate', label: 'Transaction Date', description: 'When it happened, in the template date format (one of nine).', mandatory: true },
      STORE_FIELD(true, 'The store of the transaction.'),
      { key: 'groupExternalId', label: 'User Group External Id', description: 'The group the transaction was made for.' },
      { key: 'itemSku', label: 'Line Item SKU', description: 'SKU of the line item.' },
      { key: 'itemDescription', label: 'Line Item Description', description: 'Description of the line item.' },
      { key: 'itemQuantity', label: 'Line Item Quantity', description: 'Quantity of the line item.' },
      { key: 'itemAmount', label: 'Line Item Amount', description: 'Amount of the line item.' },
    ],
    options: ['customerIdentifierType', 'dateFormat', 'storesByExternalId', 'replacementStoreId', 'appendCountryCode', 'validateTransactionNumbers', 'rowFilter'],
    defaults: { customerIdentifierType: 'MOBILE' },
  },
};

/** The field spec a mapping target names, or undefined when the profile has no such field. */
export function findField(spec: ProfileSpec, key: string): FieldSpec | undefined {
  return spec.fields.find((field) => (field.family ? key.startsWith(field.key) && key.length > field.key.length : field.key === key));
}

export function isMandatory(field: FieldSpec, options: ImportOptions): boolean {
  return typeof field.mandatory === 'function' ? field.mandatory(options) : field.mandatory === true;
}
