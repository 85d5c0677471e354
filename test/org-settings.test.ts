import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/app/seed/org-setup.js';
import { GoodwillPointsIssueDocument, OrgSettingsUpdateDocument, type OrgSettingsUpdateMutationVariables } from './generated/graphql.js';
import { gqlClient, globalId, typedRequest, type GqlClient } from './support/client.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCustomer, createOrg, type TestOrg } from './support/world.js';

describe('orgSettingsUpdate', () => {
  let server: TestServer;
  let org: TestOrg;
  let admin: GqlClient;
  let memberCare: GqlClient;

  beforeAll(async () => {
    server = await startTestServer();
    org = await createOrg(server.em(), { role: 'ADMIN' });
    admin = gqlClient(server.url, org.key);
    memberCare = gqlClient(server.url, await createApiKey(server.em(), org.orgId, 'MEMBER_CARE'));
  });
  afterAll(() => server?.stop());

  function update(input: OrgSettingsUpdateMutationVariables['input'], as: GqlClient = admin) {
    return typedRequest(as, OrgSettingsUpdateDocument, { input });
  }

  async function settings() {
    const [row] = await server.em().execute('select goodwill_points_cap, time_zone, mobile_regex, default_sender_id from org where id = ?', [org.orgId]);
    return row;
  }

  it('lets an ADMIN change the goodwill cap, time zone, mobile rule and sender id, and records it', async () => {
    const response = await update({ goodwillPointsCap: 500, timeZone: 'Europe/Berlin', mobileRegex: '^49[0-9]{10,11}$', defaultSenderId: 'BREW' });
    expect(response.data!.orgSettingsUpdate).toEqual({
      org: { id: globalId('Org', org.orgId), goodwillPointsCap: 500, timeZone: 'Europe/Berlin', mobileRegex: '^49[0-9]{10,11}$', defaultSenderId: 'BREW' },
      userErrors: [],
    });
    const [audit] = await server.em().execute<{ details: { before: Record<string, unknown>; after: Record<string, unknown> } }[]>(
      `select details from audit_entry where org_id = ? and action = 'orgSettingsUpdate'`,
      [org.orgId],
    );
    expect(audit.details).toMatchObject({ before: { goodwillPointsCap: 10000, timeZone: 'Asia/Singapore' }, after: { goodwillPointsCap: 500, timeZone: 'Europe/Berlin' } });
  });

  it('the new goodwill cap applies to the next issue at once', async () => {
    const id = await createCustomer(server.em(), org, { mobile: '6591112222' });
    await update({ goodwillPointsCap: 50 });
    const issue = (points: number) =>
      typedRequest(memberCare, GoodwillPointsIssueDocument, {
        input: { customer: { type: 'USER_ID', value: String(id) }, points, reason: 'Sorry', idempotencyKey: crypto.randomUUID() },
      });
    expect((await issue(51)).data!.goodwillPointsIssue.userErrors).toEqual([
      { code: 'GOODWILL_POINTS_OVER_CAP', message: 'A goodwill issue may grant at most 50 points.', field: ['input', 'points'] },
    ]);
    expect((await issue(50)).data!.goodwillPointsIssue.userErrors).toEqual([]);
  });

  it('applies none of the settings when one is invalid', async () => {
    const before = await settings();
    const response = await update({ goodwillPointsCap: 7, timeZone: 'Nowhere/Special' });
    expect(response.data!.orgSettingsUpdate.userErrors[0].field).toEqual(['input', 'timeZone']);
    expect(await settings()).toEqual(before);
  });

  it.each([
    { name: 'a time zone that is not IANA', input: { timeZone: 'UTC+8' }, error: { code: 'INVALID_INPUT', message: '"UTC+8" is not an IANA time zone such as Asia/Singapore.', field: ['input', 'timeZone'] } },
    { name: 'an unknown zone', input: { timeZone: 'Mars/Olympus' }, error: { code: 'INVALID_INPUT', message: '"Mars/Olympus" is not an IANA time zone such as Asia/Singapore.', field: ['input', 'timeZone'] } },
    {
      name: 'a mobile rule that is not a regex',
      input: { mobileRegex: '^65[0-9' },
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/^mobileRegex is not a valid regular expression: /), field: ['input', 'mobileRegex'] },
    },
    { name: 'a cap of zero', input: { goodwillPointsCap: 0 }, error: { code: 'INVALID_INPUT', message: 'goodwillPointsCap must be a whole number from 1 to 1000000.', field: ['input', 'goodwillPointsCap'] } },
    { name: 'a blank sender id', input: { defaultSenderId: '' }, error: { code: 'INVALID_INPUT', message: 'defaultSenderId is required.', field: ['input', 'defaultSenderId'] } },
    { name: 'nothing to change', input: {}, error: { code: 'INVALID_INPUT', message: 'Name at least one setting to change.', field: ['input'] } },
  ])('refuses $name, changing nothing', async ({ input, error }) => {
    const before = await settings();
    const response = await update(input);
    expect(response.data!.orgSettingsUpdate).toEqual({ org: null, userErrors: [error] });
    expect(await settings()).toEqual(before);
  });

  it('is for ADMIN keys only: MEMBER_CARE cannot change org settings', async () => {
    const before = await settings();
    const response = await update({ goodwillPointsCap: 99_999 }, memberCare);
    expect(response.errors?.[0]).toMatchObject({ message: 'Only ADMIN keys can change org settings; this key is MEMBER_CARE.', extensions: { code: 'FORBIDDEN' } });
    expect(await settings()).toEqual(before);
  });
});
