import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.js';
import { expireDuePoints } from '../src/domain/points/expiry.service.js';
import {
  TransactionAddDocument,
  UserGroupAddMembersDocument,
  UserGroupCreateDocument,
  UserGroupRemoveMemberDocument,
  type UserGroupCreateMutationVariables,
} from './generated/graphql.js';
import { gqlClient, globalId, typedRequest, type GqlClient } from './support/client.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCustomer, createOrg, type TestOrg } from './support/world.js';

const DAY = 86_400_000;
const NOW = new Date('2024-03-01T04:00:00Z');

describe('user groups', () => {
  const clock = new ManualClock(NOW);
  let server: TestServer;
  let org: TestOrg;
  let client: GqlClient;
  let storeCode: string;
  let customers = 0;

  beforeAll(async () => {
    server = await startTestServer({ clock });
    org = await createOrg(server.em(), { role: 'MEMBER_CARE' });
    client = gqlClient(server.url, org.key);
    [{ code: storeCode }] = await server.em().execute<{ code: string }[]>('select code from store where id = ?', [org.storeIds[0]]);
  });
  afterAll(() => server?.stop());

  async function newCustomer(): Promise<number> {
    customers += 1;
    return createCustomer(server.em(), org, { mobile: `659300${String(customers).padStart(4, '0')}`, email: `member${customers}@example.com` });
  }

  const byId = (id: number) => ({ type: 'USER_ID' as const, value: String(id) });

  function create(input: Partial<UserGroupCreateMutationVariables['input']> & { primaryMember: UserGroupCreateMutationVariables['input']['primaryMember'] }) {
    return typedRequest(client, UserGroupCreateDocument, { input: { name: 'The Sawyers', ...input } });
  }

  async function newGroup(primaryId: number, memberIds: number[] = []): Promise<string> {
    const response = await create({ primaryMember: byId(primaryId), members: memberIds.map(byId) });
    expect(response.data!.userGroupCreate.userErrors).toEqual([]);
    return response.data!.userGroupCreate.userGroup!.id;
  }

  describe('userGroupCreate', () => {
    it('creates the group enrolled in the default program: the payload already shows its base tier and 0 points', async () => {
      const [ann, ben] = [await newCustomer(), await newCustomer()];
      const response = await create({ name: 'Acme Corp', externalId: 'ACME-1', primaryMember: byId(ann), members: [{ type: 'EMAIL', value: `member${customers}@example.com` }, byId(ann)] });
      expect(response.errors).toBeUndefined();
      const group = response.data!.userGroupCreate.userGroup!;
      expect(response.data!.userGroupCreate.userErrors).toEqual([]);
      expect(group).toMatchObject({
        name: 'Acme Corp',
        externalId: 'ACME-1',
        primaryMember: { id: globalId('Customer', ann) },
        members: { nodes: [{ id: globalId('Customer', ann) }, { id: globalId('Customer', ben) }] },
        loyalty: {
          program: { id: globalId('LoyaltyProgram', org.programId) },
          tier: { name: 'Silver', rank: 0 },
          pointsBalance: 0,
          lifetimePurchases: 0,
          // A real enrolment (a group never enrolled would show null here).
          enrolledAt: '2024-03-01T12:00:00+08:00',
        },
      });
      const enrolments = await server.em().execute('select tier_id from loyalty_enrollment where group_id = (select id from user_group where external_id = ?)', ['ACME-1']);
      expect(enrolments).toEqual([{ tier_id: String(org.tierIds[0]) }]);
    });

    it.each([
      {
        name: 'an unknown member, named by its position',
        input: (primary: number) => ({ primaryMember: byId(primary), members: [byId(primary), { type: 'MOBILE' as const, value: '6500000001' }] }),
        error: { code: 'CUSTOMER_NOT_FOUND', message: 'No customer has MOBILE "6500000001".', field: ['input', 'members', '1'] },
      },
      {
        name: 'an unknown primary member',
        input: () => ({ primaryMember: { type: 'EXTERNAL_ID' as const, value: 'NOPE' } }),
        error: { code: 'CUSTOMER_NOT_FOUND', message: 'No customer has EXTERNAL_ID "NOPE".', field: ['input', 'primaryMember'] },
      },
      {
        name: 'a blank name',
        input: (primary: number) => ({ primaryMember: byId(primary), name: '  ' }),
        error: { code: 'INVALID_INPUT', message: 'name is required.', field: ['input', 'name'] },
      },
      {
        name: 'an external id another group has',
        input: (primary: number) => ({ primaryMember: byId(primary), externalId: 'TAKEN' }),
        error: { code: 'USER_GROUP_EXTERNAL_ID_TAKEN', message: 'Another group already has the external id "TAKEN".', field: ['input', 'externalId'] },
      },
    ])('refuses $name, creating nothing', async ({ input, error }) => {
      const primary = await newCustomer();
      if (error.code === 'USER_GROUP_EXTERNAL_ID_TAKEN') await newGroupWithExternalId(primary, 'TAKEN');
      const [{ n: before }] = await server.em().execute<{ n: string }[]>('select count(*) as n from user_group where org_id = ?', [org.orgId]);
      const response = await create(input(primary));
      expect(response.data!.userGroupCreate).toEqual({ userGroup: null, userErrors: [error] });
      const [{ n: after }] = await server.em().execute<{ n: string }[]>('select count(*) as n from user_group where org_id = ?', [org.orgId]);
      expect(after).toBe(before);
    });

    async function newGroupWithExternalId(primary: number, externalId: string): Promise<void> {
      const response = await create({ primaryMember: byId(primary), externalId });
      expect(response.data!.userGroupCreate.userErrors).toEqual([]);
    }
  });

  it('a purchase made for the group earns for the group and is listed among its transactions, not the member’s own', async () => {
    const [primary, buyer] = [await newCustomer(), await newCustomer()];
    const groupId = await newGroup(primary, [buyer]);
    const response = await typedRequest(client, TransactionAddDocument, {
      input: { customer: byId(buyer), storeCode, billNumber: 'G-1', amount: 80, occurredAt: '2024-03-01T09:00:00+08:00', groupId },
    });
    expect(response.data!.transactionAdd).toMatchObject({
      userErrors: [],
      transaction: { group: { id: groupId }, customer: { id: globalId('Customer', buyer) }, pointsIssued: [{ points: 80, expiresAt: '2025-03-01T09:00:00+08:00' }] },
      group: {
        loyalty: { tier: { name: 'Silver' }, pointsBalance: 80, lifetimePurchases: 80 },
        transactions: { nodes: [{ billNumber: 'G-1', totalPoints: 80, pointsIssued: [{ points: 80, expiresAt: '2025-03-01T09:00:00+08:00' }], customer: { id: globalId('Customer', buyer) } }] },
      },
      customer: { loyalty: [{ pointsBalance: 0, lifetimePurchases: 0 }], transactions: { nodes: [] }, timeline: { nodes: [{ type: 'PURCHASED', summary: 'Spent 80.00 for a group, earned 80 points' }] } },
    });
  });

  it('a purchase for a group the customer is not in is refused', async () => {
    const [primary, outsider] = [await newCustomer(), await newCustomer()];
    const groupId = await newGroup(primary);
    const response = await typedRequest(client, TransactionAddDocument, {
      input: { customer: byId(outsider), storeCode, billNumber: 'G-2', amount: 80, occurredAt: '2024-03-01T09:00:00+08:00', groupId },
    });
    expect(response.data!.transactionAdd.userErrors).toEqual([{ code: 'CUSTOMER_NOT_IN_GROUP', message: 'The customer is not a member of the group.', field: ['input', 'customer'] }]);
  });

  it('a group’s points expire with the job like a customer’s', async () => {
    const primary = await newCustomer();
    const groupId = await newGroup(primary);
    await typedRequest(client, TransactionAddDocument, { input: { customer: byId(primary), storeCode, billNumber: 'G-3', amount: 30, occurredAt: '2024-03-01T09:00:00+08:00', groupId } });
    const later = new ManualClock(new Date(NOW.getTime() + 400 * DAY));
    await expireDuePoints({ em: server.em(), clock: later }, { orgId: org.orgId });
    const ledger = await server.em().execute<{ kind: string; points: number }[]>(
      `select kind, points from points_ledger_entry where group_id = (select g.id from user_group g where g.primary_member_id = ?) order by id`,
      [primary],
    );
    expect(ledger).toEqual([
      { kind: 'EARN', points: 30 },
      { kind: 'EXPIRY', points: -30 },
    ]);
  });

  describe('userGroupAddMembers', () => {
    it('adds customers, leaving members already in the group as they are', async () => {
      const [primary, a, b] = [await newCustomer(), await newCustomer(), await newCustomer()];
      const groupId = await newGroup(primary, [a]);
      const response = await typedRequest(client, UserGroupAddMembersDocument, { input: { groupId, members: [byId(a), byId(b)] } });
      expect(response.data!.userGroupAddMembers).toEqual({
        userGroup: { id: groupId, members: { nodes: [primary, a, b].map((id) => ({ id: globalId('Customer', id) })) } },
        addedCount: 1,
        userErrors: [],
      });
    });

    it.each([
      { name: 'an unknown group', group: () => globalId('UserGroup', 999_999), error: { code: 'USER_GROUP_NOT_FOUND', message: 'The org has no user group with that id.', field: ['input', 'groupId'] } },
      { name: 'a malformed group id', group: () => 'not-an-id', error: { code: 'USER_GROUP_NOT_FOUND', message: 'The org has no user group with that id.', field: ['input', 'groupId'] } },
    ])('refuses $name', async ({ group, error }) => {
      const response = await typedRequest(client, UserGroupAddMembersDocument, { input: { groupId: group(), members: [byId(await newCustomer())] } });
      expect(response.data!.userGroupAddMembers).toEqual({ userGroup: null, addedCount: null, userErrors: [error] });
    });

    it('refuses an unknown customer, adding none of the others', async () => {
      const [primary, a] = [await newCustomer(), await newCustomer()];
      const groupId = await newGroup(primary);
      const response = await typedRequest(client, UserGroupAddMembersDocument, { input: { groupId, members: [byId(a), { type: 'EMAIL', value: 'x@nowhere.example' }] } });
      expect(response.data!.userGroupAddMembers.userErrors).toEqual([
        { code: 'CUSTOMER_NOT_FOUND', message: 'No customer has EMAIL "x@nowhere.example".', field: ['input', 'members', '1'] },
      ]);
      const [{ n }] = await server.em().execute<{ n: string }[]>('select count(*) as n from user_group_member where customer_id = ?', [a]);
      expect(Number(n)).toBe(0);
    });

    it('refuses an empty list', async () => {
      const groupId = await newGroup(await newCustomer());
      const response = await typedRequest(client, UserGroupAddMembersDocument, { input: { groupId, members: [] } });
      expect(response.data!.userGroupAddMembers.userErrors).toEqual([{ code: 'INVALID_INPUT', message: 'members is required.', field: ['input', 'members'] }]);
    });
  });

  describe('userGroupRemoveMember', () => {
    it('removes a member; their past group purchases stay the group’s', async () => {
      const [primary, leaver] = [await newCustomer(), await newCustomer()];
      const groupId = await newGroup(primary, [leaver]);
      await typedRequest(client, TransactionAddDocument, { input: { customer: byId(leaver), storeCode, billNumber: 'G-9', amount: 5, occurredAt: '2024-03-01T09:00:00+08:00', groupId } });
      const response = await typedRequest(client, UserGroupRemoveMemberDocument, { input: { groupId, member: byId(leaver) } });
      expect(response.data!.userGroupRemoveMember).toEqual({
        userGroup: { id: groupId, members: { nodes: [{ id: globalId('Customer', primary) }] } },
        removedMember: { id: globalId('Customer', leaver), groups: [] },
        userErrors: [],
      });
      const [{ n }] = await server.em().execute<{ n: string }[]>(`select count(*) as n from "transaction" where customer_id = ? and group_id is not null`, [leaver]);
      expect(Number(n)).toBe(1);
    });

    it('refuses to remove the primary member, or someone who is not a member', async () => {
      const [primary, outsider] = [await newCustomer(), await newCustomer()];
      const groupId = await newGroup(primary);
      const primaryResponse = await typedRequest(client, UserGroupRemoveMemberDocument, { input: { groupId, member: byId(primary) } });
      expect(primaryResponse.data!.userGroupRemoveMember.userErrors).toEqual([
        { code: 'CANNOT_REMOVE_PRIMARY_MEMBER', message: 'The primary member cannot be removed from the group.', field: ['input', 'member'] },
      ]);
      const outsiderResponse = await typedRequest(client, UserGroupRemoveMemberDocument, { input: { groupId, member: byId(outsider) } });
      expect(outsiderResponse.data!.userGroupRemoveMember.userErrors).toEqual([
        { code: 'CUSTOMER_NOT_IN_GROUP', message: 'The customer is not a member of the group.', field: ['input', 'member'] },
      ]);
      const unknownGroup = await typedRequest(client, UserGroupRemoveMemberDocument, { input: { groupId: globalId('UserGroup', 999_999), member: byId(primary) } });
      expect(unknownGroup.data!.userGroupRemoveMember.userErrors[0].code).toBe('USER_GROUP_NOT_FOUND');
    });
  });

  it('is refused to a VIEWER key with a top-level FORBIDDEN error', async () => {
    const viewer = gqlClient(server.url, (await createOrg(server.em(), { role: 'VIEWER' })).key);
    const response = await typedRequest(viewer, UserGroupCreateDocument, { input: { name: 'x', primaryMember: byId(1) } });
    expect(response.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
