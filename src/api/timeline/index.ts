/** The timeline has no root queries: it is read through the customer. */
export { timelineEventById, timelineOfCustomer } from './timeline.loaders.js';
export { TimelineEvent, TimelineEventConnection, TimelineEventTypeEnum } from './timeline.types.js';
export { timelineEventSortValue } from '../../domain/timeline/timeline.rows.js';
export type { TimelineEventRow } from '../../domain/timeline/timeline.rows.js';
