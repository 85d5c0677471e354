export { campaignById } from './campaign.loaders.js';
export { Campaign, CampaignConnection } from './campaign.types.js';
