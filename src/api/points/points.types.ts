import { Field, Int, ObjectType } from 'type-graphql';
import { connectionType, Node } from '../relay.js';
import { DateTimeScalar } from '../scalars.js';
import type { LedgerEntryKind } from '../../domain/points/points.entity.js';
import { LedgerEntryKindEnum } from './points.enums.js';

@ObjectType({
  implements: Node,
  description:
    'One change of points in a program, in an append-only ledger: balances are its sums. A positive entry is a lot with its own expiry; spending takes the lots that expire first.',
})
export class PointsLedgerEntry extends Node {
  @Field(() => LedgerEntryKindEnum, { description: 'What the entry records.' })
  kind!: LedgerEntryKind;

  @Field(() => Int, { description: 'Points: positive when credited, negative when debited.' })
  points!: number;

  @Field(() => Int, { nullable: true, description: 'For a credit: its points not yet spent or expired. Null for a debit.' })
  remainingPoints!: number | null;

  @Field(() => String, { nullable: true, description: 'Why the points changed (required for goodwill and spending).' })
  reason!: string | null;

  @Field(() => String, { description: 'Where the change came from: a mutation, an import job, the expiry job.' })
  source!: string;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the points of a credit expire; null for a debit or points that never expire.' })
  expiresAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Who recorded the entry, e.g. `api-key:12` or `import-job:7`.' })
  createdBy!: string | null;

  @Field(() => DateTimeScalar, { description: 'When the entry was recorded.' })
  createdAt!: Date;
}

export const PointsLedgerEntryConnection = connectionType(PointsLedgerEntry, 'PointsLedgerEntry');

@ObjectType({ description: 'Points of a standing that expire soon.' })
export class ExpiringPoints {
  @Field(() => Int, { description: 'Points left in lots that expire within the window (or are already due).' })
  points!: number;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the first of those lots expires; null when none does.' })
  earliestExpiresAt!: Date | null;

  @Field(() => Int, { description: 'The window, in days from now.' })
  withinDays!: number;
}
