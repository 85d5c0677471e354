import { Ctx, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../server/context.js';
import type { StaffRole } from '../auth/api-key.entity.js';
import type { OrgRow } from './org.rows.js';
import { Viewer } from './org.types.js';

@Resolver()
export class OrgResolver {
  @Query(() => Viewer, { description: 'The caller: its org (with its time zone) and its role.' })
  viewer(@Ctx() ctx: RequestContext): { org: OrgRow; role: StaffRole } {
    return { org: ctx.org, role: ctx.role };
  }
}
