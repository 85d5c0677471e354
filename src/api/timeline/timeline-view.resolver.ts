import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { payload } from '../../core/errors.js';
import { createTimelineView, deleteTimelineView, listTimelineViews } from '../../domain/timeline/timeline-view.service.js';
import { AllowRoles } from '../allow.js';
import type { RequestContext } from '../context.js';
import { TimelineView, TimelineViewCreateInput, TimelineViewCreatePayload, TimelineViewDeleteInput, TimelineViewDeletePayload, toTimelineView } from './timeline.types.js';

/** The org's named timeline views: any staff key reads them, ADMIN keys define them. */
@Resolver()
export class TimelineViewResolver {
  @Query(() => [TimelineView], { description: "The org's timeline views, by name." })
  async timelineViews(@Ctx() ctx: RequestContext) {
    return (await listTimelineViews(ctx)).map(toTimelineView);
  }

  @AllowRoles(['ADMIN'], 'define timeline views')
  @Mutation(() => TimelineViewCreatePayload, { description: 'Names a view of customers\' timelines: some event types within the last few days (ADMIN keys only).' })
  timelineViewCreate(@Arg('input', () => TimelineViewCreateInput, { description: 'The view.' }) input: TimelineViewCreateInput, @Ctx() ctx: RequestContext) {
    return payload(async () => ({ view: toTimelineView(await createTimelineView(ctx, input)) }));
  }

  @AllowRoles(['ADMIN'], 'remove timeline views')
  @Mutation(() => TimelineViewDeletePayload, { description: 'Removes a timeline view (ADMIN keys only).' })
  timelineViewDelete(@Arg('input', () => TimelineViewDeleteInput, { description: 'The view.' }) input: TimelineViewDeleteInput, @Ctx() ctx: RequestContext) {
    return payload(async () => ({ deletedName: (await deleteTimelineView(ctx, input.name)).name }));
  }
}
