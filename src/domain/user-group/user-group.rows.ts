import { toDate, toId, toNullableString, type Row } from '../../core/sql/rows.js';
import type { CustomerRow } from '../customer/customer.rows.js';

export interface UserGroupRow {
  readonly __typename: 'UserGroup';
  readonly id: number;
  readonly name: string;
  readonly externalId: string | null;
  readonly primaryMemberId: number;
  readonly createdAt: Date;
}

/** A member's customer row plus the id of the membership row, which the members connection pages by. */
export type GroupMemberRow = CustomerRow & { readonly membershipId: number };

export function toUserGroupRow(row: Row): UserGroupRow {
  return {
    __typename: 'UserGroup',
    id: toId(row.id),
    name: String(row.name),
    externalId: toNullableString(row.externalId),
    primaryMemberId: toId(row.primaryMemberId),
    createdAt: toDate(row.createdAt),
  };
}
