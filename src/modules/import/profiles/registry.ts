import type { ImportProfileName } from '../import.entity.js';
import { cardSeriesProfile } from './card-series.profile.js';
import { cardsProfile } from './cards.profile.js';
import { couponRedemptionsProfile } from './coupon-redemptions.profile.js';
import { customerStatusProfile } from './customer-status.profile.js';
import { earnedBadgesProfile } from './earned-badges.profile.js';
import { fraudStatusProfile } from './fraud-status.profile.js';
import { loyaltyCustomersProfile } from './loyalty-customers.profile.js';
import type { ImportProfile } from './profile.js';
import { transactionsProfile } from './transactions.profile.js';
import { userSubscriptionsProfile } from './user-subscriptions.profile.js';

const PROFILES: Partial<Record<ImportProfileName, ImportProfile>> = {
  LOYALTY_CUSTOMERS: loyaltyCustomersProfile,
  CUSTOMER_STATUS: customerStatusProfile,
  FRAUD_STATUS: fraudStatusProfile,
  USER_SUBSCRIPTIONS: userSubscriptionsProfile,
  EARNED_BADGES: earnedBadgesProfile,
  COUPON_REDEMPTIONS: couponRedemptionsProfile,
  TRANSACTIONS: transactionsProfile,
  CARDS: cardsProfile,
  CARD_SERIES: cardSeriesProfile,
};

export function importProfile(name: ImportProfileName): ImportProfile {
  const profile = PROFILES[name];
  if (!profile) throw new Error(`The ${name} import profile is not implemented`);
  return profile;
}
