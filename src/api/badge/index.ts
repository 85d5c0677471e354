import { EarnedBadgeFields } from './badge.fields.js';
import { BadgeResolver } from './badge.resolver.js';
import { CustomerBadgeFields } from './customer-badges.fields.js';

export const badgeResolvers = [BadgeResolver, EarnedBadgeFields, CustomerBadgeFields] as const;
export { badgeById, badgesOfCustomer, earnedBadgeById } from './badge.loaders.js';
export { Badge, EarnedBadge, EarnedBadgeConnection } from './badge.types.js';
export { earnedBadgeSortValue } from '../../domain/badge/badge.rows.js';
export type { BadgeRow, EarnedBadgeRow } from '../../domain/badge/badge.rows.js';
