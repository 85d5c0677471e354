import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.js';
import { CustomerFraudStatusUpdateDocument, CustomerSubscriptionUpdateDocument, type CustomerFraudStatusUpdateMutationVariables } from './generated/graphql.js';
import { gqlClient, typedRequest, type GqlClient } from './support/client.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCustomer, createOrg, type TestOrg } from './support/world.js';

const NOW = new Date('2024-03-01T04:00:00Z');

describe('customer operations', () => {
  const clock = new ManualClock(NOW);
  let server: TestServer;
  let org: TestOrg;
  let client: GqlClient;
  let viewer: GqlClient;
  let customers = 0;

  beforeAll(async () => {
    server = await startTestServer({ clock });
    org = await createOrg(server.em(), { role: 'MEMBER_CARE' });
    client = gqlClient(server.url, org.key);
    viewer = gqlClient(server.url, (await createOrg(server.em(), { role: 'VIEWER' })).key);
  });
  afterAll(() => server?.stop());

  async function newCustomer(): Promise<number> {
    customers += 1;
    return createCustomer(server.em(), org, { mobile: `659400${String(customers).padStart(4, '0')}` });
  }

  describe('customerFraudStatusUpdate', () => {
    function update(customerId: number, input: Partial<CustomerFraudStatusUpdateMutationVariables['input']>, as: GqlClient = client) {
      return typedRequest(as, CustomerFraudStatusUpdateDocument, {
        input: { customer: { type: 'USER_ID', value: String(customerId) }, status: 'MARKED', reason: 'Unusual redemptions', ...input },
      });
    }

    async function fraudOf(customerId: number) {
      const [row] = await server.em().execute<{ fraud_status: string | null; fraud_reason: string | null }[]>('select fraud_status, fraud_reason from customer where id = ?', [customerId]);
      return row;
    }

    it('marks, confirms and reconfirms a fraud, and clears it, each with its reason and who did it', async () => {
      const id = await newCustomer();
      for (const [status, reason] of [
        ['MARKED', 'Unusual redemptions'],
        ['CONFIRMED', 'Investigated'],
        ['RECONFIRMED', 'Second review'],
        ['NOT_FRAUD', 'Appeal upheld'],
      ] as const) {
        const response = await update(id, { status, reason });
        expect(response.data!.customerFraudStatusUpdate).toEqual({ customer: { id: expect.any(String), fraudStatus: { status, reason } }, userErrors: [] });
        expect(await fraudOf(id)).toEqual({ fraud_status: status, fraud_reason: reason });
      }
      const audit = await server.em().execute<{ actor: string; details: { to: string } }[]>(
        `select actor, details from audit_entry where action = 'customerFraudStatusUpdate' and subject_id = ? order by id`,
        [id],
      );
      expect(audit.map((entry) => entry.details.to)).toEqual(['MARKED', 'CONFIRMED', 'RECONFIRMED', 'NOT_FRAUD']);
      expect(audit.every((entry) => /^api-key:\d+$/.test(entry.actor))).toBe(true);
    });

    it('attributes the change to a store given by code', async () => {
      const id = await newCustomer();
      const [{ code }] = await server.em().execute<{ code: string }[]>('select code from store where id = ?', [org.storeIds[1]]);
      const response = await update(id, { status: 'INTERNAL', reason: 'Staff member', storeCode: code });
      expect(response.data!.customerFraudStatusUpdate.userErrors).toEqual([]);
      const [entry] = await server.em().execute<{ details: { storeId: number } }[]>(`select details from audit_entry where action = 'customerFraudStatusUpdate' and subject_id = ?`, [id]);
      expect(entry.details.storeId).toBe(org.storeIds[1]);
    });

    it.each([
      {
        name: 'RECONFIRMED for a fraud never confirmed',
        input: { status: 'RECONFIRMED' as const },
        error: { code: 'FRAUD_STATUS_TRANSITION_INVALID', message: 'Only a CONFIRMED fraud can be RECONFIRMED; the customer is not assessed.', field: ['input', 'status'] },
      },
      { name: 'a blank reason', input: { reason: ' ' }, error: { code: 'INVALID_INPUT', message: 'reason is required.', field: ['input', 'reason'] } },
      { name: 'an unknown store', input: { storeCode: 'nowhere' }, error: { code: 'STORE_NOT_FOUND', message: 'The org has no store "nowhere".', field: ['input', 'storeCode'] } },
    ])('refuses $name, changing nothing', async ({ input, error }) => {
      const id = await newCustomer();
      const response = await update(id, input);
      expect(response.data!.customerFraudStatusUpdate).toEqual({ customer: null, userErrors: [error] });
      expect(await fraudOf(id)).toEqual({ fraud_status: null, fraud_reason: null });
    });

    it('refuses an unknown customer', async () => {
      const response = await typedRequest(client, CustomerFraudStatusUpdateDocument, { input: { customer: { type: 'MOBILE', value: '6500000000' }, status: 'MARKED', reason: 'x' } });
      expect(response.data!.customerFraudStatusUpdate.userErrors).toEqual([{ code: 'CUSTOMER_NOT_FOUND', message: 'No customer has MOBILE "6500000000".', field: ['input', 'customer'] }]);
    });

    it('is refused to a VIEWER key with a top-level FORBIDDEN error', async () => {
      expect((await update(1, {}, viewer)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    });
  });

  describe('customerSubscriptionUpdate', () => {
    it('opts in and out per channel, priority and account, keeping one row per combination', async () => {
      const id = await newCustomer();
      const customer = { type: 'USER_ID' as const, value: String(id) };
      await typedRequest(client, CustomerSubscriptionUpdateDocument, { input: { customer, channel: 'EMAIL', priority: 'BULK', status: 'OPTIN' } });
      await typedRequest(client, CustomerSubscriptionUpdateDocument, { input: { customer, channel: 'WHATSAPP', priority: 'TRANS', status: 'OPTIN', account: 'brand-sg' } });
      clock.advance(60_000);
      const response = await typedRequest(client, CustomerSubscriptionUpdateDocument, { input: { customer, channel: 'EMAIL', priority: 'BULK', status: 'OPTOUT' } });
      expect(response.data!.customerSubscriptionUpdate).toEqual({
        customer: {
          id: expect.any(String),
          channelSubscriptions: [
            { channel: 'EMAIL', priority: 'BULK', account: null, orgUnitCode: null, status: 'OPTOUT', updatedAt: '2024-03-01T12:01:00+08:00' },
            { channel: 'WHATSAPP', priority: 'TRANS', account: 'brand-sg', orgUnitCode: null, status: 'OPTIN', updatedAt: '2024-03-01T12:00:00+08:00' },
          ],
        },
        userErrors: [],
      });
      clock.set(NOW);
    });

    it("keeps an org unit's consent beside the org-wide one, and refuses an org unit the org does not have", async () => {
      const id = await newCustomer();
      const customer = { type: 'USER_ID' as const, value: String(id) };
      await server.em().execute(`insert into org_unit (org_id, code, name, sender_ids) values (?, 'EAST', 'East', '{}') on conflict do nothing`, [org.orgId]);
      await typedRequest(client, CustomerSubscriptionUpdateDocument, { input: { customer, channel: 'MOBILE', priority: 'BULK', status: 'OPTIN' } });
      await typedRequest(client, CustomerSubscriptionUpdateDocument, { input: { customer, channel: 'MOBILE', priority: 'BULK', status: 'OPTOUT', orgUnitCode: 'EAST' } });
      const again = await typedRequest(client, CustomerSubscriptionUpdateDocument, { input: { customer, channel: 'MOBILE', priority: 'BULK', status: 'OPTIN', orgUnitCode: 'EAST' } });
      expect(again.data!.customerSubscriptionUpdate.customer!.channelSubscriptions).toEqual([
        { channel: 'MOBILE', priority: 'BULK', account: null, orgUnitCode: null, status: 'OPTIN', updatedAt: expect.any(String) },
        { channel: 'MOBILE', priority: 'BULK', account: null, orgUnitCode: 'EAST', status: 'OPTIN', updatedAt: expect.any(String) },
      ]);
      const unknown = await typedRequest(client, CustomerSubscriptionUpdateDocument, { input: { customer, channel: 'MOBILE', priority: 'BULK', status: 'OPTOUT', orgUnitCode: 'WEST' } });
      expect(unknown.data!.customerSubscriptionUpdate).toEqual({
        customer: null,
        userErrors: [{ code: 'NOT_FOUND', message: 'The org has no org unit "WEST".', field: ['input', 'orgUnitCode'] }],
      });
      const [{ n }] = await server.em().execute<{ n: string }[]>('select count(*) as n from channel_subscription where customer_id = ?', [id]);
      expect(Number(n)).toBe(2);
    });

    it('refuses an unknown customer and an account name too long, writing nothing', async () => {
      const unknown = await typedRequest(client, CustomerSubscriptionUpdateDocument, {
        input: { customer: { type: 'EMAIL', value: 'ghost@example.com' }, channel: 'MOBILE', priority: 'TRANS', status: 'OPTIN' },
      });
      expect(unknown.data!.customerSubscriptionUpdate).toEqual({
        customer: null,
        userErrors: [{ code: 'CUSTOMER_NOT_FOUND', message: 'No customer has EMAIL "ghost@example.com".', field: ['input', 'customer'] }],
      });
      const id = await newCustomer();
      const tooLong = await typedRequest(client, CustomerSubscriptionUpdateDocument, {
        input: { customer: { type: 'USER_ID', value: String(id) }, channel: 'LINE', priority: 'BULK', status: 'OPTIN', account: 'a'.repeat(101) },
      });
      expect(tooLong.data!.customerSubscriptionUpdate.userErrors).toEqual([{ code: 'INVALID_INPUT', message: 'account must be at most 100 characters.', field: ['input', 'account'] }]);
      const [{ n }] = await server.em().execute<{ n: string }[]>('select count(*) as n from channel_subscription where customer_id = ?', [id]);
      expect(Number(n)).toBe(0);
    });

    it('is refused to a VIEWER key with a top-level FORBIDDEN error', async () => {
      const response = await typedRequest(viewer, CustomerSubscriptionUpdateDocument, { input: { customer: { type: 'USER_ID', value: '1' }, channel: 'EMAIL', priority: 'BULK', status: 'OPTIN' } });
      expect(response.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    });
  });
});
