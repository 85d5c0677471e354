export { ledgerEntryById, ledgerOfCustomer } from './points.loaders.js';
export { PointsLedgerEntry, PointsLedgerEntryConnection } from './points.types.js';
export type { LedgerEntryRow } from '../../domain/points/points.rows.js';
