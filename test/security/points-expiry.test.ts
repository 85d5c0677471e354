import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { expireDuePoints } from '../../src/domain/points/expiry.service.js';
import { appendLedgerEntry } from '../../src/domain/points/points.service.js';
import type { ServiceContext } from '../../src/domain/context.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCustomer, createOrg, serviceContext, type TestOrg } from '../support/world.js';

const DAY = 86_400_000;
const START = new Date('2024-03-01T04:00:00Z');

describe('the points-expiry job', () => {
  const clock = new ManualClock(START);
  let server: TestServer;
  let org: TestOrg;
  let ctx: ServiceContext;

  beforeAll(async () => {
    server = await startTestServer({ clock });
    org = await createOrg(server.em(), { role: 'MEMBER_CARE' });
    ctx = await serviceContext(server, org, 'import-job:1', clock);
  });
  afterAll(() => server?.stop());

  async function expiredCustomers(): Promise<number[]> {
    const rows = await server.em().execute<{ customer_id: string }[]>(
      `select customer_id from points_ledger_entry where org_id = ? and kind = 'EXPIRY' order by id`,
      [org.orgId],
    );
    return rows.map((row) => Number(row.customer_id));
  }

  it('works through the owners in order, and an owner that fails is logged and passed, not a wall for the rest', async () => {
    // Given six customers whose lots are all due, the first two of which cannot be expired (a fault
    // on their rows; fewer failing owners than a batch would do, but two fill a batch of two).
    const customers: number[] = [];
    for (let n = 0; n < 6; n++) {
      const id = await createCustomer(server.em(), org, { mobile: `659200${String(n).padStart(4, '0')}` });
      await appendLedgerEntry(ctx, { customer: { id }, points: 10, source: 'import-job:1', expiresAt: new Date(START.getTime() + DAY) });
      customers.push(id);
    }
    const [broken1, broken2, ...healthy] = customers;
    await server.em().execute(`
      create function test_expiry_fault() returns trigger language plpgsql as $$
      begin
        if new.kind = 'EXPIRY' and new.customer_id in (${broken1}, ${broken2}) then raise exception 'disk on fire'; end if;
        return new;
      end $$`);
    await server.em().execute('create trigger test_expiry_fault before insert on points_ledger_entry for each row execute function test_expiry_fault()');
    clock.advance(2 * DAY);

    // When the job runs, in batches smaller than the failing owners at the head of the queue,
    const logged: string[] = [];
    const run = await expireDuePoints({ em: server.em(), clock, log: (message) => logged.push(message) }, { orgId: org.orgId, batchSize: 2 });

    // then everyone else's lots expire, in owner order, and the two failures are counted and logged.
    expect(run).toEqual({ owners: 4, entries: 4, points: 40, failed: 2 });
    expect(await expiredCustomers()).toEqual(healthy);
    expect(logged).toHaveLength(2);
    expect(logged[0]).toContain(`customer ${broken1} `);
    expect(logged[1]).toContain(`customer ${broken2} `);

    // The failed owners stay due, and the next run (once the fault is gone) expires them, and only them.
    await server.em().execute('drop trigger test_expiry_fault on points_ledger_entry');
    const next = await expireDuePoints({ em: server.em(), clock, log: (message) => logged.push(message) }, { orgId: org.orgId, batchSize: 2 });
    expect(next).toEqual({ owners: 2, entries: 2, points: 20, failed: 0 });
    expect(await expiredCustomers()).toEqual([...healthy, broken1, broken2]);
  });
});
