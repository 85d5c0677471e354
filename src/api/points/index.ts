import { PointsLedgerEntryFields, ProgramLoyaltyPointsFields } from './points.fields.js';
import { PointsResolver } from './points.resolver.js';
import { CustomerPointsLedgerFields } from './customer-points-ledger.fields.js';

export const pointsResolvers = [PointsResolver, PointsLedgerEntryFields, ProgramLoyaltyPointsFields, CustomerPointsLedgerFields] as const;
export { ledgerEntryById, ledgerOfCustomer } from './points.loaders.js';
export { PointsLedgerEntry, PointsLedgerEntryConnection } from './points.types.js';
export type { LedgerEntryRow } from '../../domain/points/points.rows.js';
