import { errorCodes } from '../../core/errors.js';

export const TimelineErrorCode = errorCodes({
  TIMELINE_VIEW_NAME_TAKEN: 'The org already has a timeline view with this name.',
  TIMELINE_VIEW_NOT_FOUND: 'The org has no timeline view with this name.',
  TIMELINE_VIEW_EVENT_TYPES_INVALID: 'A timeline view must list at least one event type, each a known one.',
  TIMELINE_VIEW_WINDOW_OUT_OF_RANGE: 'A timeline view reaches back at least 1 day and at most 3,660 days.',
});
