import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Customer } from '../customer/customer.entity.js';
import { Org } from '../org/org.entity.js';

export const OAUTH_CLIENT_TYPES = ['PUBLIC', 'CONFIDENTIAL'] as const;
export type OAuthClientType = (typeof OAUTH_CLIENT_TYPES)[number];

/**
 * A partner app of one org. A public client (a phone or tablet app) has no secret and must use
 * PKCE; a confidential one (a server) authenticates with a secret of which only the SHA-256 hash
 * is kept (the secret is 256 random bits, shown once).
 */
export const OAuthClient = defineEntity({
  name: 'OAuthClient',
  tableName: 'oauth_client',
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    clientId: p.string().length(64).unique(),
    name: p.string().length(200),
    type: p.enum(() => OAUTH_CLIENT_TYPES),
    secretHash: p.string().length(64).nullable(),
    redirectUris: p.json<string[]>(),
    allowedScopes: p.json<string[]>(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
    updatedAt: p.datetime(3).onCreate(() => new Date()),
  },
});
export type IOAuthClient = InferEntity<typeof OAuthClient>;

/**
 * The authorization server's state (oidc-provider's models: sessions, interactions, grants,
 * codes, tokens), shared by every API process. `payload` is the model as oidc-provider stores it;
 * the other columns are its lookups.
 */
export const OAuthModel = defineEntity({
  name: 'OAuthModel',
  tableName: 'oauth_model',
  properties: {
    kind: p.string().length(40).primary(),
    id: p.string().length(255).primary(),
    payload: p.json<Record<string, unknown>>(),
    grantId: p.string().length(255).nullable().index(),
    userCode: p.string().length(255).nullable().index(),
    uid: p.string().length(255).nullable().index(),
    expiresAt: p.datetime(3).nullable().index(),
    consumedAt: p.datetime(3).nullable(),
  },
});
export type IOAuthModel = InferEntity<typeof OAuthModel>;

/** The authorization server's secrets (signing keys, cookie keys), made on first start and shared by every process. */
export const OAuthSecret = defineEntity({
  name: 'OAuthSecret',
  tableName: 'oauth_secret',
  properties: {
    name: p.string().length(40).primary(),
    value: p.json<unknown>(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
export type IOAuthSecret = InferEntity<typeof OAuthSecret>;

/**
 * A one-time password sent during a sign-in (one per sign-in interaction). Only its hash is kept;
 * `customer` is null when the identifier named nobody (nothing was sent, the same screens follow).
 */
export const OAuthOtp = defineEntity({
  name: 'OAuthOtp',
  tableName: 'oauth_otp',
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org),
    clientId: p.string().length(64),
    interactionUid: p.string().length(255).unique(),
    customer: () => p.manyToOne(Customer).nullable(),
    codeHash: p.string().length(64),
    attempts: p.integer(),
    expiresAt: p.datetime(3).index(),
    verifiedAt: p.datetime(3).nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
export type IOAuthOtp = InferEntity<typeof OAuthOtp>;
