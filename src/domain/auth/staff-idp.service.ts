import { selectRows, toDate, toId, writeRows, type Row } from '../../core/sql/rows.js';
import { inTransaction } from '../../core/sql/transaction.js';
import { CommonErrorCode, DomainError, refusedOnConflict } from '../../core/errors.js';
import type { ServiceContext } from '../context.js';
import { recordAudit } from '../audit/audit.service.js';
import type { StaffRole } from './api-key.entity.js';
import type { RoleMappingEntry } from './staff-idp.entity.js';
import { validStaffIdentityProvider, type StaffIdentityProviderInput, type StaffIdentityProviderRow } from './staff-idp.js';
import { StaffIdentityProviderErrorCode } from './staff-idp.errors.js';

export function toStaffIdentityProviderRow(row: Row): StaffIdentityProviderRow {
  return {
    id: toId(row.id),
    orgId: toId(row.orgId),
    issuer: String(row.issuer),
    audience: String(row.audience),
    allowedEmailDomains: row.allowedEmailDomains as string[],
    roleClaim: String(row.roleClaim),
    roleMapping: row.roleMapping as RoleMappingEntry[],
    defaultRole: (row.defaultRole ?? null) as StaffRole | null,
    createdAt: toDate(row.createdAt),
    updatedAt: toDate(row.updatedAt),
  };
}

/** The caller's org's provider, if it has one. */
export async function staffIdentityProviderOf(ctx: ServiceContext): Promise<StaffIdentityProviderRow | null> {
  const [row] = await selectRows(ctx.em, 'select * from staff_identity_provider where org_id = ?', [ctx.org.id]);
  return row ? toStaffIdentityProviderRow(row) : null;
}

function audited(row: StaffIdentityProviderRow | null): Record<string, unknown> | null {
  if (!row) return null;
  const { id: _id, orgId: _orgId, createdAt: _createdAt, updatedAt: _updatedAt, ...settings } = row;
  return settings;
}

/**
 * Names (or replaces) the org's staff identity provider. Requests with its tokens follow within
 * 10 s, the time a provider read is cached.
 */
export function setStaffIdentityProvider(ctx: ServiceContext, input: StaffIdentityProviderInput): Promise<StaffIdentityProviderRow> {
  const settings = validStaffIdentityProvider(input);
  return inTransaction(ctx, async (tx) => {
    const [before] = await selectRows(tx.em, 'select * from staff_identity_provider where org_id = ? for update', [tx.org.id]);
    const now = tx.clock.now();
    const [saved] = await refusedOnConflict(
      'staff_identity_provider_issuer_audience_unique',
      () => new DomainError(StaffIdentityProviderErrorCode.STAFF_IDENTITY_PROVIDER_TAKEN, 'Another org already trusts this issuer with this audience: register a client of your own at the provider and give its id as the audience.', ['input', 'audience']),
      () =>
        writeRows(
          tx.em,
          `insert into staff_identity_provider (org_id, issuer, audience, allowed_email_domains, role_claim, role_mapping, default_role, created_at, updated_at)
            values (?, ?, ?, ?::jsonb, ?, ?::jsonb, ?, ?, ?)
            on conflict (org_id) do update set issuer = excluded.issuer, audience = excluded.audience, allowed_email_domains = excluded.allowed_email_domains,
              role_claim = excluded.role_claim, role_mapping = excluded.role_mapping, default_role = excluded.default_role, updated_at = excluded.updated_at
            returning *`,
          [tx.org.id, settings.issuer, settings.audience, JSON.stringify(settings.allowedEmailDomains), settings.roleClaim, JSON.stringify(settings.roleMapping), settings.defaultRole, now, now],
        ),
    );
    const row = toStaffIdentityProviderRow(saved);
    await recordAudit(tx, {
      action: 'staffIdentityProviderSet',
      subjectType: 'StaffIdentityProvider',
      subjectId: row.id,
      details: { before: audited(before ? toStaffIdentityProviderRow(before) : null), after: audited(row) },
    });
    return row;
  });
}

/** Removes the org's staff identity provider: its tokens stop working within 10 s (open WebSockets are closed at their next check). */
export function removeStaffIdentityProvider(ctx: ServiceContext): Promise<StaffIdentityProviderRow> {
  return inTransaction(ctx, async (tx) => {
    const [removed] = await writeRows(tx.em, 'delete from staff_identity_provider where org_id = ? returning *', [tx.org.id]);
    if (!removed) throw new DomainError(CommonErrorCode.NOT_FOUND, 'This org has no staff identity provider to remove.', null);
    const row = toStaffIdentityProviderRow(removed);
    await recordAudit(tx, { action: 'staffIdentityProviderRemove', subjectType: 'StaffIdentityProvider', subjectId: row.id, details: { before: audited(row) } });
    return row;
  });
}
