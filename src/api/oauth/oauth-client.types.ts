import { Field, InputType, ObjectType } from 'type-graphql';
import type { UserError } from '../../core/errors.js';
import { CUSTOMER_SCOPES, type CustomerScope } from '../../domain/oauth/customer-grant.js';
import type { OAuthClientRow } from '../../domain/oauth/oauth-client.service.js';
import { OAUTH_CLIENT_TYPES, type OAuthClientType } from '../../domain/oauth/oauth.entity.js';
import { graphqlEnum } from '../enums.js';
import { DateTimeScalar } from '../scalars.js';
import { UserErrorType } from '../user-error.type.js';

export const OAuthClientTypeEnum = graphqlEnum(OAUTH_CLIENT_TYPES, 'OAuthClientType', 'How a partner app authenticates to the authorization server.', {
  PUBLIC: 'An app on a device (phone, tablet, browser): no secret, PKCE only.',
  CONFIDENTIAL: 'An app with a server that keeps a secret; it may also introspect and revoke its tokens.',
});

/** GraphQL enum names cannot hold `:`; the scope `points:read` is `POINTS_READ`. */
const SCOPE_ENUM_VALUES = CUSTOMER_SCOPES.map((scope) => scope.replace(':', '_').toUpperCase()) as ('PROFILE' | 'POINTS_READ' | 'POINTS_REDEEM' | 'POINTS_TRANSFER' | 'CAMPAIGNS_READ' | 'CAMPAIGNS_JOIN')[];
type ScopeEnumValue = (typeof SCOPE_ENUM_VALUES)[number];

export const CustomerScopeEnum = graphqlEnum(SCOPE_ENUM_VALUES, 'CustomerScope', 'What a partner app may do for a signed-in customer (the OAuth scope in brackets).', {
  PROFILE: 'See the customer\'s name and contact details (`profile`).',
  POINTS_READ: 'See points, tier and transactions (`points:read`).',
  POINTS_REDEEM: 'Spend points (`points:redeem`).',
  POINTS_TRANSFER: 'Transfer points to another customer (`points:transfer`).',
  CAMPAIGNS_READ: 'See campaigns (`campaigns:read`).',
  CAMPAIGNS_JOIN: 'Join campaigns (`campaigns:join`).',
});

export function scopeFromEnum(value: string): string {
  const index = (SCOPE_ENUM_VALUES as readonly string[]).indexOf(value);
  return index >= 0 ? CUSTOMER_SCOPES[index] : value;
}

export function scopeToEnum(scope: CustomerScope): ScopeEnumValue {
  return SCOPE_ENUM_VALUES[CUSTOMER_SCOPES.indexOf(scope)];
}

@ObjectType({ description: 'A partner app that customers of the org may sign in to (an OAuth 2.0 client).' })
export class OAuthClient {
  @Field(() => String, { description: 'The OAuth `client_id`.' })
  clientId!: string;

  @Field(() => String, { description: 'The app\'s name, shown to customers on the consent screen.' })
  name!: string;

  @Field(() => OAuthClientTypeEnum, { description: 'Public (no secret) or confidential.' })
  type!: OAuthClientType;

  @Field(() => [String], { description: 'The redirect URIs, matched exactly.' })
  redirectUris!: string[];

  @Field(() => [CustomerScopeEnum], { description: 'What the app may ask a customer for.' })
  allowedScopes!: ScopeEnumValue[];

  @Field(() => DateTimeScalar, { description: 'When the client was registered.' })
  createdAt!: Date;

  @Field(() => DateTimeScalar, { description: 'When it last changed.' })
  updatedAt!: Date;
}

/** The GraphQL shape of a client row. */
export function toOAuthClient(row: OAuthClientRow): OAuthClient {
  return { clientId: row.clientId, name: row.name, type: row.type, redirectUris: [...row.redirectUris], allowedScopes: row.allowedScopes.map(scopeToEnum), createdAt: row.createdAt, updatedAt: row.updatedAt };
}

@InputType({ description: 'A new partner app.' })
export class OAuthClientCreateInput {
  @Field(() => String, { description: 'Name shown to customers (1 to 200 characters).' })
  name!: string;

  @Field(() => OAuthClientTypeEnum, { description: 'PUBLIC for an app on a device, CONFIDENTIAL for one with a server.' })
  type!: OAuthClientType;

  @Field(() => [String], { description: 'Redirect URIs (1 to 10), https, or http on localhost/127.0.0.1/[::1]; no fragment, no wildcard.' })
  redirectUris!: string[];

  @Field(() => [CustomerScopeEnum], { description: 'What the app may ask for (at least one).' })
  allowedScopes!: string[];
}

@InputType({ description: 'Changes to a partner app; absent fields stay as they are.' })
export class OAuthClientUpdateInput {
  @Field(() => String, { description: 'The client to change.' })
  clientId!: string;

  @Field(() => String, { nullable: true, description: 'A new name.' })
  name?: string | null;

  @Field(() => [String], { nullable: true, description: 'The new redirect URIs (replacing all).' })
  redirectUris?: string[] | null;

  @Field(() => [CustomerScopeEnum], { nullable: true, description: 'The new allowed scopes (replacing all); tokens already issued keep theirs until they expire.' })
  allowedScopes?: string[] | null;
}

@InputType({ description: 'A partner app to remove.' })
export class OAuthClientDeleteInput {
  @Field(() => String, { description: 'The client to remove; its codes, grants and tokens go with it.' })
  clientId!: string;
}

@ObjectType({ description: 'Result of `oauthClientCreate`.' })
export class OAuthClientCreatePayload {
  @Field(() => OAuthClient, { nullable: true, description: 'The new client.' })
  client?: OAuthClient | null;

  @Field(() => String, { nullable: true, description: 'The client secret of a CONFIDENTIAL client: shown this once, only its hash is kept. Null for a PUBLIC client.' })
  clientSecret?: string | null;

  @Field(() => [UserErrorType], { description: 'Why nothing was created; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of `oauthClientUpdate`.' })
export class OAuthClientUpdatePayload {
  @Field(() => OAuthClient, { nullable: true, description: 'The client after the change.' })
  client?: OAuthClient | null;

  @Field(() => [UserErrorType], { description: 'Why nothing was changed; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of `oauthClientDelete`.' })
export class OAuthClientDeletePayload {
  @Field(() => String, { nullable: true, description: 'The client id removed.' })
  deletedClientId?: string | null;

  @Field(() => [UserErrorType], { description: 'Why nothing was removed; empty on success.' })
  userErrors!: UserError[];
}
