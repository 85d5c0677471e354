export {
  findIncentiveByCode,
  incentiveById,
  incentiveRedemptionById,
  incentiveSeriesById,
  incentivesOfCustomer,
  redemptionsOfIncentive,
} from './incentive.loaders.js';
export { Incentive, IncentiveConnection, IncentiveKindEnum, IncentiveRedemption, IncentiveSeries, IncentiveStatusEnum } from './incentive.types.js';
export { incentiveSortValue } from '../../domain/incentive/incentive.rows.js';
export type { IncentiveRedemptionRow, IncentiveRow, IncentiveSeriesRow } from '../../domain/incentive/incentive.rows.js';
