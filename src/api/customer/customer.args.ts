import { ArgsType, Field, ID } from 'type-graphql';
import { PageArgs } from '../relay.js';
import type { InteractionChannel } from '../../domain/interaction/interaction.entity.js';
import { InteractionChannelEnum } from '../interaction/index.js';
import type { TimelineEventType } from '../../domain/timeline/timeline.entity.js';
import { TimelineEventTypeEnum } from '../timeline/index.js';

@ArgsType()
export class InteractionsArgs extends PageArgs {
  @Field(() => InteractionChannelEnum, { nullable: true, description: 'Only interactions on this channel.' })
  channel?: InteractionChannel | null;
}

@ArgsType()
export class TimelineArgs extends PageArgs {
  @Field(() => [TimelineEventTypeEnum], { nullable: true, description: 'Only events of these types (a timeline view).' })
  types?: TimelineEventType[] | null;
}

@ArgsType()
export class MembershipsArgs {
  @Field(() => Boolean, { defaultValue: false, description: 'Also list memberships that have ended.' })
  includeEnded!: boolean;
}

@ArgsType()
export class PointsLedgerArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Only entries of this loyalty program.' })
  programId?: string | null;
}
