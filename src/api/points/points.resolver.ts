import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { inputId } from '../relay.js';
import { payload, type Payload } from '../../core/errors.js';
import type { RequestContext } from '../context.js';
import { AllowWriters } from '../allow.js';
import { customerById } from '../customer/customer.loaders.js';
import type { CustomerRow } from '../../domain/customer/customer.rows.js';
import { GoodwillPointsIssueInput, PointsChangePayload } from './dto/goodwill-points-issue.js';
import { PointsRedeemInput } from './dto/points-redeem.js';
import { ledgerEntryById } from './points.loaders.js';
import type { LedgerEntryRow } from '../../domain/points/points.rows.js';
import { issueGoodwillPoints, redeemPoints, type PointsChange } from '../../domain/points/points.service.js';

type PointsChangeResult = Payload<{ ledgerEntry: LedgerEntryRow | null; customer: CustomerRow | null; replayed: boolean }>;

/** The entry and the customer, loaded after the change committed. */
async function loadChange(ctx: RequestContext, change: PointsChange) {
  const [ledgerEntry, customer] = await Promise.all([ledgerEntryById(ctx).load(change.entryId), customerById(ctx).load(change.customerId)]);
  return { ledgerEntry, customer, replayed: change.replayed };
}

@Resolver()
export class PointsResolver {
  @AllowWriters()
  @Mutation(() => PointsChangePayload, { description: 'Grants goodwill points to a customer (reason required, within the org cap); idempotent by key.' })
  goodwillPointsIssue(
    @Arg('input', () => GoodwillPointsIssueInput, { description: 'The customer, points, reason and idempotency key.' }) input: GoodwillPointsIssueInput,
    @Ctx() ctx: RequestContext,
  ): Promise<PointsChangeResult> {
    return payload(async () => loadChange(ctx, await issueGoodwillPoints(ctx, { ...input, programId: inputId(input.programId, 'LoyaltyProgram') })));
  }

  @AllowWriters()
  @Mutation(() => PointsChangePayload, { description: 'Spends points of a customer, earliest-expiring first; never below zero. Idempotent by key.' })
  pointsRedeem(
    @Arg('input', () => PointsRedeemInput, { description: 'The customer, points, reason and idempotency key.' }) input: PointsRedeemInput,
    @Ctx() ctx: RequestContext,
  ): Promise<PointsChangeResult> {
    return payload(async () => loadChange(ctx, await redeemPoints(ctx, { ...input, programId: inputId(input.programId, 'LoyaltyProgram') })));
  }
}
