import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { UserErrorType } from '../../user-error.type.js';
import type { UserError } from '../../../core/errors.js';
import type { OrgRow } from '../../../domain/org/org.rows.js';
import { Org } from '../org.types.js';

@InputType({ description: 'Org settings to change; absent ones stay as they are.' })
export class OrgSettingsUpdateInput {
  @Field(() => Int, { nullable: true, description: 'Most points one goodwill issue may grant (1–1,000,000).' })
  goodwillPointsCap?: number | null;

  @Field(() => Int, { nullable: true, description: 'Most points one `pointsTransfer` may move from one customer to another (1–2,000,000,000).' })
  pointsTransferCap?: number | null;

  @Field(() => Int, { nullable: true, description: 'How many days back `couponRedeem` and `transactionAdd` may date what they record (0–3,650).' })
  backdatingWindowDays?: number | null;
  @Field(() => Int, { nullable: true, description: 'Most points a Loyalty Customers import may carry over for one new customer (1–2,000,000,000).' })
  importOpeningPointsCap?: number | null;

  @Field(() => Int, { nullable: true, description: 'Most parts one SMS may be cut into (1–20).' })
  smsMaxSegments?: number | null;

  @Field(() => Int, { nullable: true, description: "Most bytes an email's attachments may take together, decoded (1–786,432: in base64 they must fit the 1 MB request body)." })
  emailMaxAttachmentBytes?: number | null;

  @Field(() => Int, { nullable: true, description: 'Most SMS a second handed to the gateway (1–10,000); 0 lifts the limit. Messages over the rate wait in the queue.' })
  smsSendRate?: number | null;

  @Field(() => Int, { nullable: true, description: 'Most emails a second handed to the mail server (1–10,000); 0 lifts the limit. Messages over the rate wait in the queue.' })
  emailSendRate?: number | null;

  @Field(() => String, { nullable: true, description: 'IANA time zone, e.g. `Asia/Singapore`; every date-time is returned in it.' })
  timeZone?: string | null;

  @Field(() => String, { nullable: true, description: 'Regular expression a mobile number (digits with country code) must match.' })
  mobileRegex?: string | null;

  @Field(() => String, { nullable: true, description: 'Default SMS sender id.' })
  defaultSenderId?: string | null;
}

@ObjectType({ description: 'Result of `orgSettingsUpdate`.' })
export class OrgSettingsUpdatePayload {
  @Field(() => Org, { nullable: true, description: 'The org with its settings as now stored.' })
  org?: OrgRow | null;

  @Field(() => [UserErrorType], { description: 'Why nothing changed; empty on success.' })
  userErrors!: UserError[];
}
