import { toDate, toId, toNullableDate, toNullableString, type Row } from '../../core/sql/rows.js';
import type { MembershipActivityKind, MembershipStatus, PartnerProgramType } from './partner-program.entity.js';

export interface SupplementaryProgramRow {
  readonly __typename: 'SupplementaryProgram';
  readonly id: number;
  readonly code: string;
  readonly name: string;
  readonly type: PartnerProgramType;
}

export interface MembershipActivityRow {
  readonly kind: MembershipActivityKind;
  readonly description: string | null;
  readonly tierName: string | null;
  readonly occurredAt: Date;
}

export interface ProgramMembershipRow {
  readonly __typename: 'ProgramMembership';
  readonly id: number;
  readonly program: SupplementaryProgramRow;
  readonly customerId: number;
  readonly membershipId: string;
  readonly tierName: string | null;
  readonly tierExpiresAt: Date | null;
  readonly status: MembershipStatus;
  readonly startedAt: Date;
  readonly endedAt: Date | null;
  readonly lastUpdatedAt: Date;
  readonly lastActivity: MembershipActivityKind;
  readonly lastActivityAt: Date;
  readonly activityHistory: MembershipActivityRow[];
}

/** Program columns (alias `p`) prefixed `program_`; `program_id` itself comes with the membership's columns. */
export const PROGRAM_COLUMNS = 'p.code as program_code, p.name as program_name, p.type as program_type';

/**
 * Joins a membership (alias `alias`) to its program and folds its activity history, newest first,
 * into one json column, so memberships of any number of customers cost one statement.
 */
export function membershipJoins(alias: string): string {
  return `join supplementary_program p on p.id = ${alias}.program_id and p.org_id = ${alias}.org_id
    left join lateral (
      select coalesce(json_agg(json_build_object('kind', a.kind, 'description', a.description, 'tierName', a.tier_name,
          'occurredAt', a.occurred_at) order by a.occurred_at desc, a.id desc), '[]') as activity_history
      from membership_activity a where a.org_id = ${alias}.org_id and a.membership_id = ${alias}.id
    ) h on true`;
}

export const MEMBERSHIP_EXTRA_COLUMNS = `${PROGRAM_COLUMNS}, h.activity_history`;

export function toSupplementaryProgramRow(row: Row): SupplementaryProgramRow {
  return {
    __typename: 'SupplementaryProgram',
    id: toId(row.id),
    code: String(row.code),
    name: String(row.name),
    type: row.type as PartnerProgramType,
  };
}

/** One element of the json-aggregated history: its timestamp arrives as an ISO string. */
function toMembershipActivityRow(item: Record<string, unknown>): MembershipActivityRow {
  return {
    kind: item.kind as MembershipActivityKind,
    description: toNullableString(item.description),
    tierName: toNullableString(item.tierName),
    occurredAt: toDate(item.occurredAt),
  };
}

/** A membership row with `MEMBERSHIP_EXTRA_COLUMNS` selected. */
export function toProgramMembershipRow(row: Row): ProgramMembershipRow {
  const history = (row.activityHistory as Record<string, unknown>[] | null) ?? [];
  return {
    __typename: 'ProgramMembership',
    id: toId(row.id),
    program: toSupplementaryProgramRow({ id: row.programId, code: row.programCode, name: row.programName, type: row.programType }),
    customerId: toId(row.customerId),
    membershipId: String(row.membershipId),
    tierName: toNullableString(row.tierName),
    tierExpiresAt: toNullableDate(row.tierExpiresAt),
    status: row.status as MembershipStatus,
    startedAt: toDate(row.startedAt),
    endedAt: toNullableDate(row.endedAt),
    lastUpdatedAt: toDate(row.lastUpdatedAt),
    lastActivity: row.lastActivity as MembershipActivityKind,
    lastActivityAt: toDate(row.lastActivityAt),
    activityHistory: history.map(toMembershipActivityRow),
  };
}
