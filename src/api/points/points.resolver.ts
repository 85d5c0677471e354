import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { inputId } from '../relay.js';
import { CommonErrorCode, DomainError, payload, type Payload } from '../../core/errors.js';
import type { RequestContext } from '../context.js';
import { AllowWriters } from '../allow.js';
import { customerById } from '../customer/customer.loaders.js';
import type { CustomerRow } from '../../domain/customer/customer.rows.js';
import { GoodwillPointsIssueInput, PointsChangePayload } from './dto/goodwill-points-issue.js';
import { PointsRedeemInput } from './dto/points-redeem.js';
import { PointsTransferInput, PointsTransferPayload } from './dto/points-transfer.js';
import { ledgerEntryById, transferCreditsOf } from './points.loaders.js';
import type { LedgerEntryRow } from '../../domain/points/points.rows.js';
import { issueGoodwillPoints, redeemPoints, type PointsChange } from '../../domain/points/points.service.js';
import { transferPoints, type PointsTransferResult } from '../../domain/points/transfer.service.js';
import { resolveSubjectCustomerId, type CustomerIdentifier } from '../../domain/customer/customer.service.js';

type PointsChangeResult = Payload<{ ledgerEntry: LedgerEntryRow | null; customer: CustomerRow | null; replayed: boolean }>;

/** The entry and the customer, loaded after the change committed. */
async function loadChange(ctx: RequestContext, change: PointsChange) {
  const [ledgerEntry, customer] = await Promise.all([ledgerEntryById(ctx).load(change.entryId), customerById(ctx).load(change.customerId)]);
  return { ledgerEntry, customer, replayed: change.replayed };
}

type PointsTransferOutcome = Payload<{
  debit: LedgerEntryRow | null;
  credits: LedgerEntryRow[];
  sender: CustomerRow | null;
  recipient: CustomerRow | null;
  replayed: boolean;
}>;

/** Both sides of a transfer and both customers, loaded after it committed. */
async function loadTransfer(ctx: RequestContext, transfer: PointsTransferResult) {
  const [debit, credits, sender, recipient] = await Promise.all([
    ledgerEntryById(ctx).load(transfer.transferOutId),
    transferCreditsOf(ctx).load(transfer.transferOutId),
    customerById(ctx).load(transfer.fromCustomerId),
    customerById(ctx).load(transfer.toCustomerId),
  ]);
  return { debit, credits, sender, recipient, replayed: transfer.replayed };
}

/** The sender a staff key names: `from` is required, since a staff key acts for no customer of its own. */
/**
 * Whose points move: with a staff key, the `from` customer (required); with a customer's token,
 * the token's customer (a `from` naming anyone else is simply not found).
 */
async function sender(ctx: RequestContext, from: CustomerIdentifier | null | undefined): Promise<number> {
  if (ctx.customer && !from) return ctx.customer.customerId;
  if (!from) throw new DomainError(CommonErrorCode.INVALID_INPUT, 'from is required with a staff key.', ['input', 'from']);
  return resolveSubjectCustomerId(ctx, from, ['input', 'from']);
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

  @AllowWriters()
  @Mutation(() => PointsTransferPayload, {
    description:
      "Moves points from one customer to another of the org in one transaction: the sender's earliest-expiring lots go first and the recipient's lots keep their expiry. Within `Org.pointsTransferCap`; idempotent by key.",
  })
  pointsTransfer(
    @Arg('input', () => PointsTransferInput, { description: 'The sender, the recipient, the points and the idempotency key.' }) input: PointsTransferInput,
    @Ctx() ctx: RequestContext,
  ): Promise<PointsTransferOutcome> {
    return payload(async () => {
      const fromCustomerId = await sender(ctx, input.from);
      return loadTransfer(ctx, await transferPoints(ctx, { ...input, fromCustomerId, programId: inputId(input.programId, 'LoyaltyProgram') }));
    });
  }
}
