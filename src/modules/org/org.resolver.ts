import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { payload } from '../../graphql/user-errors.js';
import type { RequestContext } from '../../server/context.js';
import type { StaffRole } from '../auth/api-key.entity.js';
import { assertRole } from '../auth/roles.js';
import { OrgSettingsUpdateInput, OrgSettingsUpdatePayload } from './dto/org-settings-update.js';
import { currentOrg } from './org.loaders.js';
import type { OrgRow } from './org.rows.js';
import { updateOrgSettings } from './org.service.js';
import { Viewer } from './org.types.js';

@Resolver()
export class OrgResolver {
  @Query(() => Viewer, { description: 'The caller: its org (with its time zone) and its role.' })
  viewer(@Ctx() ctx: RequestContext): { org: OrgRow; role: StaffRole } {
    return { org: ctx.org, role: ctx.role };
  }

  @Mutation(() => OrgSettingsUpdatePayload, {
    description: "Changes the org's settings (ADMIN keys only). API keys cache their org for up to 10 s, so requests see a change within 10 s.",
  })
  orgSettingsUpdate(@Arg('input', () => OrgSettingsUpdateInput, { description: 'The settings to change.' }) input: OrgSettingsUpdateInput, @Ctx() ctx: RequestContext) {
    assertRole(ctx, ['ADMIN'], 'change org settings');
    return payload(async () => ({ org: await currentOrg(ctx).load((await updateOrgSettings(ctx, input)).orgId) }));
  }
}
