/**
 * What a customer signed in to a partner app may do: the scopes an OAuth client may ask for, and
 * what an access token carries once verified. The authorization server (oidc-provider, under
 * `/oauth`) issues the tokens; `/graphql` only reads them through a `CustomerTokenVerifier`.
 */

/** Every scope a client may be allowed and a customer may grant. */
export const CUSTOMER_SCOPES = ['profile', 'points:read', 'points:redeem', 'points:transfer', 'campaigns:read', 'campaigns:join'] as const;
export type CustomerScope = (typeof CUSTOMER_SCOPES)[number];

/** A verified access token: one customer of one org, through one client, within its scopes. */
export interface CustomerGrant {
  readonly orgId: number;
  readonly customerId: number;
  /** The OAuth client (partner app) the customer signed in to. */
  readonly clientId: string;
  readonly scopes: ReadonlySet<CustomerScope>;
  readonly expiresAt: Date;
}

/** Verifies a bearer token as a customer's access token; null when it is not one (unknown, expired, revoked). */
export interface CustomerTokenVerifier {
  verify(token: string): Promise<CustomerGrant | null>;
}
