import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import type { UserError } from '../../core/errors.js';
import { graphqlEnum } from '../enums.js';
import { connectionType, Node } from '../relay.js';
import { DateTimeScalar } from '../scalars.js';
import { TIMELINE_EVENT_TYPES, type TimelineEventType } from '../../domain/timeline/timeline.entity.js';
import { MAX_TIMELINE_VIEW_NAME_CHARS, MAX_TIMELINE_VIEW_WINDOW_DAYS, type TimelineViewRow } from '../../domain/timeline/timeline-view.service.js';
import { UserErrorType } from '../user-error.type.js';

export const TimelineEventTypeEnum = graphqlEnum(TIMELINE_EVENT_TYPES, 'TimelineEventType', 'What kind of event happened in a customer history.', {
  JOINED: 'Joined the program.',
  PURCHASED: 'Made a purchase (for themselves or a group).',
  POINTS_ISSUED: 'Was granted points (goodwill).',
  POINTS_REDEEMED: 'Spent points.',
  POINTS_EXPIRED: 'Points expired.',
  POINTS_TRANSFERRED_OUT: 'Gave points to another customer.',
  POINTS_TRANSFERRED_IN: 'Received points from another customer.',
  TIER_UPGRADED: 'Reached a higher tier.',
  COUPON_REDEEMED: 'Redeemed a coupon.',
  BADGE_EARNED: 'Earned a badge.',
  OPENED_EMAIL: 'Opened an email.',
  STATUS_CHANGED: 'Their status label changed.',
  CAMPAIGN_COMPLETED: 'Reached the goal of a campaign and got its reward.',
});

@ObjectType({ implements: Node, description: "An event in a customer's history." })
export class TimelineEvent extends Node {
  @Field(() => TimelineEventTypeEnum, { description: 'Kind of event.' })
  type!: TimelineEventType;

  @Field(() => String, { description: 'Human-readable summary.' })
  summary!: string;

  @Field(() => GraphQLJSONObject, { description: 'Details of the event; their keys depend on its type.' })
  data!: Record<string, unknown>;

  @Field(() => DateTimeScalar, { description: 'When the event happened.' })
  occurredAt!: Date;
}

export const TimelineEventConnection = connectionType(TimelineEvent, 'TimelineEvent');

@ObjectType({ description: "A named view of customers' timelines: some event types within the last few days, read as `Customer.timelineView(name:)`." })
export class TimelineView {
  @Field(() => String, { description: 'The name the view is read by, unique in the org.' })
  name!: string;

  @Field(() => [TimelineEventTypeEnum], { description: 'The event types it shows.' })
  eventTypes!: TimelineEventType[];

  @Field(() => Int, { description: 'How many days back from now it reaches.' })
  windowDays!: number;

  @Field(() => DateTimeScalar, { description: 'When it was created.' })
  createdAt!: Date;
}

/** The GraphQL shape of a view row. */
export function toTimelineView(row: TimelineViewRow): TimelineView {
  return { name: row.name, eventTypes: [...row.eventTypes], windowDays: row.windowDays, createdAt: row.createdAt };
}

@InputType({ description: 'A new timeline view.' })
export class TimelineViewCreateInput {
  @Field(() => String, { description: `Its name, unique in the org (1 to ${MAX_TIMELINE_VIEW_NAME_CHARS} characters, trimmed).` })
  name!: string;

  @Field(() => [TimelineEventTypeEnum], { description: 'The event types it shows (at least one).' })
  eventTypes!: TimelineEventType[];

  @Field(() => Int, { description: `How many days back from now it reaches (1 to ${MAX_TIMELINE_VIEW_WINDOW_DAYS}).` })
  windowDays!: number;
}

@InputType({ description: 'A timeline view to remove.' })
export class TimelineViewDeleteInput {
  @Field(() => String, { description: 'The name of the view.' })
  name!: string;
}

@ObjectType({ description: 'Result of `timelineViewCreate`.' })
export class TimelineViewCreatePayload {
  @Field(() => TimelineView, { nullable: true, description: 'The new view.' })
  view?: TimelineView | null;

  @Field(() => [UserErrorType], { description: 'Why nothing was created; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of `timelineViewDelete`.' })
export class TimelineViewDeletePayload {
  @Field(() => String, { nullable: true, description: 'The name of the view removed.' })
  deletedName?: string | null;

  @Field(() => [UserErrorType], { description: 'Why nothing was removed; empty on success.' })
  userErrors!: UserError[];
}
