import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { payload } from '../../core/errors.js';
import { createOAuthClient, deleteOAuthClient, listOAuthClients, updateOAuthClient } from '../../domain/oauth/oauth-client.service.js';
import { AllowRoles } from '../allow.js';
import type { RequestContext } from '../context.js';
import {
  OAuthClient,
  OAuthClientCreateInput,
  OAuthClientCreatePayload,
  OAuthClientDeleteInput,
  OAuthClientDeletePayload,
  OAuthClientUpdateInput,
  OAuthClientUpdatePayload,
  scopeFromEnum,
  toOAuthClient,
} from './oauth-client.types.js';

/** The org's partner apps (OAuth clients): ADMIN keys only, to read as to change. */
@Resolver()
export class OAuthClientResolver {
  @AllowRoles(['ADMIN'], 'see OAuth clients')
  @Query(() => [OAuthClient], { description: "The org's partner apps, newest first (ADMIN keys only)." })
  async oauthClients(@Ctx() ctx: RequestContext) {
    return (await listOAuthClients(ctx)).map(toOAuthClient);
  }

  @AllowRoles(['ADMIN'], 'register OAuth clients')
  @Mutation(() => OAuthClientCreatePayload, { description: 'Registers a partner app; a CONFIDENTIAL one gets its secret in this answer only (ADMIN keys only).' })
  oauthClientCreate(@Arg('input', () => OAuthClientCreateInput, { description: 'The app.' }) input: OAuthClientCreateInput, @Ctx() ctx: RequestContext) {
    return payload(async () => {
      const created = await createOAuthClient(ctx, { ...input, allowedScopes: input.allowedScopes.map(scopeFromEnum) });
      return { client: toOAuthClient(created.client), clientSecret: created.secret };
    });
  }

  @AllowRoles(['ADMIN'], 'change OAuth clients')
  @Mutation(() => OAuthClientUpdatePayload, { description: "Changes a partner app's name, redirect URIs or allowed scopes (ADMIN keys only)." })
  oauthClientUpdate(@Arg('input', () => OAuthClientUpdateInput, { description: 'The client and its changes.' }) input: OAuthClientUpdateInput, @Ctx() ctx: RequestContext) {
    return payload(async () => ({ client: toOAuthClient(await updateOAuthClient(ctx, { ...input, allowedScopes: input.allowedScopes?.map(scopeFromEnum) })) }));
  }

  @AllowRoles(['ADMIN'], 'remove OAuth clients')
  @Mutation(() => OAuthClientDeletePayload, { description: 'Removes a partner app and every code, grant and token it holds (ADMIN keys only).' })
  oauthClientDelete(@Arg('input', () => OAuthClientDeleteInput, { description: 'The client.' }) input: OAuthClientDeleteInput, @Ctx() ctx: RequestContext) {
    return payload(async () => ({ deletedClientId: (await deleteOAuthClient(ctx, input.clientId)).clientId }));
  }
}
