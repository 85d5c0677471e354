import { EarnedBadgeFields } from './badge.fields.js';
import { BadgeResolver } from './badge.resolver.js';

export const badgeResolvers = [BadgeResolver, EarnedBadgeFields] as const;
export { badgeDefinitionById, badgesOfCustomer, earnedBadgeById } from './badge.loaders.js';
export { BadgeDefinition, EarnedBadge, EarnedBadgeConnection } from './badge.types.js';
export { earnedBadgeSortValue } from './badge.rows.js';
export type { BadgeDefinitionRow, EarnedBadgeRow } from './badge.rows.js';
