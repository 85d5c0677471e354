import { Args, ArgsType, Ctx, Field, FieldResolver, Resolver, Root } from 'type-graphql';
import type { CustomerRow } from '../../domain/customer/customer.rows.js';
import type { RequestContext } from '../context.js';
import { Customer } from '../customer/customer.types.js';
import { PageArgs, pageRequest, toConnection, type ConnectionValue } from '../relay.js';
import { campaignsOfCustomer, type CampaignNode } from './campaign.loaders.js';
import { CampaignConnection, CampaignListEnum, type CampaignList } from './campaign.types.js';

@ArgsType()
class CustomerCampaignsArgs extends PageArgs {
  @Field(() => CampaignListEnum, { description: 'Which list: the campaigns they take part in, those they may join, or those they completed.' })
  filter!: CampaignList;
}

/** `Customer.campaigns` lives with the campaigns, so the customer feature knows nothing of them. */
@Resolver(() => Customer)
export class CustomerCampaignFields {
  @FieldResolver(() => CampaignConnection, {
    description: "The customer's campaigns in one list, each with their `progress`: the rewards page's active, eligible and completed campaigns.",
  })
  async campaigns(@Root() customer: CustomerRow, @Args(() => CustomerCampaignsArgs) args: CustomerCampaignsArgs, @Ctx() ctx: RequestContext): Promise<ConnectionValue<CampaignNode>> {
    const page = await campaignsOfCustomer(ctx, args.filter, pageRequest(args)).load(customer.id);
    return toConnection(page, (campaign) => campaign.listSortValue ?? campaign.id);
  }
}
