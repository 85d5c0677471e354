import { Field, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { graphqlEnum } from '../enums.js';
import { connectionType, Node } from '../relay.js';
import { DateTimeScalar } from '../scalars.js';
import { TIMELINE_EVENT_TYPES, type TimelineEventType } from '../../domain/timeline/timeline.entity.js';

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
