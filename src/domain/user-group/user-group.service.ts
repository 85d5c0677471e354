/*
 * User groups: create (enrolled in the default program at once), add and remove members.
 *
 * How an import calls them: with its own ServiceContext, inside its batch transaction if it has
 * one (each call then nests in a SAVEPOINT: a DomainError undoes that call alone), or standalone
 * (each opens its own transaction).
 */
import { selectRows, toId, writeRows } from '../../core/sql/rows.js';
import { inTransaction } from '../../core/sql/transaction.js';
import { CommonErrorCode, DomainError } from '../../core/errors.js';
import type { ServiceContext } from '../context.js';
import { recordAudit } from '../audit/audit.service.js';
import { optionalText, requiredText } from '../../core/input-rules.js';
import { resolveCustomerId, type CustomerRef } from '../customer/customer.service.js';
import { lockStanding } from '../points/ledger.js';
import { programRules } from '../program/program.service.js';
import { UserGroupErrorCode } from './user-group.errors.js';

/** Most members one call may add. */
const MAX_MEMBERS_PER_CALL = 100;

export interface UserGroupInput {
  readonly name: string;
  readonly externalId?: string | null;
  readonly primaryMember: CustomerRef;
  /** Further members (the primary member is one anyway). */
  readonly members?: readonly CustomerRef[];
}

async function resolveMembers(tx: ServiceContext, members: readonly CustomerRef[]): Promise<number[]> {
  if (members.length > MAX_MEMBERS_PER_CALL) {
    throw new DomainError(CommonErrorCode.INVALID_INPUT, `At most ${MAX_MEMBERS_PER_CALL} members can be added at once.`, ['input', 'members']);
  }
  const ids: number[] = [];
  for (const [index, member] of members.entries()) ids.push(await resolveCustomerId(tx, member, ['input', 'members', String(index)]));
  return ids;
}

async function addMembers(tx: ServiceContext, groupId: number, customerIds: readonly number[]): Promise<number> {
  const added = await writeRows(
    tx.em,
    `insert into user_group_member (org_id, group_id, customer_id, joined_at)
      select ?, ?, member, ? from unnest(?::bigint[]) as member
      on conflict (org_id, group_id, customer_id) do nothing returning id`,
    [tx.org.id, groupId, tx.clock.now(), [...new Set(customerIds)]],
  );
  return added.length;
}

/** The group, or USER_GROUP_NOT_FOUND; locked, so membership changes of one group queue up. */
async function lockGroup(tx: ServiceContext, groupId: number): Promise<{ primaryMemberId: number }> {
  const rows = Number.isSafeInteger(groupId)
    ? await selectRows(tx.em, 'select primary_member_id from user_group where org_id = ? and id = ? for update', [tx.org.id, groupId])
    : [];
  if (!rows[0]) throw new DomainError(UserGroupErrorCode.USER_GROUP_NOT_FOUND, 'The org has no user group with that id.', ['input', 'groupId']);
  return { primaryMemberId: toId(rows[0].primaryMemberId) };
}

/**
 * Creates a group with its primary member and members, enrolled in the org's default program at
 * its base tier in the same transaction: the group's tier and points are real from the start.
 */
export function createUserGroup(ctx: ServiceContext, input: UserGroupInput): Promise<{ groupId: number }> {
  return inTransaction(ctx, async (tx) => {
    const name = requiredText(input.name, ['input', 'name'], 200);
    const externalId = optionalText(input.externalId, ['input', 'externalId'], 100);
    const primaryMemberId = await resolveCustomerId(tx, input.primaryMember, ['input', 'primaryMember']);
    const memberIds = await resolveMembers(tx, input.members ?? []);
    const program = await programRules(tx, null);
    const [group] = await writeRows<{ id: string }>(
      tx.em,
      `insert into user_group (org_id, name, external_id, primary_member_id, created_at) values (?, ?, ?, ?, ?)
        on conflict (org_id, external_id) do nothing returning id`,
      [tx.org.id, name, externalId, primaryMemberId, tx.clock.now()],
    );
    if (!group) throw new DomainError(UserGroupErrorCode.USER_GROUP_EXTERNAL_ID_TAKEN, `Another group already has the external id "${externalId}".`, ['input', 'externalId']);
    const groupId = toId(group.id);
    await addMembers(tx, groupId, [primaryMemberId, ...memberIds]);
    await lockStanding(tx, { groupId }, program.id);
    await recordAudit(tx, { action: 'userGroupCreate', subjectType: 'UserGroup', subjectId: groupId, details: { name, externalId, primaryMemberId, memberIds } });
    return { groupId };
  });
}

/** Adds members to a group; members already in it are left as they are. Returns how many joined. */
export function addUserGroupMembers(ctx: ServiceContext, input: { readonly groupId: number; readonly members: readonly CustomerRef[] }): Promise<{ groupId: number; added: number }> {
  return inTransaction(ctx, async (tx) => {
    if (input.members.length === 0) throw new DomainError(CommonErrorCode.INVALID_INPUT, 'members is required.', ['input', 'members']);
    await lockGroup(tx, input.groupId);
    const memberIds = await resolveMembers(tx, input.members);
    const added = await addMembers(tx, input.groupId, memberIds);
    await recordAudit(tx, { action: 'userGroupAddMembers', subjectType: 'UserGroup', subjectId: input.groupId, details: { memberIds, added } });
    return { groupId: input.groupId, added };
  });
}

/** Removes a member other than the primary one. Their past purchases for the group stay the group's. */
export function removeUserGroupMember(ctx: ServiceContext, input: { readonly groupId: number; readonly member: CustomerRef }): Promise<{ groupId: number; customerId: number }> {
  return inTransaction(ctx, async (tx) => {
    const group = await lockGroup(tx, input.groupId);
    const customerId = await resolveCustomerId(tx, input.member, ['input', 'member']);
    if (customerId === group.primaryMemberId) {
      throw new DomainError(UserGroupErrorCode.CANNOT_REMOVE_PRIMARY_MEMBER, 'The primary member cannot be removed from the group.', ['input', 'member']);
    }
    const removed = await writeRows(tx.em, 'delete from user_group_member where org_id = ? and group_id = ? and customer_id = ? returning id', [
      tx.org.id,
      input.groupId,
      customerId,
    ]);
    if (removed.length === 0) throw new DomainError(UserGroupErrorCode.CUSTOMER_NOT_IN_GROUP, 'The customer is not a member of the group.', ['input', 'member']);
    await recordAudit(tx, { action: 'userGroupRemoveMember', subjectType: 'UserGroup', subjectId: input.groupId, details: { customerId } });
    return { groupId: input.groupId, customerId };
  });
}

/** The group exists and the customer is a member (a purchase for a group must be by a member). */
export async function assertGroupMember(tx: ServiceContext, groupId: number, customerId: number): Promise<void> {
  const rows = Number.isSafeInteger(groupId)
    ? await selectRows(
        tx.em,
        `select exists (select 1 from user_group_member m where m.org_id = g.org_id and m.group_id = g.id and m.customer_id = ?) as member
          from user_group g where g.org_id = ? and g.id = ?`,
        [customerId, tx.org.id, groupId],
      )
    : [];
  if (!rows[0]) throw new DomainError(UserGroupErrorCode.USER_GROUP_NOT_FOUND, 'The org has no user group with that id.', ['input', 'groupId']);
  if (!rows[0].member) throw new DomainError(UserGroupErrorCode.CUSTOMER_NOT_IN_GROUP, 'The customer is not a member of the group.', ['input', 'customer']);
}
