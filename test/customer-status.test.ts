import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerStatusUpdateDocument } from './generated/graphql.js';
import { gqlClient, globalId, typedRequest } from './support/client.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCustomer, createOrg, type TestOrg } from './support/world.js';

describe('customerStatusUpdate', () => {
  let server: TestServer;
  let org: TestOrg;
  let other: TestOrg;
  let viewerKey: string;
  let tomId: number;
  let strangerId: number;

  beforeAll(async () => {
    server = await startTestServer();
    const em = server.em();
    org = await createOrg(em, { role: 'MEMBER_CARE' });
    other = await createOrg(em);
    viewerKey = (await createOrg(em, { role: 'VIEWER' })).key;
    tomId = await createCustomer(em, org, { mobile: '6591234567' });
    strangerId = await createCustomer(em, other, { mobile: '6598765432' });
  });
  afterAll(() => server?.stop());

  async function statusOf(customerId: number): Promise<{ status_label_id: string | null; status_reason: string | null }> {
    const rows = await server.em().execute<{ status_label_id: string | null; status_reason: string | null }[]>(
      'select status_label_id, status_reason from customer where id = ?',
      [customerId],
    );
    return rows[0];
  }

  it('sets the label and reason, notes it on the timeline and records who did it', async () => {
    const client = gqlClient(server.url, org.key);
    const response = await typedRequest(client, CustomerStatusUpdateDocument, {
      input: { customer: { type: 'MOBILE', value: '+65 9123 4567' }, label: 'on-hold', reason: 'Card reported stolen' },
    });
    expect(response.errors).toBeUndefined();
    expect(response.data?.customerStatusUpdate).toEqual({
      customer: {
        id: globalId('Customer', tomId),
        status: { label: 'on-hold', standardStatus: 'SUSPENDED', reason: 'Card reported stolen' },
        timeline: { nodes: [{ type: 'STATUS_CHANGED', summary: 'Status changed to on-hold' }] },
      },
      userErrors: [],
    });
    const audit = await server.em().execute<{ actor: string; action: string; subject_id: string }[]>(
      `select actor, action, subject_id from audit_entry where org_id = ? and action = 'customerStatusUpdate'`,
      [org.orgId],
    );
    expect(audit).toEqual([{ actor: expect.stringMatching(/^api-key:\d+$/), action: 'customerStatusUpdate', subject_id: String(tomId) }]);
  });

  it('refuses a label the org does not have, and changes nothing', async () => {
    const before = await statusOf(tomId);
    const response = await typedRequest(gqlClient(server.url, org.key), CustomerStatusUpdateDocument, {
      input: { customer: { type: 'USER_ID', value: String(tomId) }, label: 'no-such-label' },
    });
    expect(response.errors).toBeUndefined();
    expect(response.data?.customerStatusUpdate).toEqual({
      customer: null,
      userErrors: [{ code: 'STATUS_LABEL_NOT_FOUND', message: 'The org has no status label "no-such-label".', field: ['input', 'label'] }],
    });
    expect(await statusOf(tomId)).toEqual(before);
  });

  it("does not find another org's customer", async () => {
    const before = await statusOf(strangerId);
    const response = await typedRequest(gqlClient(server.url, org.key), CustomerStatusUpdateDocument, {
      input: { customer: { type: 'USER_ID', value: String(strangerId) }, label: 'closed' },
    });
    expect(response.data?.customerStatusUpdate.userErrors).toEqual([
      { code: 'CUSTOMER_NOT_FOUND', message: `No customer has USER_ID "${strangerId}".`, field: ['input', 'customer'] },
    ]);
    expect(await statusOf(strangerId)).toEqual(before);
  });

  it('is refused to a VIEWER key with a top-level FORBIDDEN error', async () => {
    const response = await typedRequest(gqlClient(server.url, viewerKey), CustomerStatusUpdateDocument, {
      input: { customer: { type: 'USER_ID', value: String(tomId) }, label: 'closed' },
    });
    expect(response.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(response.data?.customerStatusUpdate ?? null).toBeNull();
  });
});
