import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { UserInputError } from '../errors.js';
import type { RequestContext } from '../context.js';
import { customerById } from '../customer/customer.loaders.js';
import { Customer } from '../customer/customer.types.js';
import { programById } from '../program/program.loaders.js';
import type { ProgramLoyaltyRow } from '../../domain/program/program.rows.js';
import { LoyaltyProgram, ProgramLoyalty } from '../program/program.types.js';
import { transactionById } from '../transaction/transaction.loaders.js';
import { Transaction } from '../transaction/transaction.types.js';
import { userGroupById } from '../user-group/user-group.loaders.js';
import { UserGroup } from '../user-group/user-group.types.js';
import { EXPIRING_WINDOW_DEFAULT_DAYS, EXPIRING_WINDOW_MAX_DAYS, expiringPointsIn, ledgerEntryById } from './points.loaders.js';
import type { ExpiringPointsRow, LedgerEntryRow } from '../../domain/points/points.rows.js';
import { ExpiringPoints, PointsLedgerEntry } from './points.types.js';

@Resolver(() => PointsLedgerEntry)
export class PointsLedgerEntryFields {
  @FieldResolver(() => LoyaltyProgram, { description: 'The program the points are in.' })
  async program(@Root() entry: LedgerEntryRow, @Ctx() ctx: RequestContext) {
    const program = await programById(ctx).load(entry.programId);
    if (!program) throw new Error(`Ledger entry ${entry.id} is in a missing program ${entry.programId}`);
    return program;
  }

  @FieldResolver(() => Customer, { nullable: true, description: "The customer whose points these are; null for a group's." })
  customer(@Root() entry: LedgerEntryRow, @Ctx() ctx: RequestContext) {
    return entry.customerId === null ? null : customerById(ctx).load(entry.customerId);
  }

  @FieldResolver(() => UserGroup, { nullable: true, description: "The group whose points these are; null for a customer's." })
  group(@Root() entry: LedgerEntryRow, @Ctx() ctx: RequestContext) {
    return entry.groupId === null ? null : userGroupById(ctx).load(entry.groupId);
  }

  @FieldResolver(() => Transaction, { nullable: true, description: 'The purchase that earned the points, if any.' })
  transaction(@Root() entry: LedgerEntryRow, @Ctx() ctx: RequestContext) {
    return entry.transactionId === null ? null : transactionById(ctx).load(entry.transactionId);
  }

  @FieldResolver(() => PointsLedgerEntry, { nullable: true, description: 'For an EXPIRY entry: the lot whose rest it expired.' })
  expiredLot(@Root() entry: LedgerEntryRow, @Ctx() ctx: RequestContext) {
    return entry.expiredLotId === null ? null : ledgerEntryById(ctx).load(entry.expiredLotId);
  }
}


@Resolver(() => ProgramLoyalty)
export class ProgramLoyaltyPointsFields {
  @FieldResolver(() => ExpiringPoints, { description: 'Points that expire within a window from now, unless spent first.' })
  async pointsExpiringSoon(
    @Root() standing: ProgramLoyaltyRow,
    @Arg('withinDays', () => Int, { defaultValue: EXPIRING_WINDOW_DEFAULT_DAYS, description: `Days from now (1–${EXPIRING_WINDOW_MAX_DAYS}).` }) withinDays: number,
    @Ctx() ctx: RequestContext,
  ): Promise<ExpiringPointsRow> {
    if (!Number.isInteger(withinDays) || withinDays < 1 || withinDays > EXPIRING_WINDOW_MAX_DAYS) {
      throw new UserInputError(`\`withinDays\` must be between 1 and ${EXPIRING_WINDOW_MAX_DAYS}.`, 'withinDays');
    }
    if (standing.ownerType === null) return { points: 0, earliestExpiresAt: null, withinDays };
    return expiringPointsIn(ctx, standing.ownerType, withinDays, standing.ownerId, standing.program.id);
  }
}
