import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { PageArgs, pageRequest, toConnection } from '../relay.js';
import type { RequestContext } from '../context.js';
import { customerById } from '../customer/customer.loaders.js';
import { Customer, CustomerConnection } from '../customer/customer.types.js';
import { defaultProgramStanding, loyaltyOf } from '../program/program.loaders.js';
import type { ProgramLoyaltyRow } from '../../domain/program/program.rows.js';
import { ProgramLoyalty } from '../program/program.types.js';
import { transactionsOfGroup } from '../transaction/transaction.loaders.js';
import { transactionSortValue } from '../../domain/transaction/transaction.rows.js';
import { TransactionConnection } from '../transaction/transaction.types.js';
import { membersOfGroup } from './user-group.loaders.js';
import type { UserGroupRow } from '../../domain/user-group/user-group.rows.js';
import { UserGroup } from './user-group.types.js';

@Resolver(() => UserGroup)
export class UserGroupFields {
  @FieldResolver(() => Customer, { description: 'The primary member of the group.' })
  primaryMember(@Root() row: UserGroupRow, @Ctx() ctx: RequestContext) {
    return customerById(ctx).load(row.primaryMemberId);
  }

  @FieldResolver(() => CustomerConnection, { description: 'Members of the group, in the order they joined.' })
  async members(@Root() row: UserGroupRow, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: RequestContext) {
    const page = await membersOfGroup(ctx, pageRequest(args)).load(row.id);
    // Paged by membership row, so the cursor carries the membership id, not the customer id.
    return toConnection(page, (member) => member.membershipId);
  }

  @FieldResolver(() => ProgramLoyalty, { description: "The group's standing in the org's default program (its base tier and no points if not yet enrolled)." })
  async loyalty(@Root() row: UserGroupRow, @Ctx() ctx: RequestContext): Promise<ProgramLoyaltyRow> {
    const enrolments = await loyaltyOf(ctx, 'group').load(row.id);
    const standing = enrolments.find((enrolment) => enrolment.program.isDefault) ?? (await defaultProgramStanding(ctx).load(ctx.org.id));
    // Every org is created with a default program and its rank-0 tier.
    if (!standing) throw new Error(`Org ${ctx.org.id} has no default loyalty program with a base tier`);
    return standing;
  }

  @FieldResolver(() => TransactionConnection, { description: 'Transactions made for the group, newest first.' })
  async transactions(@Root() row: UserGroupRow, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: RequestContext) {
    const page = await transactionsOfGroup(ctx, pageRequest(args)).load(row.id);
    return toConnection(page, transactionSortValue);
  }
}
