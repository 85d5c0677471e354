import { Field, ObjectType } from 'type-graphql';
import { graphqlEnum } from '../enums.js';
import { Node } from '../relay.js';
import { DateTimeScalar } from '../scalars.js';
import {
  MEMBERSHIP_ACTIVITIES,
  MEMBERSHIP_STATUSES,
  PARTNER_PROGRAM_TYPES,
  type MembershipActivityKind,
  type MembershipStatus,
  type PartnerProgramType,
} from '../../domain/partner-program/partner-program.entity.js';

export const PartnerProgramTypeEnum = graphqlEnum(PARTNER_PROGRAM_TYPES, 'PartnerProgramType', 'External partner program or supplementary program of the org.', {
  EXTERNAL: 'A program run by a partner.',
  SUPPLEMENTARY: 'A supplementary program of the org.',
});
export const MembershipStatusEnum = graphqlEnum(MEMBERSHIP_STATUSES, 'MembershipStatus', 'Whether a partner-program membership is active or ended.', {
  ACTIVE: 'The customer is a member.',
  ENDED: 'The membership has ended.',
});
export const MembershipActivityKindEnum = graphqlEnum(MEMBERSHIP_ACTIVITIES, 'MembershipActivityKind', 'A step in the life of a partner-program membership.', {
  JOINED: 'Joined the program.',
  UPGRADED: 'Moved to a higher tier.',
  DOWNGRADED: 'Moved to a lower tier.',
  RENEWED: 'Renewed the membership.',
  ENDED: 'Left the program.',
});

@ObjectType({ implements: Node, description: 'An external or supplementary partner program.' })
export class SupplementaryProgram extends Node {
  @Field(() => String, { description: 'Program code, unique in the org.' })
  code!: string;

  @Field(() => String, { description: 'Program name.' })
  name!: string;

  @Field(() => PartnerProgramTypeEnum, { description: 'External or supplementary.' })
  type!: PartnerProgramType;
}

@ObjectType({ description: 'One step in the activity history of a partner-program membership.' })
export class MembershipActivity {
  @Field(() => MembershipActivityKindEnum, { description: 'What happened.' })
  kind!: MembershipActivityKind;

  @Field(() => String, { nullable: true, description: 'Description of the step.' })
  description!: string | null;

  @Field(() => String, { nullable: true, description: 'Tier after the step, when the program has tiers.' })
  tierName!: string | null;

  @Field(() => DateTimeScalar, { description: 'When it happened.' })
  occurredAt!: Date;
}

@ObjectType({ implements: Node, description: "A customer's membership of a partner program." })
export class ProgramMembership extends Node {
  @Field(() => SupplementaryProgram, { description: 'The partner program.' })
  program!: SupplementaryProgram;

  @Field(() => String, { description: "The member's id in the partner program." })
  membershipId!: string;

  @Field(() => String, { nullable: true, description: 'Current tier in the partner program.' })
  tierName!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the current tier expires.' })
  tierExpiresAt!: Date | null;

  @Field(() => MembershipStatusEnum, { description: 'Active or ended.' })
  status!: MembershipStatus;

  @Field(() => DateTimeScalar, { description: 'When the membership started.' })
  startedAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the membership ended or will end; null when open-ended.' })
  endedAt!: Date | null;

  @Field(() => DateTimeScalar, { description: 'When the membership last changed.' })
  lastUpdatedAt!: Date;

  @Field(() => MembershipActivityKindEnum, { description: 'The latest activity.' })
  lastActivity!: MembershipActivityKind;

  @Field(() => DateTimeScalar, { description: 'When the latest activity happened.' })
  lastActivityAt!: Date;

  @Field(() => [MembershipActivity], { description: 'Activity history, newest first.' })
  activityHistory!: MembershipActivity[];
}
