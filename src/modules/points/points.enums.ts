import { graphqlEnum } from '../../graphql/enums.js';
import { LEDGER_ENTRY_KINDS } from './points.entity.js';

export const LedgerEntryKindEnum = graphqlEnum(
  LEDGER_ENTRY_KINDS,
  'LedgerEntryKind',
  'What a points ledger entry records: points earned, granted as goodwill, redeemed, expired, reversed or imported.',
);
