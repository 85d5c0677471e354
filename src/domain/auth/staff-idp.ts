import type { JWTPayload } from 'jose';
import { CommonErrorCode, DomainError } from '../../core/errors.js';
import { requiredText, type FieldPath } from '../../core/input-rules.js';
import { STAFF_ROLES, type StaffRole } from './api-key.entity.js';
import type { RoleMappingEntry } from './staff-idp.entity.js';

/**
 * The rules of an org's staff identity provider: what an ADMIN may configure, and what a verified
 * token's claims must say for its bearer to act as staff. No network and no database here.
 */

/** An org's provider as stored. */
export interface StaffIdentityProviderRow {
  readonly id: number;
  readonly orgId: number;
  readonly issuer: string;
  readonly audience: string;
  readonly allowedEmailDomains: readonly string[];
  readonly roleClaim: string;
  readonly roleMapping: readonly RoleMappingEntry[];
  readonly defaultRole: StaffRole | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** What `staffIdentityProviderSet` takes. */
export interface StaffIdentityProviderInput {
  readonly issuer: string;
  readonly audience: string;
  readonly allowedEmailDomains: readonly string[];
  readonly roleClaim: string;
  readonly roleMapping: readonly { readonly value: string; readonly role: string }[];
  readonly defaultRole?: string | null;
}

export const MAX_ISSUER_CHARS = 500;
export const MAX_AUDIENCE_CHARS = 200;
const MAX_DOMAINS = 50;
const MAX_DOMAIN_CHARS = 253;
const MAX_CLAIM_NAME_CHARS = 100;
const MAX_MAPPINGS = 50;
const MAX_CLAIM_VALUE_CHARS = 200;
/** Longest email accepted: the audit trail's actor column holds `staff:<email>` in 100 characters. */
export const MAX_STAFF_EMAIL_CHARS = 94;
/** Most values of a role claim looked at (a person in thousands of groups is refused, not scanned). */
const MAX_CLAIM_VALUES = 500;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const DOMAIN_PATTERN = /^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/;

function invalid(field: FieldPath, message: string): DomainError {
  return new DomainError(CommonErrorCode.INVALID_INPUT, message, field);
}

/**
 * Whether a URL may be fetched for an identity provider's metadata or keys: https, or plain http
 * to this machine alone (a provider run beside the server in development and tests). No
 * credentials, query or fragment.
 */
export function isFetchableProviderUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password || url.hash) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
}

function issuerOf(value: string): string {
  const field = ['input', 'issuer'];
  const issuer = requiredText(value, field, MAX_ISSUER_CHARS);
  if (!isFetchableProviderUrl(issuer) || new URL(issuer).search) {
    throw invalid(field, 'issuer must be an https URL without query or fragment (plain http only for 127.0.0.1 or localhost), exactly as its tokens name it in `iss`.');
  }
  return issuer;
}

function emailDomainsOf(values: readonly string[]): string[] {
  const field = ['input', 'allowedEmailDomains'];
  if (values.length === 0) throw invalid(field, 'Name at least one email domain whose people may sign in.');
  if (values.length > MAX_DOMAINS) throw invalid(field, `At most ${MAX_DOMAINS} email domains.`);
  const domains = values.map((value) => requiredText(value, field, MAX_DOMAIN_CHARS).toLowerCase());
  const bad = domains.find((domain) => !DOMAIN_PATTERN.test(domain));
  if (bad !== undefined) throw invalid(field, `"${bad}" is not an email domain such as example.com.`);
  return [...new Set(domains)];
}

function roleOf(value: string | null | undefined, field: FieldPath): StaffRole {
  if (!STAFF_ROLES.includes(value as StaffRole)) throw invalid(field, `role must be one of ${STAFF_ROLES.join(', ')}.`);
  return value as StaffRole;
}

function roleMappingOf(entries: StaffIdentityProviderInput['roleMapping']): RoleMappingEntry[] {
  if (entries.length > MAX_MAPPINGS) throw invalid(['input', 'roleMapping'], `At most ${MAX_MAPPINGS} role mappings.`);
  return entries.map((entry, index) => ({
    value: requiredText(entry.value, ['input', 'roleMapping', String(index), 'value'], MAX_CLAIM_VALUE_CHARS),
    role: roleOf(entry.role, ['input', 'roleMapping', String(index), 'role']),
  }));
}

/** Checks and normalises an ADMIN's configuration (domains lowercased and deduplicated). */
export function validStaffIdentityProvider(input: StaffIdentityProviderInput): Omit<StaffIdentityProviderRow, 'id' | 'orgId' | 'createdAt' | 'updatedAt'> {
  const roleMapping = roleMappingOf(input.roleMapping);
  const defaultRole = input.defaultRole === null || input.defaultRole === undefined ? null : roleOf(input.defaultRole, ['input', 'defaultRole']);
  if (roleMapping.length === 0 && defaultRole === null) {
    throw invalid(['input', 'roleMapping'], 'Map at least one claim value to a role, or give a defaultRole: otherwise nobody could sign in.');
  }
  return {
    issuer: issuerOf(input.issuer),
    audience: requiredText(input.audience, ['input', 'audience'], MAX_AUDIENCE_CHARS),
    allowedEmailDomains: emailDomainsOf(input.allowedEmailDomains),
    roleClaim: requiredText(input.roleClaim, ['input', 'roleClaim'], MAX_CLAIM_NAME_CHARS),
    roleMapping,
    defaultRole,
  };
}

/** A staff member a verified token stands for, or why it does not stand for one. */
export type StaffMember =
  | { readonly ok: true; readonly email: string; readonly role: StaffRole }
  | { readonly ok: false; readonly message: string };

function claimValues(claim: unknown): readonly string[] | undefined {
  if (typeof claim === 'string') return [claim];
  if (Array.isArray(claim) && claim.length <= MAX_CLAIM_VALUES && claim.every((value) => typeof value === 'string')) return claim as string[];
  return undefined;
}

/** The role the claim's values map to: the first mapping entry they carry, else the default. */
function mappedRole(provider: StaffIdentityProviderRow, claim: unknown): StaffRole | null {
  const values = new Set(claimValues(claim) ?? []);
  return provider.roleMapping.find((entry) => values.has(entry.value))?.role ?? provider.defaultRole;
}

/**
 * Who a verified token's claims name, judged by the org's provider: a verified email (not
 * `email_verified: false`) of an allowed domain (exact, case-insensitive), and a role from the
 * claim mapping or the default.
 */
export function staffMemberOf(claims: JWTPayload, provider: StaffIdentityProviderRow): StaffMember {
  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
  if (!email) return { ok: false, message: 'The token carries no email claim.' };
  if (claims.email_verified === false) return { ok: false, message: 'The token says its email is not verified.' };
  if (email.length > MAX_STAFF_EMAIL_CHARS) return { ok: false, message: `Emails longer than ${MAX_STAFF_EMAIL_CHARS} characters are not accepted.` };
  const at = email.lastIndexOf('@');
  const domain = at > 0 ? email.slice(at + 1) : '';
  if (!domain || !provider.allowedEmailDomains.includes(domain)) {
    return { ok: false, message: `Staff of this org sign in with an email of ${provider.allowedEmailDomains.join(', ')}; ${domain ? `"${domain}"` : 'this email'} is not one.` };
  }
  const role = mappedRole(provider, claims[provider.roleClaim]);
  if (!role) return { ok: false, message: `The token's "${provider.roleClaim}" claim names no value this org maps to a role, and the org gives no default role: ask an ADMIN for access.` };
  return { ok: true, email, role };
}
