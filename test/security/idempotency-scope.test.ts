import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CouponRedeemDocument } from '../generated/graphql.js';
import { gqlClient, typedRequest, type GqlClient } from '../support/client.js';
import { errorsByRow, importRows, storeCodeOf, type ImportRun } from '../support/imports.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createCustomer, createIncentive, createIncentiveSeries, createOrg, type TestOrg } from '../support/world.js';

/*
 * An import row redeems under an idempotency key the server makes from the job and the row
 * (`import-job:<job>:row:<n>`). Such text is easy to guess, and a client may send any key: the
 * row's key must live where no client key reaches, or a client could take it before the import
 * (which then skips or fails the row) or send it after (and be told of a clash with the import).
 */

const MAPPING = [
  { header: 'Voucher Series Id', field: 'seriesCode' },
  { header: 'Voucher Code', field: 'couponCode' },
  { header: 'Till IUN', field: 'storeCode' },
  { header: 'Mobile', field: 'mobile' },
  { header: 'Redeemed Date', field: 'redeemedAt' },
  { header: 'Transaction Number', field: 'transactionNumber' },
  { header: 'Transaction Amount', field: 'billAmount' },
];

describe('import rows’ idempotency keys', () => {
  let server: TestServer;
  let org: TestOrg;
  let client: GqlClient;
  let run: ImportRun;
  let store: string;
  let customer: number;
  let series: number;

  beforeAll(async () => {
    server = await startTestServer();
    org = await createOrg(server.em());
    client = gqlClient(server.url, org.key);
    run = { server, client, key: org.key };
    store = await storeCodeOf(server, org);
    customer = await createCustomer(server.em(), org, { mobile: '6593000001' });
    series = await createIncentiveSeries(server.em(), org, { code: 'SCOPE' });
    for (const code of ['IMPORTED-1', 'IMPORTED-2', 'CLIENT-1', 'CLIENT-2']) await createIncentive(server.em(), org, series, code, customer);
  });
  afterAll(() => server?.stop());

  async function lastJobId(): Promise<number> {
    const [row] = await server.em().execute<{ id: string }[]>('select max(id) as id from import_job');
    return Number(row?.id ?? 0);
  }

  function clientRedeem(code: string, idempotencyKey: string) {
    return typedRequest(client, CouponRedeemDocument, {
      input: { code, customer: { type: 'USER_ID', value: String(customer) }, transactionNumber: `BILL-${code}`, billAmount: 10, idempotencyKey },
    });
  }

  function importRedemption(code: string) {
    return importRows(run, { profile: 'COUPON_REDEMPTIONS', mapping: MAPPING }, [['SCOPE', code, store, '6593000001', '2022-03-04 12:30:00', `BILL-${code}`, '80']]);
  }

  it('a client cannot take the key of an import’s row before the import, nor clash with it after', async () => {
    // Given an import that redeemed a coupon at its row 1,
    const first = await importRedemption('IMPORTED-1');
    expect(first.state).toBe('COMPLETED');
    const done = await lastJobId();

    // a client sending that row's key redeems its own coupon as if the key were new:
    const after = await clientRedeem('CLIENT-1', `import-job:${done}:row:1`);
    expect(after.data?.couponRedeem.userErrors).toEqual([]);
    expect(after.data?.couponRedeem).toMatchObject({ replayed: false, incentive: { code: 'CLIENT-1', status: 'REDEEMED' } });

    // and a client sending the key the next job's row 1 will use does not stop that row.
    const before = await clientRedeem('CLIENT-2', `import-job:${done + 1}:row:1`);
    expect(before.data?.couponRedeem.userErrors).toEqual([]);
    const next = await importRedemption('IMPORTED-2');
    expect(await lastJobId()).toBe(done + 1);
    expect(errorsByRow(next)).toEqual({});
    expect(next.state).toBe('COMPLETED');

    const redeemed = await server.em().execute<{ code: string; created_by: string }[]>(
      'select i.code, r.created_by from incentive_redemption r join incentive i on i.id = r.incentive_id where i.org_id = ? order by i.code',
      [org.orgId],
    );
    expect(redeemed.map((row) => row.code)).toEqual(['CLIENT-1', 'CLIENT-2', 'IMPORTED-1', 'IMPORTED-2']);
  });
});
