import { errorCodes } from '../../core/errors.js';

export const PointsErrorCode = errorCodes({
  INSUFFICIENT_POINTS: 'The points balance in the program is lower than the points asked for; nothing was spent.',
  GOODWILL_POINTS_OVER_CAP: "The points exceed the org's cap for a single goodwill issue (`Org.goodwillPointsCap`).",
  POINTS_TRANSFER_TO_SELF: 'The recipient of a points transfer is its sender; nothing was moved.',
  POINTS_TRANSFER_OVER_CAP: "The points exceed the org's cap for a single transfer (`Org.pointsTransferCap`); nothing was moved.",
});
