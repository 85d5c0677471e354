import { toDate, toId, type Row } from '../../core/sql/rows.js';
import type { PatternSyntax } from '../../core/user-pattern.js';

/** The mobile pattern is read as JavaScript reads a RegExp without flags (mobiles are digits), checked and run alike. */
export const MOBILE_PATTERN_SYNTAX: PatternSyntax = { unicode: false };

/** The org as resolvers see it. */
export interface OrgRow {
  readonly __typename: 'Org';
  readonly id: number;
  readonly slug: string;
  readonly name: string;
  readonly timeZone: string;
  readonly baseCountry: string;
  readonly countryCallingCode: string;
  readonly mobileRegex: string;
  readonly defaultSenderId: string;
  readonly goodwillPointsCap: number;
  readonly pointsTransferCap: number;
  readonly backdatingWindowDays: number;
  readonly importOpeningPointsCap: number;
  readonly smsMaxSegments: number;
  readonly emailMaxAttachmentBytes: number;
  readonly smsSendRate: number | null;
  readonly emailSendRate: number | null;
  readonly createdAt: Date;
}

export function toOrgRow(row: Row): OrgRow {
  return {
    __typename: 'Org',
    id: toId(row.id),
    slug: String(row.slug),
    name: String(row.name),
    timeZone: String(row.timeZone),
    baseCountry: String(row.baseCountry),
    countryCallingCode: String(row.countryCallingCode),
    mobileRegex: String(row.mobileRegex),
    defaultSenderId: String(row.defaultSenderId),
    goodwillPointsCap: Number(row.goodwillPointsCap),
    pointsTransferCap: Number(row.pointsTransferCap),
    backdatingWindowDays: Number(row.backdatingWindowDays),
    importOpeningPointsCap: Number(row.importOpeningPointsCap),
    smsMaxSegments: Number(row.smsMaxSegments),
    emailMaxAttachmentBytes: Number(row.emailMaxAttachmentBytes),
    smsSendRate: row.smsSendRate === null || row.smsSendRate === undefined ? null : Number(row.smsSendRate),
    emailSendRate: row.emailSendRate === null || row.emailSendRate === undefined ? null : Number(row.emailSendRate),
    createdAt: toDate(row.createdAt),
  };
}

export interface StoreRow {
  readonly __typename: 'Store';
  readonly id: number;
  readonly code: string;
  readonly externalId: string | null;
  readonly name: string;
}

export function toStoreRow(row: Row): StoreRow {
  return {
    __typename: 'Store',
    id: toId(row.id),
    code: String(row.code),
    externalId: (row.externalId as string | null) ?? null,
    name: String(row.name),
  };
}
