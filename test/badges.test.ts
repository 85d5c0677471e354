import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.js';
import { issueBadge } from '../src/domain/badge/badge.service.js';
import { BadgeIssueDocument, type BadgeIssueMutationVariables } from './generated/graphql.js';
import { gqlClient, globalId, typedRequest, type GqlClient } from './support/client.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCustomer, createOrg, serviceContext, type TestOrg } from './support/world.js';

const NOW = new Date('2024-03-01T04:00:00Z');

describe('badgeIssue', () => {
  const clock = new ManualClock(NOW);
  let server: TestServer;
  let org: TestOrg;
  let client: GqlClient;
  let tomId: number;

  beforeAll(async () => {
    server = await startTestServer({ clock });
    const em = server.em();
    org = await createOrg(em, { role: 'MEMBER_CARE' });
    client = gqlClient(server.url, org.key);
    tomId = await createCustomer(em, org, { mobile: '6591234567' });
    await em.execute(`insert into badge_definition (org_id, meta_id, name, created_at) values (?, 'EVENT-2023', 'Festival goer', now()), (?, 'REGULAR', 'Regular', now())`, [
      org.orgId,
      org.orgId,
    ]);
  });
  afterAll(() => server?.stop());

  function issue(input: Partial<BadgeIssueMutationVariables['input']>, as: GqlClient = client) {
    return typedRequest(as, BadgeIssueDocument, {
      input: {
        customer: { type: 'USER_ID', value: String(tomId) },
        badgeMetaId: 'REGULAR',
        earnEventDate: '2024-02-01T10:00:00+08:00',
        earnExpiresOn: '2025-02-01T10:00:00+08:00',
        ...input,
      },
    });
  }

  async function badgesOfTom(): Promise<number> {
    const [{ n }] = await server.em().execute<{ n: string }[]>('select count(*) as n from earned_badge where customer_id = ?', [tomId]);
    return Number(n);
  }

  it('issues a badge earned in the past (a retro issue), with its expiry, on the customer and the timeline', async () => {
    const response = await issue({ badgeMetaId: 'EVENT-2023', earnEventDate: '2023-11-18T19:00:00+08:00', earnExpiresOn: '2024-11-18T19:00:00+08:00' });
    expect(response.errors).toBeUndefined();
    expect(response.data!.badgeIssue).toMatchObject({
      earnedBadge: {
        badge: { metaId: 'EVENT-2023', name: 'Festival goer' },
        earnedAt: '2023-11-18T19:00:00+08:00',
        expiresAt: '2024-11-18T19:00:00+08:00',
        customer: { id: globalId('Customer', tomId) },
      },
      customer: { timeline: { nodes: [{ summary: 'Earned the Festival goer badge', occurredAt: '2023-11-18T19:00:00+08:00' }] } },
      userErrors: [],
    });
    expect(response.data!.badgeIssue.customer?.badges.nodes).toContainEqual({ badge: { metaId: 'EVENT-2023' } });
  });

  describe('refuses, writing nothing', () => {
    it.each([
      { name: 'an unknown badge', input: { badgeMetaId: 'NOPE' }, error: { code: 'BADGE_NOT_FOUND', message: 'The org has no badge "NOPE".', field: ['input', 'badgeMetaId'] } },
      {
        name: 'an expiry before the earn date',
        input: { earnExpiresOn: '2024-01-01T00:00:00+08:00' },
        error: { code: 'BADGE_EXPIRY_NOT_AFTER_EARN_DATE', message: 'earnExpiresOn must be after earnEventDate.', field: ['input', 'earnExpiresOn'] },
      },
      {
        name: 'an expiry equal to the earn date',
        input: { earnExpiresOn: '2024-02-01T10:00:00+08:00' },
        error: { code: 'BADGE_EXPIRY_NOT_AFTER_EARN_DATE', message: 'earnExpiresOn must be after earnEventDate.', field: ['input', 'earnExpiresOn'] },
      },
      {
        name: 'an earn date in the future',
        input: { earnEventDate: '2024-04-01T00:00:00+08:00', earnExpiresOn: '2025-04-01T00:00:00+08:00' },
        error: { code: 'INVALID_INPUT', message: 'earnEventDate cannot be in the future.', field: ['input', 'earnEventDate'] },
      },
      {
        name: 'an unknown customer',
        input: { customer: { type: 'EXTERNAL_ID' as const, value: 'NOBODY' } },
        error: { code: 'CUSTOMER_NOT_FOUND', message: 'No customer has EXTERNAL_ID "NOBODY".', field: ['input', 'customer'] },
      },
    ])('$name', async ({ input, error }) => {
      const before = await badgesOfTom();
      const response = await issue(input);
      expect(response.data!.badgeIssue).toEqual({ earnedBadge: null, customer: null, userErrors: [error] });
      expect(await badgesOfTom()).toBe(before);
    });

    it('the same badge earned at the same time again (a replayed import row)', async () => {
      const input = { earnEventDate: '2024-02-10T10:00:00+08:00' };
      expect((await issue(input)).data!.badgeIssue.userErrors).toEqual([]);
      const before = await badgesOfTom();
      expect((await issue(input)).data!.badgeIssue.userErrors).toEqual([
        { code: 'BADGE_ALREADY_EARNED', message: 'The customer already earned "REGULAR" at that time.', field: ['input', 'earnEventDate'] },
      ]);
      expect(await badgesOfTom()).toBe(before);
    });
  });

  it('serves an import by customer id, recording the import as the actor', async () => {
    const ctx = await serviceContext(server, org, 'import-job:3', clock);
    const { earnedBadgeId } = await issueBadge(ctx, { customer: { id: tomId }, badgeMetaId: 'REGULAR', earnedAt: new Date('2023-05-05T00:00:00Z'), expiresAt: new Date('2024-05-05T00:00:00Z') });
    const audit = await server.em().execute(`select actor from audit_entry where action = 'badgeIssue' and subject_id = ?`, [earnedBadgeId]);
    expect(audit).toEqual([{ actor: 'import-job:3' }]);
  });

  it('is refused to a VIEWER key with a top-level FORBIDDEN error', async () => {
    const viewer = gqlClient(server.url, (await createOrg(server.em(), { role: 'VIEWER' })).key);
    expect((await issue({}, viewer)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
