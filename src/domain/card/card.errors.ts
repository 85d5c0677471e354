import { errorCodes } from '../../core/errors.js';

export const CardErrorCode = errorCodes({
  CARD_SERIES_NOT_FOUND: 'The org has no card series with that code.',
  CARD_SERIES_CODE_TAKEN: 'The org already has a card series with that code.',
  CARD_SERIES_NUMBERING_IN_USE: 'The card series has cards: its prefix, suffix and length cannot change.',
  CARD_SERIES_NOT_AUTO_GENERATED: 'The card series does not generate card numbers (auto-generation is off or it has no number length).',
  CARD_SERIES_EXHAUSTED: "The card series has no card numbers left within its length.",
  CARD_NOT_FOUND: 'The org has no card with that number.',
  CARD_IN_OTHER_SERIES: 'The card exists in another card series than the one named.',
  CARD_NUMBER_INVALID_FOR_SERIES: "The card number does not fit the series' prefix, suffix and length.",
  CARD_EXTERNAL_ID_TAKEN: 'Another card of the org already has that external id.',
  CARD_ALREADY_ISSUED: 'The card is already issued to another customer.',
  CARD_NOT_ISSUABLE: 'The card is deleted or expired and cannot be issued.',
  CARD_STATUS_LABEL_NOT_FOUND: 'The org has no card status label of that name (or none for the system status needed).',
  CARD_STATUS_TRANSITION_INVALID: 'The card cannot take that status now, e.g. a deleted card stays deleted.',
});
