import { graphqlEnum } from '../enums.js';
import { LEDGER_ENTRY_KINDS } from '../../domain/points/points.entity.js';

export const LedgerEntryKindEnum = graphqlEnum(
  LEDGER_ENTRY_KINDS,
  'LedgerEntryKind',
  'What a points ledger entry records: points earned, granted as goodwill, redeemed, expired, reversed, imported, transferred between customers or rewarded by a campaign.',
  {
    EARN: 'Points a purchase earned (a lot with its expiry).',
    GOODWILL: 'Points granted by member care (a lot with its expiry).',
    REDEMPTION: 'Points spent; they came from the lots that expire first.',
    EXPIRY: 'What was left of one lot when it expired.',
    REVERSAL: 'A correction of an earlier entry, credit or debit.',
    IMPORT: 'Points brought by an import: a credit is a lot with its expiry, a debit is spent like a redemption.',
    TRANSFER_OUT: 'Points given to another customer; they came from the lots that expire first.',
    TRANSFER_IN: 'Points received from another customer: a lot with the expiry of the lot they came from.',
    CAMPAIGN: "A campaign's reward for reaching its goal (a lot with its expiry; one per campaign and customer).",
  },
);
