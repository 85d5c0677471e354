import { loadPagesForParents, type Page, type PageRequest } from '../../core/sql/paging.js';
import { selectRows } from '../../core/sql/rows.js';
import { byKeys } from '../loaders.js';
import type { RequestContext } from '../context.js';
import { campaignProgressOf } from '../../domain/campaign/campaign-progress.js';
import { ELIGIBLE, RUNNING_AT, runningAt, TAKING_PART } from '../../domain/campaign/campaign-rules.js';
import { CAMPAIGN_COLUMNS, progressColumns, toCampaignProgressRow, toCampaignRow, type CampaignProgressRow, type CampaignRow } from '../../domain/campaign/campaign.rows.js';
import { findCampaigns } from '../../domain/campaign/campaign.service.js';
import type { CampaignList } from './campaign.types.js';

/**
 * A campaign as the graph passes it on. Reached through a customer's list, it knows whose progress
 * to show, and its key in that list (its cursor's sort value).
 */
export type CampaignNode = CampaignRow & { readonly viaCustomerId?: number; readonly listSortValue?: string | number };

export function campaignById(ctx: RequestContext) {
  return ctx.loaders.get<number, CampaignRow | null>('campaign.byId', async (ids) => {
    const campaigns = await findCampaigns(ctx, ids);
    return byKeys(ids, new Map(campaigns.map((campaign) => [campaign.id, campaign])), null);
  });
}

function progressKey(campaignId: number, customerId: number): string {
  return `${campaignId}:${customerId}`;
}

/** Where a customer stands in a campaign, by `campaignProgressKey`: one statement per request. */
export function campaignProgress(ctx: RequestContext) {
  return ctx.loaders.get<string, CampaignProgressRow | null>('campaign.progress', async (keys) => {
    const pairs = keys.map((key) => {
      const [campaignId, customerId] = key.split(':').map(Number);
      return { campaignId, customerId };
    });
    return campaignProgressOf(ctx, pairs);
  });
}

export function loadCampaignProgress(ctx: RequestContext, campaignId: number, customerId: number): Promise<CampaignProgressRow | null> {
  return campaignProgress(ctx).load(progressKey(campaignId, customerId));
}

/** Which campaigns each list shows (campaign `c`, customer `cu`, progress `cp`), and its parameters at `now`. */
function listCondition(list: CampaignList, now: Date): { condition: string; params: unknown[] } {
  switch (list) {
    case 'ACTIVE':
      return { condition: `${RUNNING_AT} and ${ELIGIBLE} and cp.completed_at is null and ${TAKING_PART}`, params: runningAt(now) };
    case 'ELIGIBLE':
      return { condition: `${RUNNING_AT} and ${ELIGIBLE} and cp.completed_at is null and c.requires_opt_in and cp.joined_at is null`, params: runningAt(now) };
    case 'COMPLETED':
      return { condition: 'cp.completed_at is not null', params: [] };
  }
}

/**
 * A page of each customer's campaigns in one list, with their progress (primed into
 * `campaignProgress`, so the page's progress fields cost no statement): one statement per
 * (list, page request). Running lists go by campaign id; completed ones by completion, newest first.
 */
export function campaignsOfCustomer(ctx: RequestContext, list: CampaignList, page: PageRequest) {
  return ctx.loaders.get<number, Page<CampaignNode>>(`campaign.ofCustomer:${list}:${JSON.stringify(page)}`, async (customerIds) => {
    const now = ctx.clock.now();
    const { condition, params } = listCondition(list, now);
    const completed = list === 'COMPLETED';
    const pages = await loadPagesForParents(
      ctx.em,
      {
        from: `(select ${CAMPAIGN_COLUMNS}, cu.id as customer_id, cp.completed_at as completed_sort, ${progressColumns(ELIGIBLE)}
          from campaign c join customer cu on cu.org_id = c.org_id
          left join campaign_progress cp on cp.org_id = c.org_id and cp.campaign_id = c.id and cp.customer_id = cu.id
          where c.org_id = ? and ${condition}) x`,
        parentColumn: 'customer_id',
        sortColumn: completed ? 'completed_sort' : 'id',
        descending: completed,
        where: 'true',
        params: [ctx.org.id, ...params],
        sortCast: completed ? '?::timestamptz' : '?::bigint',
      },
      customerIds,
      page,
    );
    const progressLoader = campaignProgress(ctx);
    return customerIds.map((customerId) => {
      const found = pages.get(customerId) ?? { rows: [], hasNextPage: false };
      const rows = found.rows.map((row) => {
        const campaign = toCampaignRow(row);
        const progress = toCampaignProgressRow(row, now);
        progressLoader.prime(progressKey(campaign.id, customerId), progress);
        return { ...campaign, viaCustomerId: customerId, listSortValue: completed ? (progress.completedAt?.toISOString() ?? '') : campaign.id };
      });
      return { rows, hasNextPage: found.hasNextPage };
    });
  });
}

/** The org's campaigns, newest first, optionally only those in one status now. */
export async function listCampaigns(ctx: RequestContext, status: 'SCHEDULED' | 'RUNNING' | 'ENDED' | null, page: PageRequest): Promise<Page<CampaignRow>> {
  const now = ctx.clock.now();
  const conditions = ['c.org_id = ?'];
  const params: unknown[] = [ctx.org.id];
  if (status === 'RUNNING') {
    conditions.push(RUNNING_AT);
    params.push(...runningAt(now));
  } else if (status === 'SCHEDULED') {
    conditions.push('c.starts_at > ?::timestamptz');
    params.push(now);
  } else if (status === 'ENDED') {
    conditions.push('c.ends_at <= ?::timestamptz');
    params.push(now);
  }
  if (page.after) {
    conditions.push('c.id < ?::bigint');
    params.push(page.after.id);
  }
  const rows = await selectRows(ctx.em, `select ${CAMPAIGN_COLUMNS} from campaign c where ${conditions.join(' and ')} order by c.id desc limit ?`, [...params, page.first + 1]);
  return { rows: rows.slice(0, page.first).map(toCampaignRow), hasNextPage: rows.length > page.first };
}
