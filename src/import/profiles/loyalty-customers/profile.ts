import { loadReferenceData } from '../../checks/reference-data.js';
import { identifierType } from '../customer-match.js';
import type { ImportProfile } from '../profile.js';
import { check } from './checks.js';
import { afterMerge, beforeMerge, mergeBatch } from './merge.js';
import { prepareRow, STAGING } from './prepare.js';

/**
 * Loyalty Customers: adds customers and updates existing ones, set-based. Each row is checked on
 * its own while the file is read; then SQL over all staged rows finds what only the whole file
 * and the existing data can tell (values duplicated in the file, identifiers of other customers,
 * customers that may not be changed); then batches are merged with INSERT … ON CONFLICT.
 *
 * Points (loyaltyPoints, lifetimePoints) carry over into the ledger for the customers the import
 * creates, in the batch that creates them, by the points rule for opening balances
 * (`openPointsBalances`: an IMPORT credit of the lifetime points, an IMPORT debit of what was
 * spent), so the balance stays the ledger's sum and lifetime points the sum of credits; a batch
 * is merged once, and a customer is opened once. An existing customer's points are its ledger's:
 * a row giving other values for them is refused (POINTS_CHANGE_NOT_ALLOWED), like a mobile change.
 */
export const loyaltyCustomersProfile: ImportProfile = {
  name: 'LOYALTY_CUSTOMERS',
  stagingColumns: STAGING,
  batchRows: 10_000,
  dryRunMerges: false,
  // Rows identified by mobile, email or external id are about distinct customers (a value carried
  // twice rejects both rows), so batches may merge side by side; two rows may name one user id.
  mergeConcurrency: (ctx) => (identifierType(ctx) === 'USER_ID' ? 1 : 2),
  // `ids`: where a job begun by a release that reserved blocks of ids kept them; such a job draws
  // its remaining ids past those blocks, like any other, and the table is only dropped.
  auxTables: ['match', 'ids', 'owners'],
  async begin(ctx) {
    const refs = await loadReferenceData(ctx);
    return { prepare: (row) => prepareRow(ctx, refs, row) };
  },
  check,
  beforeMerge,
  mergeBatch,
  afterMerge,
};
