import { Args, ArgsType, Ctx, Field, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { DEFAULT_PAGE_SIZE } from '../page-size.js';
import { pageRequest, toConnection, type ConnectionValue } from '../relay.js';
import { UserInputError } from '../errors.js';
import { DateTimeScalar } from '../scalars.js';
import type { RequestContext } from '../context.js';
import type { CustomerRow } from '../../domain/customer/customer.rows.js';
import { Customer } from '../customer/customer.types.js';
import type { TimelineEventType } from '../../domain/timeline/timeline.entity.js';
import { timelineEventSortValue, type TimelineEventRow } from '../../domain/timeline/timeline.rows.js';
import { MAX_TIMELINE_VIEW_NAME_CHARS, timelineWindowOf } from '../../domain/timeline/timeline-view.service.js';
import { timelineOfCustomer, timelineViewByName, type TimelineFilter } from './timeline.loaders.js';
import { TimelineEventConnection, TimelineEventTypeEnum } from './timeline.types.js';

/** A timeline is read in pages of up to this many events (a rewards page shows a long history at once). */
export const MAX_TIMELINE_PAGE_SIZE = 1_000;

@ArgsType()
class TimelinePageArgs {
  @Field(() => Int, { nullable: true, description: `How many events to return (1–${MAX_TIMELINE_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE}).` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Return events after this cursor (an `endCursor` of a previous page).' })
  after?: string | null;
}

@ArgsType()
export class TimelineArgs extends TimelinePageArgs {
  @Field(() => [TimelineEventTypeEnum], { nullable: true, description: 'Only events of these types; all types when absent.' })
  types?: TimelineEventType[] | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Only events that happened at or after this instant (inclusive).' })
  since?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Only events that happened before this instant (exclusive); must be after `since`.' })
  until?: Date | null;
}

@ArgsType()
export class TimelineViewArgs extends TimelinePageArgs {
  @Field(() => String, { description: 'The name of one of the org\'s timeline views (see `timelineViews`).' })
  name!: string;
}

function timelineFilter(args: TimelineArgs): TimelineFilter {
  const since = args.since ?? null;
  const until = args.until ?? null;
  if (since && until && since.getTime() >= until.getTime()) throw new UserInputError('`since` must be before `until`.', 'since');
  return { types: args.types ?? null, since, until };
}

/** `Customer.timeline` and `Customer.timelineView` live here, with the event rows, so the customer feature knows nothing of the timeline. */
@Resolver(() => Customer)
export class CustomerTimelineFields {
  @FieldResolver(() => TimelineEventConnection, { description: "The customer's events, newest first: all of them, or only some types within a window of time." })
  async timeline(@Root() customer: CustomerRow, @Args(() => TimelineArgs) args: TimelineArgs, @Ctx() ctx: RequestContext): Promise<ConnectionValue<TimelineEventRow>> {
    const filter = timelineFilter(args);
    const page = await timelineOfCustomer(ctx, filter, pageRequest(args, MAX_TIMELINE_PAGE_SIZE)).load(customer.id);
    return toConnection(page, timelineEventSortValue);
  }

  @FieldResolver(() => TimelineEventConnection, {
    nullable: true,
    description:
      "The customer's events as a named view of the org shows them: its event types within its last `windowDays` days (as of now), newest first. " +
      'A name the org has no view of is a BAD_USER_INPUT error on this field (which is then null).',
  })
  async timelineView(@Root() customer: CustomerRow, @Args(() => TimelineViewArgs) args: TimelineViewArgs, @Ctx() ctx: RequestContext): Promise<ConnectionValue<TimelineEventRow>> {
    const request = pageRequest(args, MAX_TIMELINE_PAGE_SIZE);
    const name = args.name.trim();
    const view = name.length <= MAX_TIMELINE_VIEW_NAME_CHARS ? await timelineViewByName(ctx).load(name) : null;
    if (!view) throw new UserInputError(`Your org has no timeline view named "${name.slice(0, MAX_TIMELINE_VIEW_NAME_CHARS)}".`, 'name');
    const window = timelineWindowOf(view, ctx.clock.now());
    const page = await timelineOfCustomer(ctx, { types: window.types, since: window.since, until: null }, request).load(customer.id);
    return toConnection(page, timelineEventSortValue);
  }
}
