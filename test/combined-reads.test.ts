import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withQueryStats, type QueryStats } from '../src/core/sql/query-stats.js';
import { combineReads, selectRows } from '../src/core/sql/rows.js';
import { startTestServer, type TestServer } from './support/server.js';

/*
 * The reads one turn of the event loop asks for (a GraphQL level's DataLoader batches) go to
 * PostgreSQL as one statement, each read's rows coming back in its own order, and a read that
 * fails fails alone.
 */
describe('combined reads', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());

  /** An EntityManager as a GraphQL request has it. */
  function requestEm() {
    const em = server.em().fork();
    combineReads(em);
    return em;
  }

  it('sends the reads of one turn as one statement, each with its own rows in its own order', async () => {
    const em = requestEm();
    const stats: QueryStats = { statements: 0 };
    const [ascending, descending, none, typed] = await withQueryStats(stats, () =>
      Promise.all([
          selectRows(em, 'select g as value from generate_series(1, ?::int) g order by g', [5]),
          selectRows(em, 'select g as value, g * 2 as double_value from generate_series(1, 3) g order by g desc'),
          selectRows(em, 'select 1 as value where false'),
          selectRows(em, `select ?::bigint as big_id, 10.50::numeric(16,2) as amount, '2026-03-10T04:00:00.123Z'::timestamptz as at, '{"a":[1]}'::jsonb as doc, true as flag`, [42]),
      ]),
    );
    expect(stats.statements).toBe(1);
    expect(ascending).toEqual([1, 2, 3, 4, 5].map((value) => ({ value })));
    expect(descending).toEqual([3, 2, 1].map((value) => ({ value, doubleValue: value * 2 })));
    expect(none).toEqual([]);
    // As JSON gives them, combined or alone: the row readers (toId, toNumber, toDate) take these.
    expect(typed).toHaveLength(1);
    expect(typed[0]).toMatchObject({ bigId: 42, amount: 10.5, doc: { a: [1] }, flag: true });
    expect(new Date(String(typed[0].at)).toISOString()).toBe('2026-03-10T04:00:00.123Z');
  });

  it('fails only the read that fails, and its neighbours still get their rows', async () => {
    const em = requestEm();
    const results = await Promise.allSettled([selectRows(em, 'select 1 as value'), selectRows(em, 'select 1 / (? - 1) as value', [1]), selectRows(em, 'select 2 as value')]);
    expect(results[0]).toEqual({ status: 'fulfilled', value: [{ value: 1 }] });
    expect(results[1]).toMatchObject({ status: 'rejected', reason: { message: expect.stringContaining('division by zero') } });
    expect(results[2]).toEqual({ status: 'fulfilled', value: [{ value: 2 }] });
  });

  it("never combines reads that lock rows, nor the reads of another EntityManager (a worker's)", async () => {
    const em = requestEm();
    const stats: QueryStats = { statements: 0 };
    await withQueryStats(stats, () => Promise.all([selectRows(em, 'select 1 as value'), selectRows(em, 'select id from org limit 1 for update'), selectRows(em, 'select 2 as value')]));
    expect(stats.statements).toBe(2);
    const worker = server.em().fork();
    const outside: QueryStats = { statements: 0 };
    const [bytes] = await withQueryStats(outside, () => Promise.all([selectRows(worker, `select '\\x0102'::bytea as data`), selectRows(worker, 'select 2 as value')]));
    expect(outside.statements).toBe(2);
    // Bytes stay bytes where reads are not combined (email attachments, read by the delivery worker).
    expect(Buffer.isBuffer(bytes[0].data)).toBe(true);
  });
});
