import { errorCodes } from '../../core/errors.js';

export const PointsErrorCode = errorCodes({
  INSUFFICIENT_POINTS: 'The points balance in the program is lower than the points asked for; nothing was spent.',
  GOODWILL_POINTS_OVER_CAP: "The points exceed the org's cap for a single goodwill issue (`Org.goodwillPointsCap`).",
});
