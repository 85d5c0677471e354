/** The timeline has no root queries or relation fields: it is read through the customer. */
export const timelineResolvers = [] as const;
export { timelineEventById, timelineOfCustomer } from './timeline.loaders.js';
export { TimelineEvent, TimelineEventConnection, TimelineEventTypeEnum } from './timeline.types.js';
export { timelineEventSortValue } from '../../domain/timeline/timeline.rows.js';
export type { TimelineEventRow } from '../../domain/timeline/timeline.rows.js';
