import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** A brand running loyalty programs: the tenant. Every other row belongs to exactly one org. */
export const Org = defineEntity({
  name: 'Org',
  checks: [
    { name: 'org_goodwill_points_cap_positive', expression: 'goodwill_points_cap > 0' },
    { name: 'org_points_transfer_cap_positive', expression: 'points_transfer_cap > 0' },
    { name: 'org_backdating_window_days_range', expression: 'backdating_window_days >= 0 and backdating_window_days <= 3650' },
    { name: 'org_import_opening_points_cap_positive', expression: 'import_opening_points_cap > 0' },
    { name: 'org_sms_max_segments_range', expression: 'sms_max_segments >= 1 and sms_max_segments <= 20' },
    { name: 'org_email_max_attachment_bytes_range', expression: 'email_max_attachment_bytes >= 1 and email_max_attachment_bytes <= 786432' },
    { name: 'org_sms_send_rate_range', expression: 'sms_send_rate is null or (sms_send_rate >= 1 and sms_send_rate <= 10000)' },
    { name: 'org_email_send_rate_range', expression: 'email_send_rate is null or (email_send_rate >= 1 and email_send_rate <= 10000)' },
  ],
  properties: {
    id: p.bigint('number').primary(),
    slug: p.string().length(64).unique(),
    name: p.string().length(200),
    /** IANA time zone, e.g. Asia/Singapore: every date-time shown to member care is in this zone. */
    timeZone: p.string().length(64),
    /** ISO 3166-1 alpha-2 code of the org's base country. */
    baseCountry: p.string().length(2),
    /** Country calling code (digits, no '+') appended to mobiles that lack one. */
    countryCallingCode: p.string().length(4),
    /** Regex a mobile number (digits with country code) must match. */
    mobileRegex: p.string().length(500),
    defaultSenderId: p.string().length(64),
    /** Upper bound for a single goodwill points issue. */
    goodwillPointsCap: p.integer().default(10000),
    /** Upper bound for the points one `pointsTransfer` may move from one customer to another. */
    pointsTransferCap: p.integer().default(10000),
    /** How many days back `couponRedeem` and `transactionAdd` may date what they record (imports of history may go further). */
    backdatingWindowDays: p.integer().default(7),
    /** Upper bound for the points a Loyalty Customers import carries over for one new customer (balance and lifetime points). */
    importOpeningPointsCap: p.integer().default(1000000),
    /** Most parts one SMS may be cut into: a longer text is refused (SMS_TOO_LONG), not sent at the cost of many. */
    smsMaxSegments: p.integer().default(6),
    /** Most bytes (decoded) an email's attachments may take together; bounded by what a 1 MB request body can carry in base64. */
    emailMaxAttachmentBytes: p.integer().default(524288),
    /** Most SMS a second the org's queue hands to the gateway (null: as fast as the workers go). */
    smsSendRate: p.integer().nullable(),
    /** Most emails a second the org's queue hands to the mail server (null: as fast as the workers go). */
    emailSendRate: p.integer().nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
export type IOrg = InferEntity<typeof Org>;

/** An org unit (concept, brand division) with its own SMS sender ids. */
export const OrgUnit = defineEntity({
  name: 'OrgUnit',
  uniques: [{ properties: ['org', 'code'] }],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    code: p.string().length(64),
    name: p.string().length(200),
    senderIds: p.array().default([]),
  },
});
export type IOrgUnit = InferEntity<typeof OrgUnit>;

/** A store of the org; imports may name it by code or by external id. */
export const Store = defineEntity({
  name: 'Store',
  uniques: [{ properties: ['org', 'code'] }, { properties: ['org', 'externalId'] }],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    orgUnit: () => p.manyToOne(OrgUnit).nullable(),
    code: p.string().length(64),
    externalId: p.string().length(64).nullable(),
    name: p.string().length(200),
  },
});
export type IStore = InferEntity<typeof Store>;

/** A till (point of sale terminal) of a store. */
export const Till = defineEntity({
  name: 'Till',
  uniques: [{ properties: ['org', 'code'] }],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    store: () => p.manyToOne(Store),
    code: p.string().length(64),
  },
});
export type ITill = InferEntity<typeof Till>;
