import { errorCodes } from '../../core/errors.js';

export const IncentiveErrorCode = errorCodes({
  COUPON_NOT_FOUND: 'The org has no coupon with that code (in that series, when one is named).',
  COUPON_NOT_ACTIVE: 'The coupon is revoked or expired, or the redemption time is outside its validity.',
  COUPON_NOT_HELD_BY_CUSTOMER: "The coupon's series lets only the customer holding a code redeem it, and this customer does not hold it.",
  COUPON_OUTSIDE_REDEMPTION_RANGE: "The redemption time is outside the series' redemption window.",
  COUPON_ALREADY_REDEEMED: 'The coupon has been redeemed as often as its series allows.',
  COUPON_CUSTOMER_LIMIT_REACHED: 'The customer has redeemed codes of this series as often as the series allows one customer.',
  INCENTIVE_SERIES_NOT_FOUND: 'The org has no incentive series with that id.',
});
