import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context.js';
import type { UserGroupRow } from '../../domain/user-group/user-group.rows.js';
import { UserGroup } from '../user-group/user-group.types.js';
import type { ProgramLoyaltyRow } from '../../domain/program/program.rows.js';
import { defaultProgramStanding, loyaltyOf } from './program.loaders.js';
import { ProgramLoyalty } from './program.types.js';

/** `UserGroup.loyalty` lives here, with the enrolment rows, so the group feature knows nothing of programs. */
@Resolver(() => UserGroup)
export class UserGroupLoyaltyFields {
  @FieldResolver(() => ProgramLoyalty, { description: "The group's standing in the org's default program (its base tier and no points if not yet enrolled)." })
  async loyalty(@Root() row: UserGroupRow, @Ctx() ctx: RequestContext): Promise<ProgramLoyaltyRow> {
    const enrolments = await loyaltyOf(ctx, 'group').load(row.id);
    const standing = enrolments.find((enrolment) => enrolment.program.isDefault) ?? (await defaultProgramStanding(ctx).load(ctx.org.id));
    // Every org is created with a default program and its rank-0 tier.
    if (!standing) throw new Error(`Org ${ctx.org.id} has no default loyalty program with a base tier`);
    return standing;
  }
}
