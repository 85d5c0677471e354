import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.js';
import { createApiKey } from '../src/app/seed/org-setup.js';
import {
  CustomerTimelineViewDocument,
  CustomerTimelineWindowDocument,
  type CustomerTimelineWindowQuery,
  type CustomerTimelineWindowQueryVariables,
  TimelineViewCreateDocument,
  TimelineViewDeleteDocument,
  TimelineViewListDocument,
} from './generated/graphql.js';
import { gqlClient, globalId, typedRequest, type GqlClient } from './support/client.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCustomer, createOrg, type TestOrg } from './support/world.js';

const NOW = new Date('2026-03-01T00:00:00Z');
const DAY = 86_400_000;

/**
 * Timeline windows and named views, against a real server whose clock stands at NOW: a customer
 * has one event a day for 30 days before NOW, alternating PURCHASED and POINTS_ISSUED (day 1
 * before NOW is PURCHASED), plus a JOINED event 400 days before.
 */
describe('timeline windows and named views', () => {
  const clock = new ManualClock(NOW);
  let server: TestServer;
  let org: TestOrg;
  let other: TestOrg;
  let admin: GqlClient;
  let care: GqlClient;
  let customer: string;

  /** The summaries of the events `daysAgo` days before NOW are named after that number. */
  const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);
  const summaries = (nodes: readonly { summary: string }[] | undefined) => nodes?.map((node) => node.summary);

  beforeAll(async () => {
    server = await startTestServer({ clock });
    const em = server.em();
    org = await createOrg(em);
    other = await createOrg(em);
    admin = gqlClient(server.url, org.key);
    care = gqlClient(server.url, await createApiKey(em, org.orgId, 'MEMBER_CARE'));
    const customerId = await createCustomer(em, org, { mobile: '6591110000' });
    customer = globalId('Customer', customerId);
    await em.execute(
      `insert into timeline_event (org_id, customer_id, type, summary, data, occurred_at)
        select ?, ?, case when g % 2 = 1 then 'PURCHASED' else 'POINTS_ISSUED' end, 'd' || g, '{}'::jsonb, ?::timestamptz - g * interval '1 day'
        from generate_series(1, 30) g
        union all select ?, ?, 'JOINED', 'd400', '{}'::jsonb, ?::timestamptz - interval '400 days'`,
      [org.orgId, customerId, NOW.toISOString(), org.orgId, customerId, NOW.toISOString()],
    );
    // The other org's view, under a name the first org also uses below.
    const created = await typedRequest(gqlClient(server.url, other.key), TimelineViewCreateDocument, {
      input: { name: 'Other only', eventTypes: ['JOINED'], windowDays: 3000 },
    });
    expect(created.data?.timelineViewCreate.userErrors).toEqual([]);
  });
  afterAll(() => server?.stop());

  describe('Customer.timeline(types, since, until)', () => {
    it('keeps events at or after `since` and before `until`, newest first', async () => {
      const response = await typedRequest(admin, CustomerTimelineWindowDocument, { id: customer, since: daysAgo(10).toISOString(), until: daysAgo(5).toISOString() });
      expect(response.errors).toBeUndefined();
      // d10 sits exactly on `since` (inside), d5 exactly on `until` (outside)
      expect(summaries(response.data?.customer?.timeline.nodes)).toEqual(['d6', 'd7', 'd8', 'd9', 'd10']);
    });

    it('combines the window with the types filter', async () => {
      const response = await typedRequest(admin, CustomerTimelineWindowDocument, {
        id: customer,
        types: ['PURCHASED', 'JOINED'],
        since: daysAgo(10).toISOString(),
        until: daysAgo(5).toISOString(),
      });
      expect(summaries(response.data?.customer?.timeline.nodes)).toEqual(['d7', 'd9']);
      const olderThanAMonth = await typedRequest(admin, CustomerTimelineWindowDocument, { id: customer, types: ['JOINED', 'PURCHASED'], until: daysAgo(28).toISOString() });
      expect(summaries(olderThanAMonth.data?.customer?.timeline.nodes)).toEqual(['d29', 'd400']);
    });

    it('pages a window newest first without gaps or repeats, and answers up to 1,000 events a page', async () => {
      const seen: string[] = [];
      let after: string | null | undefined = null;
      for (let pages = 0; pages < 10; pages += 1) {
        const response: Awaited<ReturnType<typeof typedRequest<CustomerTimelineWindowQuery, CustomerTimelineWindowQueryVariables>>> = await typedRequest(admin, CustomerTimelineWindowDocument, {
          id: customer,
          since: daysAgo(20).toISOString(),
          first: 6,
          after,
        });
        const timeline = response.data?.customer?.timeline;
        seen.push(...(summaries(timeline?.nodes) ?? []));
        if (!timeline?.pageInfo.hasNextPage) break;
        after = timeline.pageInfo.endCursor;
      }
      expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => `d${i + 1}`));
      const all = await typedRequest(admin, CustomerTimelineWindowDocument, { id: customer, first: 1000 });
      expect(all.errors).toBeUndefined();
      expect(all.data?.customer?.timeline.nodes).toHaveLength(31);
    });

    it('refuses `since` not before `until` and a page over 1,000', async () => {
      const inverted = await typedRequest(admin, CustomerTimelineWindowDocument, { id: customer, since: daysAgo(5).toISOString(), until: daysAgo(5).toISOString() });
      expect(inverted.errors?.[0]).toMatchObject({ message: '`since` must be before `until`.', extensions: { code: 'BAD_USER_INPUT', argument: 'since' } });
      const tooMany = await typedRequest(admin, CustomerTimelineWindowDocument, { id: customer, first: 1001 });
      expect(tooMany.errors?.[0]).toMatchObject({ message: '`first` must be between 1 and 1000.', extensions: { code: 'BAD_USER_INPUT', argument: 'first' } });
    });
  });

  describe('named views', () => {
    it('an ADMIN key defines a view (audited), and it shows its types within its last windowDays days as of the server clock', async () => {
      const created = await typedRequest(admin, TimelineViewCreateDocument, { input: { name: ' Recent purchases ', eventTypes: ['PURCHASED', 'PURCHASED', 'JOINED'], windowDays: 7 } });
      expect(created.data?.timelineViewCreate).toEqual({ view: { name: 'Recent purchases', eventTypes: ['JOINED', 'PURCHASED'], windowDays: 7 }, userErrors: [] });
      const audit = await server.em().execute<{ action: string; details: unknown }[]>(`select action, details from audit_entry where org_id = ? and action = 'timelineViewCreate'`, [org.orgId]);
      expect(audit).toEqual([{ action: 'timelineViewCreate', details: { name: 'Recent purchases', eventTypes: ['JOINED', 'PURCHASED'], windowDays: 7 } }]);

      const read = await typedRequest(admin, CustomerTimelineViewDocument, { id: customer, name: 'Recent purchases' });
      expect(read.errors).toBeUndefined();
      // d7 is exactly 7 days back: inside; the 400-day-old JOINED is outside the window
      expect(summaries(read.data?.customer?.timelineView?.nodes)).toEqual(['d1', 'd3', 'd5', 'd7']);

      // The window moves with the clock: two days later, d1…d9 are 3…11 days old.
      clock.advance(2 * DAY);
      try {
        const later = await typedRequest(admin, CustomerTimelineViewDocument, { id: customer, name: 'Recent purchases', first: 2 });
        expect(summaries(later.data?.customer?.timelineView?.nodes)).toEqual(['d1', 'd3']);
        const next = await typedRequest(admin, CustomerTimelineViewDocument, { id: customer, name: 'Recent purchases', first: 2, after: later.data?.customer?.timelineView?.pageInfo.endCursor });
        expect(summaries(next.data?.customer?.timelineView?.nodes)).toEqual(['d5']);
        expect(next.data?.customer?.timelineView?.pageInfo.hasNextPage).toBe(false);
      } finally {
        clock.set(NOW);
      }
    });

    it('lists the views by name, and a MEMBER_CARE key reads them but may not define one', async () => {
      await typedRequest(admin, TimelineViewCreateDocument, { input: { name: 'All joins', eventTypes: ['JOINED'], windowDays: 3660 } });
      const listed = await typedRequest(care, TimelineViewListDocument, {});
      expect(listed.data?.timelineViews.map((view) => view.name)).toEqual(expect.arrayContaining(['All joins']));
      expect(listed.data?.timelineViews.map((view) => view.name)).not.toContain('Other only');
      const joins = await typedRequest(care, CustomerTimelineViewDocument, { id: customer, name: 'All joins' });
      expect(summaries(joins.data?.customer?.timelineView?.nodes)).toEqual(['d400']);

      const refused = await typedRequest(care, TimelineViewCreateDocument, { input: { name: 'Care view', eventTypes: ['JOINED'], windowDays: 7 } });
      expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
      expect(refused.errors?.[0].message).toMatch(/^Only ADMIN keys can define timeline views/);
      const deleteRefused = await typedRequest(care, TimelineViewDeleteDocument, { input: { name: 'All joins' } });
      expect(deleteRefused.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
      const rows = await server.em().execute<{ name: string }[]>(`select name from timeline_view where org_id = ? and name in ('All joins', 'Care view')`, [org.orgId]);
      expect(rows).toEqual([{ name: 'All joins' }]);
    });

    it('refuses a duplicate name, no event types and a window out of range, with stable codes', async () => {
      await typedRequest(admin, TimelineViewCreateDocument, { input: { name: 'Dup', eventTypes: ['JOINED'], windowDays: 1 } });
      const cases = [
        [{ name: 'Dup', eventTypes: ['PURCHASED'], windowDays: 5 }, 'TIMELINE_VIEW_NAME_TAKEN', 'name'],
        [{ name: 'No types', eventTypes: [], windowDays: 5 }, 'TIMELINE_VIEW_EVENT_TYPES_INVALID', 'eventTypes'],
        [{ name: 'Zero days', eventTypes: ['JOINED'], windowDays: 0 }, 'TIMELINE_VIEW_WINDOW_OUT_OF_RANGE', 'windowDays'],
        [{ name: 'Eleven years', eventTypes: ['JOINED'], windowDays: 4000 }, 'TIMELINE_VIEW_WINDOW_OUT_OF_RANGE', 'windowDays'],
        [{ name: '   ', eventTypes: ['JOINED'], windowDays: 5 }, 'INVALID_INPUT', 'name'],
      ] as const;
      for (const [input, code, field] of cases) {
        const response = await typedRequest(admin, TimelineViewCreateDocument, { input: { ...input, eventTypes: [...input.eventTypes] } });
        expect(response.data?.timelineViewCreate, input.name).toMatchObject({ view: null, userErrors: [{ code, field: ['input', field] }] });
      }
      const unknownType = await admin.request(
        'mutation { timelineViewCreate(input: { name: "Bad", eventTypes: [NOT_A_TYPE], windowDays: 5 }) { userErrors { code } } }',
      );
      expect(unknownType.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      const rows = await server.em().execute<{ name: string; event_types: string[] }[]>(`select name, event_types from timeline_view where org_id = ? and name in ('Dup', 'No types', 'Zero days', 'Eleven years', '', 'Bad')`, [org.orgId]);
      expect(rows).toEqual([{ name: 'Dup', event_types: ['JOINED'] }]);
    });

    it('an unknown view name, or another org\'s view, is a BAD_USER_INPUT error on the field alone', async () => {
      for (const name of ['No such view', 'Other only', 'x'.repeat(5000)]) {
        const response = await typedRequest(admin, CustomerTimelineViewDocument, { id: customer, name });
        expect(response.data?.customer).toEqual({ id: customer, timelineView: null });
        expect(response.errors?.[0]).toMatchObject({ path: ['customer', 'timelineView'], extensions: { code: 'BAD_USER_INPUT', argument: 'name' } });
        expect(response.errors?.[0].message).toMatch(/^Your org has no timeline view named "/);
      }
    });

    it('deletes a view by name (audited); then it is unknown, and deleting again is TIMELINE_VIEW_NOT_FOUND', async () => {
      await typedRequest(admin, TimelineViewCreateDocument, { input: { name: 'Short lived', eventTypes: ['PURCHASED'], windowDays: 3 } });
      const deleted = await typedRequest(admin, TimelineViewDeleteDocument, { input: { name: 'Short lived' } });
      expect(deleted.data?.timelineViewDelete).toEqual({ deletedName: 'Short lived', userErrors: [] });
      const read = await typedRequest(admin, CustomerTimelineViewDocument, { id: customer, name: 'Short lived' });
      expect(read.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
      const again = await typedRequest(admin, TimelineViewDeleteDocument, { input: { name: 'Short lived' } });
      expect(again.data?.timelineViewDelete).toMatchObject({ deletedName: null, userErrors: [{ code: 'TIMELINE_VIEW_NOT_FOUND', field: ['input', 'name'] }] });
      const otherOrgs = await typedRequest(admin, TimelineViewDeleteDocument, { input: { name: 'Other only' } });
      expect(otherOrgs.data?.timelineViewDelete.userErrors[0]?.code).toBe('TIMELINE_VIEW_NOT_FOUND');
      const audit = await server.em().execute<{ n: string }[]>(`select count(*) n from audit_entry where org_id = ? and action = 'timelineViewDelete'`, [org.orgId]);
      expect(Number(audit[0].n)).toBe(1);
    });
  });
});
