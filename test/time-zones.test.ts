import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gqlClient, globalId, operation } from './support/client.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCustomer, createOrg, createRichCustomer } from './support/world.js';

const INTERACTIONS = `query Interactions($id: ID!) {
  customer(id: $id) {
    joinedAt
    interactions(first: 10) { nodes { channel sentAt } }
  }
}`;

async function orgWithOneSms(server: TestServer, timeZone: string, sentAt: string) {
  const em = server.em();
  const org = await createOrg(em, { timeZone });
  const customerId = await createCustomer(em, org);
  await em.execute(
    `insert into interaction (org_id, customer_id, channel, sender_id, content, status, sent_at, created_at)
      values (?, ?, 'SMS', 'SENDER', 'Hi', 'DELIVERED', ?, now())`,
    [org.orgId, customerId, sentAt],
  );
  return { org, customerId };
}

describe('date-times in the org time zone', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());

  it('runs with a server zone unlike any org zone', () => {
    expect(new Date('2022-03-01T04:30:00Z').getTimezoneOffset()).not.toBe(0);
  });

  it.each([
    ['Asia/Singapore', '2022-03-01T04:30:00Z', '2022-03-01T12:30:00+08:00'],
    ['America/New_York', '2022-03-01T04:30:00Z', '2022-02-28T23:30:00-05:00'],
    // Across DST: New York is on daylight time (-04:00) in July, standard time (-05:00) in March.
    ['America/New_York', '2022-07-01T04:30:00Z', '2022-07-01T00:30:00-04:00'],
    ['Europe/London', '2022-03-27T00:59:59Z', '2022-03-27T00:59:59+00:00'],
    ['Europe/London', '2022-03-27T01:00:00Z', '2022-03-27T02:00:00+01:00'],
  ])('shows an SMS of an org in %s sent at %s as %s', async (timeZone, sentAt, expected) => {
    const { org, customerId } = await orgWithOneSms(server, timeZone, sentAt);
    const response = await gqlClient(server.url, org.key).request<{
      customer: { joinedAt: string; interactions: { nodes: { channel: string; sentAt: string }[] } };
    }>(INTERACTIONS, { id: globalId('Customer', customerId) });
    expect(response.errors).toBeUndefined();
    expect(response.data?.customer.interactions.nodes).toEqual([{ channel: 'SMS', sentAt: expected }]);
  });

  it('renders every date-time of the graph in the zone, not only interactions', async () => {
    const { org, customerId } = await orgWithOneSms(server, 'America/New_York', '2022-03-01T04:30:00Z');
    const response = await gqlClient(server.url, org.key).request<{ customer: { joinedAt: string } }>(INTERACTIONS, {
      id: globalId('Customer', customerId),
    });
    // joined_at is 2021-06-01T00:00:00Z (see world.ts): 8 pm the day before in New York (EDT).
    expect(response.data?.customer.joinedAt).toBe('2021-05-31T20:00:00-04:00');
  });
});

describe('every date-time of the single view', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());

  it('carries the org offset, whatever field it is', async () => {
    const em = server.em();
    const org = await createOrg(em, { timeZone: 'Asia/Kolkata' });
    const customerId = await createRichCustomer(em, org, { cards: 2, transactions: 3, memberships: 2, interactions: 3 }, 'tz');
    const response = await gqlClient(server.url, org.key).request(operation('CustomerSingleView'), { id: globalId('Customer', customerId) });
    expect(response.errors).toBeUndefined();
    const instants: [string, string][] = [];
    const collect = (value: unknown, path: string): void => {
      if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(value)) instants.push([path, value]);
      else if (Array.isArray(value)) value.forEach((item, index) => collect(item, `${path}.${index}`));
      else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) collect(item, `${path}.${key}`);
    };
    collect(response.data, 'data');
    // joinedAt, card issuedAt, transactions, ledger expiries, badges, memberships, interactions, timeline, subscriptions…
    expect(instants.length).toBeGreaterThan(20);
    const offenders = instants.filter(([, value]) => !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?\+05:30$/.test(value));
    expect(offenders).toEqual([]);
  });
});

describe('formatting an instant in a zone', () => {
  it('agrees with luxon minute by minute through DST changes, including odd offsets', async () => {
    const { DateTime } = await import('luxon');
    const { formatInZone } = await import('../src/core/time.js');
    const days: [string, string][] = [
      ['America/New_York', '2022-03-13T05:00:00Z'],
      ['America/New_York', '2022-11-06T04:00:00Z'],
      ['Europe/London', '2022-03-27T00:00:00Z'],
      ['Australia/Lord_Howe', '2022-04-02T14:00:00Z'], // DST of 30 minutes
      ['Asia/Kathmandu', '2022-06-01T00:00:00Z'], // +05:45
      ['Asia/Singapore', '1981-12-31T15:00:00Z'], // the zone moved from +07:30 to +08:00
    ];
    let checked = 0;
    for (const [zone, start] of days) {
      const from = Date.parse(start);
      for (let minute = 0; minute < 24 * 60; minute += 1) {
        const instant = new Date(from + minute * 60_000 + (minute % 7) * 1_000 + (minute % 3 === 0 ? 123 : 0));
        const expected = DateTime.fromJSDate(instant, { zone }).toISO({ suppressMilliseconds: true });
        expect(formatInZone(instant, zone), `${zone} ${instant.toISOString()}`).toBe(expected);
        checked += 1;
      }
    }
    expect(checked).toBe(6 * 24 * 60);
  });
});
