export { badgeById, badgesOfCustomer, earnedBadgeById } from './badge.loaders.js';
export { Badge, EarnedBadge, EarnedBadgeConnection } from './badge.types.js';
export { earnedBadgeSortValue } from '../../domain/badge/badge.rows.js';
export type { BadgeRow, EarnedBadgeRow } from '../../domain/badge/badge.rows.js';
