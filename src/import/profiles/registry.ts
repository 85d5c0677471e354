import { ROW_CODE_DESCRIPTIONS } from '../checks/issue-codes.js';
import type { ImportProfileName } from '../import.entity.js';
import { cardSeriesProfile } from './card-series.profile.js';
import { cardsProfile } from './cards.profile.js';
import { couponRedemptionsProfile } from './coupon-redemptions.profile.js';
import { customerStatusProfile } from './customer-status.profile.js';
import { earnedBadgesProfile } from './earned-badges.profile.js';
import { entityLifeCycleProfile } from './entity-life-cycle.profile.js';
import { fraudStatusProfile } from './fraud-status.profile.js';
import { loyaltyCustomersProfile } from './loyalty-customers/profile.js';
import type { ImportProfile } from './profile.js';
import { transactionsProfile } from './transactions.profile.js';
import { userSubscriptionsProfile } from './user-subscriptions.profile.js';

/** Every profile of the catalog, in the catalog's order. */
const PROFILES: Readonly<Record<ImportProfileName, ImportProfile>> = {
  LOYALTY_CUSTOMERS: loyaltyCustomersProfile,
  CARDS: cardsProfile,
  CARD_SERIES: cardSeriesProfile,
  COUPON_REDEMPTIONS: couponRedemptionsProfile,
  CUSTOMER_STATUS: customerStatusProfile,
  ENTITY_LIFE_CYCLE: entityLifeCycleProfile,
  USER_SUBSCRIPTIONS: userSubscriptionsProfile,
  FRAUD_STATUS: fraudStatusProfile,
  EARNED_BADGES: earnedBadgesProfile,
  TRANSACTIONS: transactionsProfile,
};

export function importProfile(name: ImportProfileName): ImportProfile {
  return PROFILES[name];
}

/** Every code a row may carry, with its description: the import's own and its profiles' domain codes. */
export function importIssueCodeDescriptions(): Readonly<Record<string, string>> {
  return Object.assign({}, ROW_CODE_DESCRIPTIONS, ...Object.values(PROFILES).map((profile) => profile.domainIssueCodes ?? {}));
}
