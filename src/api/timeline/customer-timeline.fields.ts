import { Args, ArgsType, Ctx, Field, FieldResolver, Resolver, Root } from 'type-graphql';
import { PageArgs, pageRequest, toConnection, type ConnectionValue } from '../relay.js';
import type { RequestContext } from '../context.js';
import type { CustomerRow } from '../../domain/customer/customer.rows.js';
import { Customer } from '../customer/customer.types.js';
import type { TimelineEventType } from '../../domain/timeline/timeline.entity.js';
import type { TimelineEventRow } from '../../domain/timeline/timeline.rows.js';
import { timelineOfCustomer } from './timeline.loaders.js';
import { TimelineEventConnection, TimelineEventTypeEnum } from './timeline.types.js';

@ArgsType()
export class TimelineArgs extends PageArgs {
  @Field(() => [TimelineEventTypeEnum], { nullable: true, description: 'Only events of these types (a timeline view).' })
  types?: TimelineEventType[] | null;
}

/** `Customer.timeline` lives here, with the event rows, so the customer feature knows nothing of the timeline. */
@Resolver(() => Customer)
export class CustomerTimelineFields {
  @FieldResolver(() => TimelineEventConnection, { description: "The customer's events, newest first, optionally only some types." })
  async timeline(
    @Root() customer: CustomerRow,
    @Args(() => TimelineArgs) args: TimelineArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<ConnectionValue<TimelineEventRow>> {
    const page = await timelineOfCustomer(ctx, args.types ?? null, pageRequest(args)).load(customer.id);
    return toConnection(page, (event) => event.occurredAt.toISOString());
  }
}
