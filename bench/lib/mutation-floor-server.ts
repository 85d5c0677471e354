import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import pg from 'pg';

/**
 * The floor of the mutation benchmark: a bare `http` server and a `pg` Pool that make the same
 * writes as `goodwillPointsIssue` and `couponRedeem` — in one transaction each, with the same row
 * lock, conditional update and idempotency claim — and nothing else: no GraphQL, no validation
 * beyond what the writes need, no ORM, no reading the result back.
 *
 * It takes the GraphQL request body (`operationName` picks the mutation, `variables.input` as the
 * API takes it) and answers with the fields the benchmark's operations select.
 */

interface GoodwillInput {
  readonly customer: { readonly value: string };
  readonly points: number;
  readonly reason: string;
  readonly idempotencyKey: string;
}

interface CouponInput {
  readonly code: string;
  readonly customer: { readonly value: string };
  readonly transactionNumber: string;
  readonly billAmount: number;
  readonly idempotencyKey: string;
}

const ACTOR = 'bench-floor';
const DAY_MS = 86_400_000;

/** Named statements: each connection prepares them once. */
const SQL = {
  customer: { name: 'f_customer', text: 'select id from customer where org_id = $1 and id = $2' },
  program: { name: 'f_program', text: 'select id, points_expiry_days from loyalty_program where org_id = $1 and is_default' },
  claim: {
    name: 'f_claim',
    text: `insert into idempotency_key (org_id, scope, key, request_hash, created_at) values ($1, $2, $3, $4, $5)
      on conflict (org_id, scope, key) do nothing returning id`,
  },
  complete: { name: 'f_complete', text: 'update idempotency_key set result_id = $1 where id = $2' },
  cap: { name: 'f_cap', text: 'select goodwill_points_cap from org where id = $1' },
  lock: {
    name: 'f_lock',
    text: `select e.id from loyalty_enrollment e join tier t on t.id = e.tier_id
      where e.org_id = $1 and e.program_id = $2 and e.customer_id = $3 for update of e`,
  },
  credit: {
    name: 'f_credit',
    text: `insert into points_ledger_entry (org_id, program_id, customer_id, kind, points, reason, source, expires_at, created_by, created_at)
      values ($1, $2, $3, 'GOODWILL', $4, $5, 'goodwillPointsIssue', $6, $7, $8) returning id`,
  },
  coupon: {
    name: 'f_coupon',
    text: `select i.id, i.holder_id, i.status from incentive i join incentive_series s on s.id = i.series_id and s.org_id = i.org_id
      where i.org_id = $1 and i.kind = 'COUPON' and i.code = $2`,
  },
  take: {
    name: 'f_take',
    text: `update incentive i set redemption_count = i.redemption_count + 1,
        status = case when i.redemption_count + 1 >= s.max_redemptions_per_code then 'REDEEMED' else i.status end
      from incentive_series s
      where i.org_id = $1 and i.id = $2 and s.id = i.series_id and i.status = 'ACTIVE' and i.redemption_count < s.max_redemptions_per_code
      returning i.redemption_count`,
  },
  redemption: {
    name: 'f_redemption',
    text: `insert into incentive_redemption (org_id, incentive_id, sequence, customer_id, transaction_number, bill_amount, store_id, redeemed_at, created_by, created_at)
      values ($1, $2, $3, $4, $5, $6, null, $7, $8, $7) returning id`,
  },
  timeline: { name: 'f_timeline', text: 'insert into timeline_event (org_id, customer_id, type, summary, data, occurred_at) values ($1, $2, $3, $4, $5, $6)' },
  audit: {
    name: 'f_audit',
    text: 'insert into audit_entry (org_id, actor, action, subject_type, subject_id, details, created_at) values ($1, $2, $3, $4, $5, $6, $7)',
  },
} as const;

class UserError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

function globalId(typeName: string, id: string | number): string {
  return Buffer.from(`${typeName}:${id}`).toString('base64url');
}

async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    try {
      const result = await work(client);
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback');
      throw error;
    }
  } finally {
    client.release();
  }
}

async function issueGoodwill(pool: pg.Pool, orgId: number, input: GoodwillInput): Promise<{ id: string; points: number }> {
  return inTransaction(pool, async (client) => {
    const now = new Date();
    const customer = await client.query({ ...SQL.customer, values: [orgId, input.customer.value] });
    if (!customer.rows[0]) throw new UserError('CUSTOMER_NOT_FOUND');
    const customerId = customer.rows[0].id as string;
    const program = (await client.query({ ...SQL.program, values: [orgId] })).rows[0] as { id: string; points_expiry_days: number };
    const claim = await client.query({ ...SQL.claim, values: [orgId, 'goodwillPointsIssue', input.idempotencyKey, 'floor', now] });
    if (!claim.rows[0]) throw new UserError('IDEMPOTENCY_KEY_REUSED');
    const cap = Number((await client.query({ ...SQL.cap, values: [orgId] })).rows[0].goodwill_points_cap);
    if (input.points > cap) throw new UserError('GOODWILL_POINTS_OVER_CAP');
    await client.query({ ...SQL.lock, values: [orgId, program.id, customerId] });
    const expiresAt = new Date(now.getTime() + program.points_expiry_days * DAY_MS);
    const entry = await client.query({ ...SQL.credit, values: [orgId, program.id, customerId, input.points, input.reason, expiresAt, ACTOR, now] });
    const entryId = entry.rows[0].id as string;
    const details = JSON.stringify({ points: input.points, reason: input.reason, programId: program.id, entryId });
    await client.query({ ...SQL.timeline, values: [orgId, customerId, 'POINTS_ISSUED', `${input.points} goodwill points: ${input.reason}`, details, now] });
    await client.query({ ...SQL.audit, values: [orgId, ACTOR, 'goodwillPointsIssue', 'Customer', customerId, details, now] });
    await client.query({ ...SQL.complete, values: [entryId, claim.rows[0].id] });
    return { id: entryId, points: input.points };
  });
}

async function redeemCoupon(pool: pg.Pool, orgId: number, input: CouponInput): Promise<{ id: string; sequence: number }> {
  return inTransaction(pool, async (client) => {
    const now = new Date();
    const customer = await client.query({ ...SQL.customer, values: [orgId, input.customer.value] });
    if (!customer.rows[0]) throw new UserError('CUSTOMER_NOT_FOUND');
    const customerId = customer.rows[0].id as string;
    const claim = await client.query({ ...SQL.claim, values: [orgId, 'couponRedeem', input.idempotencyKey, 'floor', now] });
    if (!claim.rows[0]) throw new UserError('IDEMPOTENCY_KEY_REUSED');
    const coupon = (await client.query({ ...SQL.coupon, values: [orgId, input.code] })).rows[0] as { id: string; holder_id: string | null; status: string } | undefined;
    if (!coupon) throw new UserError('COUPON_NOT_FOUND');
    if (coupon.holder_id !== customerId) throw new UserError('COUPON_NOT_HELD_BY_CUSTOMER');
    const taken = await client.query({ ...SQL.take, values: [orgId, coupon.id] });
    if (!taken.rows[0]) throw new UserError('COUPON_ALREADY_REDEEMED');
    const sequence = Number(taken.rows[0].redemption_count);
    const redemption = await client.query({ ...SQL.redemption, values: [orgId, coupon.id, sequence, customerId, input.transactionNumber, input.billAmount, now, ACTOR] });
    const redemptionId = redemption.rows[0].id as string;
    const details = JSON.stringify({ code: input.code, transactionNumber: input.transactionNumber, billAmount: input.billAmount, redemptionId });
    await client.query({ ...SQL.timeline, values: [orgId, customerId, 'COUPON_REDEEMED', `Redeemed coupon ${input.code}`, details, now] });
    await client.query({ ...SQL.audit, values: [orgId, ACTOR, 'couponRedeem', 'IncentiveRedemption', redemptionId, details, now] });
    await client.query({ ...SQL.complete, values: [redemptionId, claim.rows[0].id] });
    return { id: redemptionId, sequence };
  });
}

function send(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function answer(pool: pg.Pool, orgId: number, body: string): Promise<string> {
  const request = JSON.parse(body) as { operationName?: string; variables?: { input?: unknown } };
  try {
    if (request.operationName === 'GoodwillPointsIssue') {
      const entry = await issueGoodwill(pool, orgId, request.variables?.input as GoodwillInput);
      return JSON.stringify({ data: { goodwillPointsIssue: { ledgerEntry: { id: globalId('PointsLedgerEntry', entry.id), points: entry.points }, replayed: false, userErrors: [] } } });
    }
    if (request.operationName === 'CouponRedeem') {
      const redemption = await redeemCoupon(pool, orgId, request.variables?.input as CouponInput);
      return JSON.stringify({ data: { couponRedeem: { redemption: { id: globalId('IncentiveRedemption', redemption.id), sequence: redemption.sequence }, replayed: false, userErrors: [] } } });
    }
    return JSON.stringify({ errors: [{ message: `Unknown operation ${request.operationName}` }] });
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    const field = request.operationName === 'GoodwillPointsIssue' ? 'goodwillPointsIssue' : 'couponRedeem';
    return JSON.stringify({ data: { [field]: { userErrors: [{ code: error.code, message: error.code }] } } });
  }
}

export interface MutationFloorServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startMutationFloorServer(options: { databaseUrl: string; orgId: number; port: number; poolSize?: number }): Promise<MutationFloorServer> {
  // The same pool size as the GraphQL server's ORM, so neither side wins on connections.
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 20 });
  const server = http.createServer((req, res) => {
    if (req.method !== 'POST') return send(res, 405, '{"errors":[{"message":"POST only"}]}');
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      answer(pool, options.orgId, Buffer.concat(chunks).toString('utf8')).then(
        (body) => send(res, 200, body),
        (error: unknown) => send(res, 500, JSON.stringify({ errors: [{ message: error instanceof Error ? error.message : String(error) }] })),
      );
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await pool.end();
    },
  };
}

/** As a child process: `DATABASE_URL`, `ORG_ID` and `PORT` from the environment; SIGTERM stops it. */
async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is required');
  const server = await startMutationFloorServer({ databaseUrl, orgId: Number(process.env.ORG_ID ?? 1), port: Number(process.env.PORT ?? 0) });
  console.log(`Mutation floor server listening on ${server.port}`);
  const stop = (): void => void server.close().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error('Mutation floor server failed:', error);
    process.exit(1);
  });
}
