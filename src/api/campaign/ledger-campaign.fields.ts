import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { LedgerEntryRow } from '../../domain/points/points.rows.js';
import type { CampaignRow } from '../../domain/campaign/campaign.rows.js';
import type { RequestContext } from '../context.js';
import { PointsLedgerEntry } from '../points/points.types.js';
import { campaignById } from './campaign.loaders.js';
import { Campaign } from './campaign.types.js';

/** `PointsLedgerEntry.campaign` lives with the campaigns, so the points feature knows nothing of them. */
@Resolver(() => PointsLedgerEntry)
export class LedgerEntryCampaignFields {
  @FieldResolver(() => Campaign, { nullable: true, description: 'For a CAMPAIGN entry: the campaign whose completion it rewards.' })
  async campaign(@Root() entry: LedgerEntryRow, @Ctx() ctx: RequestContext): Promise<CampaignRow | null> {
    return entry.campaignId === null ? null : campaignById(ctx).load(entry.campaignId);
  }
}
