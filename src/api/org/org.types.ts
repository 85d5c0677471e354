import { Field, Int, ObjectType } from 'type-graphql';
import { graphqlEnum } from '../enums.js';
import { Node } from '../relay.js';
import { DateTimeScalar } from '../scalars.js';
import { STAFF_ROLES, type StaffRole } from '../../domain/auth/api-key.entity.js';

export const StaffRoleEnum = graphqlEnum(STAFF_ROLES, 'StaffRole', 'What a staff API key may do.', {
  ADMIN: 'Everything, org settings included.',
  MEMBER_CARE: 'Reads and changes customer, card, points and coupon data; not org settings or card series.',
  INTEGRATION: 'Reads and changes data for integrations and imports, card series included; not org settings.',
  VIEWER: 'Reads only.',
});

@ObjectType({ implements: Node, description: 'A store of the org.' })
export class Store extends Node {
  @Field(() => String, { description: 'Store code (till IUN).' })
  code!: string;

  @Field(() => String, { nullable: true, description: "The org's external id of the store." })
  externalId!: string | null;

  @Field(() => String, { description: 'Store name.' })
  name!: string;
}

@ObjectType({ implements: Node, description: 'A brand running loyalty programs: the tenant every object belongs to.' })
export class Org extends Node {
  @Field(() => String, { description: 'Short unique name.' })
  slug!: string;

  @Field(() => String, { description: 'Display name.' })
  name!: string;

  @Field(() => String, { description: 'IANA time zone; every date-time in this API is returned in it.' })
  timeZone!: string;

  @Field(() => String, { description: 'ISO 3166-1 alpha-2 code of the base country.' })
  baseCountry!: string;

  @Field(() => String, { description: 'Country calling code appended to mobiles without one.' })
  countryCallingCode!: string;

  @Field(() => String, { description: 'Regular expression a mobile number (digits with country code) must match.' })
  mobileRegex!: string;

  @Field(() => String, { description: 'Default SMS sender id.' })
  defaultSenderId!: string;

  @Field(() => Int, { description: 'Most points one goodwill issue may grant.' })
  goodwillPointsCap!: number;

  @Field(() => Int, { description: 'Most points one `pointsTransfer` may move from one customer to another (10,000 by default); more is refused with POINTS_TRANSFER_OVER_CAP.' })
  pointsTransferCap!: number;

  @Field(() => Int, {
    description: 'How many days back `couponRedeem` and `transactionAdd` may date a redemption or purchase (7 by default); imports of history may go further.',
  })
  backdatingWindowDays!: number;
  @Field(() => Int, { description: 'Most points a Loyalty Customers import may carry over for one new customer (its balance and its lifetime points).' })
  importOpeningPointsCap!: number;

  @Field(() => Int, { description: 'Most parts one SMS may be cut into (6 by default); a longer text is refused with SMS_TOO_LONG.' })
  smsMaxSegments!: number;

  @Field(() => Int, { description: "Most bytes an email's attachments may take together, decoded (512 KiB by default); more is refused with ATTACHMENTS_TOO_LARGE." })
  emailMaxAttachmentBytes!: number;

  @Field(() => Int, { nullable: true, description: 'Most SMS a second the queue hands to the gateway; the rest wait their turn, none is dropped. Null: no limit.' })
  smsSendRate!: number | null;

  @Field(() => Int, { nullable: true, description: 'Most emails a second the queue hands to the mail server; the rest wait their turn, none is dropped. Null: no limit.' })
  emailSendRate!: number | null;

  @Field(() => DateTimeScalar, { description: 'When the org was created.' })
  createdAt!: Date;
}

@ObjectType({ description: 'The caller: the org its API key belongs to, and its role.' })
export class Viewer {
  @Field(() => Org, { description: "The caller's org." })
  org!: Org;

  @Field(() => StaffRoleEnum, { description: "The caller's role." })
  role!: StaffRole;
}
