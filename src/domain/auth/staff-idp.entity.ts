import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Org } from '../org/org.entity.js';
import { STAFF_ROLES, type StaffRole } from './api-key.entity.js';

/** One value of the role claim and the role a staff member carrying it gets. */
export interface RoleMappingEntry {
  readonly value: string;
  readonly role: StaffRole;
}

/**
 * The OpenID Connect provider an org's staff sign in with (its company's Google Workspace, say):
 * at most one per org. A token names its org through its issuer and audience, so that pair is
 * unique across orgs: several orgs may trust the same issuer (Google), each with its own audience
 * (its own client id there).
 */
export const StaffIdentityProvider = defineEntity({
  name: 'StaffIdentityProvider',
  uniques: [{ properties: ['issuer', 'audience'] }],
  properties: {
    id: p.bigint('number').primary(),
    org: () => p.manyToOne(Org).unique(),
    /** The `iss` its tokens carry, exactly; its keys are discovered from `<issuer>/.well-known/openid-configuration`. */
    issuer: p.string().length(500),
    /** The `aud` its tokens must carry for this org (the client id the org registered there). */
    audience: p.string().length(200),
    /** Email domains (lowercase) whose people may sign in; any other is refused. */
    allowedEmailDomains: p.json<string[]>(),
    /** The claim the role is read from, e.g. `groups` or `role` (a string or a list of strings). */
    roleClaim: p.string().length(100),
    /** Claim values and their roles; the first entry the token's claim carries wins. */
    roleMapping: p.json<RoleMappingEntry[]>(),
    /** The role of a staff member no entry matches; null refuses them. */
    defaultRole: p.enum(() => STAFF_ROLES).nullable(),
    createdAt: p.datetime(3),
    updatedAt: p.datetime(3),
  },
});
export type IStaffIdentityProvider = InferEntity<typeof StaffIdentityProvider>;
