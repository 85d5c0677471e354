import { Args, ArgsType, Ctx, Field, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import { inputId, PageArgs, pageRequest, toConnection, type ConnectionValue } from '../relay.js';
import type { RequestContext } from '../context.js';
import type { CustomerRow } from '../../domain/customer/customer.rows.js';
import { Customer } from '../customer/customer.types.js';
import type { LedgerEntryRow } from '../../domain/points/points.rows.js';
import { ledgerOfCustomer } from './points.loaders.js';
import { PointsLedgerEntryConnection } from './points.types.js';

@ArgsType()
export class PointsLedgerArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Only entries of this loyalty program.' })
  programId?: string | null;
}

/** `Customer.pointsLedger` lives here, with the ledger rows, so the customer feature knows nothing of points. */
@Resolver(() => Customer)
export class CustomerPointsLedgerFields {
  @FieldResolver(() => PointsLedgerEntryConnection, { description: "The customer's points ledger, newest entry first: every credit and debit, with expiries." })
  async pointsLedger(
    @Root() customer: CustomerRow,
    @Args(() => PointsLedgerArgs) args: PointsLedgerArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<ConnectionValue<LedgerEntryRow>> {
    const page = await ledgerOfCustomer(ctx, inputId(args.programId, 'LoyaltyProgram'), pageRequest(args)).load(customer.id);
    return toConnection(page, (entry) => entry.id);
  }
}
