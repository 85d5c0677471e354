import { errorCodes } from '../../core/errors.js';

export const CampaignErrorCode = errorCodes({
  CAMPAIGN_NOT_FOUND: 'The org has no campaign with this id.',
  CAMPAIGN_CODE_TAKEN: 'The org already has a campaign with this code.',
  CAMPAIGN_WINDOW_INVALID: "A campaign's end must come after its start, and a new end may not lie in the past.",
  CAMPAIGN_ALREADY_STARTED: "A campaign's start, goal, reward and opt-in can change only before it starts.",
  CAMPAIGN_ENDED: 'The campaign has ended: it can no longer be changed, ended again or joined.',
  CAMPAIGN_NOT_STARTED: 'The campaign has not started yet, so it cannot be joined.',
  CAMPAIGN_NOT_ELIGIBLE: "The customer does not meet the campaign's eligibility (tier, status or join date).",
});
