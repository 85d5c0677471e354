import { PointsLedgerEntryFields, ProgramLoyaltyPointsFields } from './points.fields.js';
import { PointsResolver } from './points.resolver.js';

export const pointsResolvers = [PointsResolver, PointsLedgerEntryFields, ProgramLoyaltyPointsFields] as const;
export { ledgerEntryById, ledgerOfCustomer } from './points.loaders.js';
export { PointsLedgerEntry, PointsLedgerEntryConnection } from './points.types.js';
export type { LedgerEntryRow } from '../../domain/points/points.rows.js';
