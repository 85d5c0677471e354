import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { payload } from '../../core/errors.js';
import type { RequestContext } from '../context.js';
import { AllowRoles } from '../allow.js';
import type { StaffIdentityProviderRow } from '../../domain/auth/staff-idp.js';
import { removeStaffIdentityProvider, setStaffIdentityProvider, staffIdentityProviderOf } from '../../domain/auth/staff-idp.service.js';
import {
  StaffIdentityProvider,
  StaffIdentityProviderRemovePayload,
  StaffIdentityProviderSetInput,
  StaffIdentityProviderSetPayload,
} from './dto/staff-identity-provider.js';

@Resolver()
export class StaffIdentityProviderResolver {
  @AllowRoles(['ADMIN'], 'read the staff identity provider')
  @Query(() => StaffIdentityProvider, { nullable: true, description: "The OpenID Connect provider the org's staff sign in with, if any (ADMIN only)." })
  staffIdentityProvider(@Ctx() ctx: RequestContext): Promise<StaffIdentityProviderRow | null> {
    return staffIdentityProviderOf(ctx);
  }

  @AllowRoles(['ADMIN'], 'set the staff identity provider')
  @Mutation(() => StaffIdentityProviderSetPayload, {
    description:
      "Names (or replaces) the OpenID Connect provider the org's staff sign in with (ADMIN only): its signed tokens then act as staff of this org, with the role the claim mapping gives. Takes effect within 10 seconds.",
  })
  staffIdentityProviderSet(@Arg('input', () => StaffIdentityProviderSetInput, { description: 'The provider and its rules.' }) input: StaffIdentityProviderSetInput, @Ctx() ctx: RequestContext) {
    return payload(async () => ({ staffIdentityProvider: await setStaffIdentityProvider(ctx, input) }));
  }

  @AllowRoles(['ADMIN'], 'remove the staff identity provider')
  @Mutation(() => StaffIdentityProviderRemovePayload, { description: "Removes the org's staff identity provider (ADMIN only): its tokens stop working within 10 seconds; API keys stay." })
  staffIdentityProviderRemove(@Ctx() ctx: RequestContext) {
    return payload(async () => ({ staffIdentityProvider: await removeStaffIdentityProvider(ctx) }));
  }
}
