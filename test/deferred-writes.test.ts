import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError, CommonErrorCode } from '../src/core/errors.js';
import { deferWrite } from '../src/core/sql/deferred-writes.js';
import { withQueryStats } from '../src/core/sql/query-stats.js';
import { selectRows } from '../src/core/sql/rows.js';
import { inTransaction } from '../src/core/sql/transaction.js';
import type { ServiceContext } from '../src/domain/context.js';
import { gqlClient, globalId, type GqlClient } from './support/client.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createCustomer, createOrg, serviceContext, type TestOrg } from './support/world.js';

/**
 * Deferred writes (src/core/sql/deferred-writes.ts) against the real database: they wait for the
 * end of their transaction, go in one statement, and vanish with a rollback, a savepoint's too.
 */
describe('deferred writes', () => {
  let server: TestServer;
  let org: TestOrg;
  let ctx: ServiceContext;
  let client: GqlClient;
  let customerId: number;

  beforeAll(async () => {
    server = await startTestServer();
    org = await createOrg(server.em());
    customerId = await createCustomer(server.em(), org, { mobile: '6597000001' });
    ctx = await serviceContext(server, org, 'test:deferred');
    client = gqlClient(server.url, org.key);
  });
  afterAll(() => server?.stop());

  const auditInsert = 'insert into audit_entry (org_id, actor, action, subject_type, subject_id, details, created_at) values (?, ?, ?, ?, null, ?::jsonb, now())';
  const audit = (tx: ServiceContext, action: string) => deferWrite(tx.em, auditInsert, [org.orgId, 'test:deferred', action, 'Test', '{}']);
  async function actions(prefix: string): Promise<string[]> {
    const rows = await selectRows<{ action: string }>(server.em(), 'select action from audit_entry where org_id = ? and action like ? order by action', [org.orgId, `${prefix}%`]);
    return rows.map((row) => row.action);
  }

  it('writes at the end of the transaction, all in one statement', async () => {
    const stats = { statements: 0 };
    let seenInside = -1;
    await withQueryStats(stats, () =>
      inTransaction(ctx, async (tx) => {
        await audit(tx, 'one-a');
        await audit(tx, 'one-b');
        await audit(tx, 'one-c');
        // Inside the transaction, before its end, nothing is written yet.
        const [row] = await selectRows<{ n: number }>(tx.em, "select count(*)::int as n from audit_entry where org_id = ? and action like 'one-%'", [org.orgId]);
        seenInside = row!.n;
      }),
    );
    expect(seenInside).toBe(0);
    expect(await actions('one-')).toEqual(['one-a', 'one-b', 'one-c']);
    // The count read above, then the three inserts as one statement.
    expect(stats.statements).toBe(2);
  });

  it('writes nothing when the work throws', async () => {
    await expect(
      inTransaction(ctx, async (tx) => {
        await audit(tx, 'two-a');
        throw new DomainError(CommonErrorCode.INVALID_INPUT, 'no');
      }),
    ).rejects.toThrow('no');
    expect(await actions('two-')).toEqual([]);
  });

  it('keeps a savepoint’s writes only when the savepoint holds', async () => {
    await inTransaction(ctx, async (tx) => {
      await audit(tx, 'three-outer');
      await inTransaction(tx, async (inner) => audit(inner, 'three-kept'));
      await inTransaction(tx, async (inner) => {
        await audit(inner, 'three-dropped');
        throw new DomainError(CommonErrorCode.INVALID_INPUT, 'inner');
      }).catch(() => undefined);
      await audit(tx, 'three-outer-after');
    });
    expect(await actions('three-')).toEqual(['three-kept', 'three-outer', 'three-outer-after']);
  });

  it('runs at once outside a transaction of inTransaction', async () => {
    const em = server.em();
    await deferWrite(em, auditInsert, [org.orgId, 'test:deferred', 'four-now', 'Test', '{}']);
    expect(await actions('four-')).toEqual(['four-now']);
  });

  it('a mutation with an idempotency key writes its audit entry and the key’s result together', async () => {
    const mutation = `mutation($input: GoodwillPointsIssueInput!) { goodwillPointsIssue(input: $input) { userErrors { code message } } }`;
    const input = { customer: { type: 'MOBILE', value: '6597000001' }, points: 5, reason: 'deferred', idempotencyKey: 'deferred-1' };
    const first = await client.request<{ goodwillPointsIssue: { userErrors: unknown[] } }>(mutation, { input });
    expect(first.errors).toBeUndefined();
    // Ten statements when the audit entry and the key's result went one by one; together, nine.
    expect(first.extensions?.sqlStatements).toBe(9);
    expect(first.data!.goodwillPointsIssue.userErrors).toEqual([]);
    const [key] = await selectRows<{ resultId: unknown }>(server.em(), "select result_id from idempotency_key where org_id = ? and key = 'deferred-1'", [org.orgId]);
    expect(key!.resultId).not.toBeNull();
    const audits = await selectRows(server.em(), "select 1 from audit_entry where org_id = ? and action = 'goodwillPointsIssue'", [org.orgId]);
    expect(audits).toHaveLength(1);
    const repeat = await client.request<{ goodwillPointsIssue: { userErrors: unknown[] } }>(mutation, { input });
    expect(repeat.data!.goodwillPointsIssue.userErrors).toEqual([]);
    expect(await selectRows(server.em(), "select 1 from audit_entry where org_id = ? and action = 'goodwillPointsIssue'", [org.orgId])).toHaveLength(1);
  });
});
