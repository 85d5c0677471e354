import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BadgeErrorCode } from '../domain/badge/badge.errors.js';
import { CampaignErrorCode } from '../domain/campaign/campaign.errors.js';
import { CardErrorCode } from '../domain/card/card.errors.js';
import { CustomerErrorCode } from '../domain/customer/customer.errors.js';
import { ImportErrorCode } from '../import/import.errors.js';
import { MessageErrorCode } from '../domain/message/message.errors.js';
import { IncentiveErrorCode } from '../domain/incentive/incentive.errors.js';
import { OrgErrorCode } from '../domain/org/org.errors.js';
import { StaffIdentityProviderErrorCode } from '../domain/auth/staff-idp.errors.js';
import { PointsErrorCode } from '../domain/points/points.errors.js';
import { ProgramErrorCode } from '../domain/program/program.errors.js';
import { TimelineErrorCode } from '../domain/timeline/timeline.errors.js';
import { TransactionErrorCode } from '../domain/transaction/transaction.errors.js';
import { UserGroupErrorCode } from '../domain/user-group/user-group.errors.js';
import { CommonErrorCode } from '../core/errors.js';

/**
 * Every feature's error codes, in one enum. A feature adds its `<feature>.errors.ts` set here;
 * the schema then documents each code.
 */
const FEATURE_CODES: readonly { readonly descriptions: Readonly<Record<string, string>> }[] = [
  CommonErrorCode,
  CustomerErrorCode,
  ProgramErrorCode,
  PointsErrorCode,
  OrgErrorCode,
  StaffIdentityProviderErrorCode,
  IncentiveErrorCode,
  UserGroupErrorCode,
  TransactionErrorCode,
  BadgeErrorCode,
  CardErrorCode,
  ImportErrorCode,
  MessageErrorCode,
  TimelineErrorCode,
  CampaignErrorCode,
];

const descriptions: Record<string, string> = {};
for (const feature of FEATURE_CODES) {
  for (const [code, description] of Object.entries(feature.descriptions)) {
    if (descriptions[code] !== undefined && descriptions[code] !== description) throw new Error(`Error code ${code} is declared twice`);
    descriptions[code] = description;
  }
}

export const UserErrorCodeEnum = Object.fromEntries(Object.keys(descriptions).sort().map((code) => [code, code]));
registerEnumType(UserErrorCodeEnum, {
  name: 'UserErrorCode',
  description: 'Every code a `UserError` may carry. New codes may be added over time: treat an unknown one as a generic failure.',
  valuesConfig: Object.fromEntries(Object.entries(descriptions).map(([code, description]) => [code, { description }])),
});

@ObjectType('UserError', { description: 'A business failure of a mutation, with a stable code to act on. Nothing was changed.' })
export class UserErrorType {
  @Field(() => UserErrorCodeEnum, { description: 'Stable machine-readable code.' })
  code!: string;

  @Field(() => String, { description: 'What went wrong, for people.' })
  message!: string;

  @Field(() => [String], { nullable: true, description: 'Path to the input field at fault, e.g. ["input", "points"]; null when no single field is.' })
  field!: string[] | null;
}
