/** The timeline is read through the customer; its named views have their own root query and mutations. */
export { timelineEventById, timelineOfCustomer, timelineViewByName } from './timeline.loaders.js';
export { TimelineEvent, TimelineEventConnection, TimelineEventTypeEnum, TimelineView } from './timeline.types.js';
export { timelineEventSortValue } from '../../domain/timeline/timeline.rows.js';
export type { TimelineEventRow } from '../../domain/timeline/timeline.rows.js';
