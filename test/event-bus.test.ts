import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { PgEventBus } from '../src/core/event-bus.js';

/** The events bus on PostgreSQL, against the test database server (no API needed). */
describe('PgEventBus', () => {
  let bus: PgEventBus;
  let raw: pg.Client;
  const notifications: string[] = [];

  beforeAll(async () => {
    const url = inject('databaseServerUrl');
    bus = await PgEventBus.connect(url, () => undefined);
    // A plain listener on the bus's channel sees the NOTIFYs themselves.
    raw = new pg.Client({ connectionString: url });
    await raw.connect();
    raw.on('notification', (notification) => notifications.push(notification.payload ?? ''));
    await raw.query('listen loyalty_events');
  });
  afterAll(async () => {
    await bus?.close();
    await raw?.end();
  });

  it('delivers a burst of events in order, gathered into a few NOTIFYs of at most 8000 bytes', async () => {
    const topic = `burst-${Date.now()}`;
    const received: unknown[] = [];
    const unsubscribe = bus.subscribe(topic, (message) => received.push(message));
    const events = Array.from({ length: 1_000 }, (_, index) => ({ interactionId: index }));
    await Promise.all(events.map((event) => bus.publish(topic, event)));
    const deadline = Date.now() + 10_000;
    while (received.length < events.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    unsubscribe();

    expect(received).toEqual(events);
    const ours = notifications.filter((payload) => payload.includes(topic));
    // About 70 bytes an envelope: some 110 to a NOTIFY.
    expect(ours.length).toBeGreaterThan(1);
    expect(ours.length).toBeLessThan(50);
    for (const payload of ours) {
      expect(Buffer.byteLength(payload)).toBeLessThan(8_000);
      expect(Array.isArray(JSON.parse(payload))).toBe(true);
    }
  });

  it('still takes a single envelope (as a process of the version before sends it)', async () => {
    const topic = `single-${Date.now()}`;
    const received: unknown[] = [];
    const unsubscribe = bus.subscribe(topic, (message) => received.push(message));
    await raw.query('select pg_notify($1, $2)', ['loyalty_events', JSON.stringify({ topic, message: { interactionId: 7 } })]);
    const deadline = Date.now() + 5_000;
    while (received.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    unsubscribe();
    expect(received).toEqual([{ interactionId: 7 }]);
  });
});
