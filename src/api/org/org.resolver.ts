import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { payload } from '../../core/errors.js';
import type { RequestContext } from '../context.js';
import type { StaffRole } from '../../domain/auth/api-key.entity.js';
import { AllowRoles } from '../allow.js';
import { OrgSettingsUpdateInput, OrgSettingsUpdatePayload } from './dto/org-settings-update.js';
import { currentOrg } from './org.loaders.js';
import type { OrgRow } from '../../domain/org/org.rows.js';
import { updateOrgSettings } from '../../domain/org/org.service.js';
import { Viewer } from './org.types.js';

@Resolver()
export class OrgResolver {
  @Query(() => Viewer, { description: 'The caller: its org (with its time zone) and its role.' })
  viewer(@Ctx() ctx: RequestContext): { org: OrgRow; role: StaffRole } {
    return { org: ctx.org, role: ctx.role };
  }

  @AllowRoles(['ADMIN'], 'change org settings')
  @Mutation(() => OrgSettingsUpdatePayload, {
    description: "Changes the org's settings (ADMIN keys only). API keys cache their org for up to 10 s, so requests see a change within 10 s.",
  })
  orgSettingsUpdate(@Arg('input', () => OrgSettingsUpdateInput, { description: 'The settings to change.' }) input: OrgSettingsUpdateInput, @Ctx() ctx: RequestContext) {
    return payload(async () => ({ org: await currentOrg(ctx).load((await updateOrgSettings(ctx, input)).orgId) }));
  }
}
