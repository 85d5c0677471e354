import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import pg from 'pg';

/**
 * The floor: the fastest single view a hand-written server can serve. Plain `http` + a `pg` Pool,
 * no framework, no validation beyond the id, and ONE prepared SQL statement that builds the whole
 * JSON document in PostgreSQL (lateral subqueries + json_agg), sent back as received.
 *
 * It takes the same request body as the GraphQL server (`{ query, variables: { id } }`, the query
 * being ignored), so both servers parse the same bytes, and answers `{ data: { customer } }` with
 * `extensions.sqlStatements = 1`.
 */

/** `Type:id` as the GraphQL API encodes global ids (base64url, no padding), in SQL. */
function globalId(typeName: string, idColumn: string): string {
  return `rtrim(translate(encode(convert_to('${typeName}:' || ${idColumn}, 'UTF8'), 'base64'), '+/', '-_'), '=')`;
}

/** A Relay cursor as the API encodes it: base64url of the JSON `[sortValue, id]`. */
function cursor(sortValueJson: string, idColumn: string): string {
  return `rtrim(translate(encode(convert_to('[' || ${sortValueJson} || ',' || ${idColumn} || ']', 'UTF8'), 'base64'), '+/', '-_'), '=')`;
}

/** A timestamptz as the JSON string `Date.toISOString()` gives (UTC, milliseconds): the API's cursor sort value. */
function isoUtcJson(column: string): string {
  return `'"' || to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"'`;
}

/** The newest rows of one customer's list: `from` aliases the table `x`, `node` builds a row's JSON from alias `n`. */
interface ListSpec {
  readonly from: string;
  readonly where: string;
  /** Sort on alias `x`, newest first, id breaking ties: the order of an index. */
  readonly order: string;
  readonly first: number;
  readonly node: string;
}

function outer(order: string): string {
  return order.replaceAll('x.', 'n.');
}

/** `{ nodes }` of a connection whose selection asks for nothing else. */
function nodesOnly(list: ListSpec): string {
  return `json_build_object('nodes', coalesce((select json_agg(${list.node} order by ${outer(list.order)})
    from (select x.* from ${list.from} where ${list.where} order by ${list.order} limit ${list.first}) n), '[]'::json))`;
}

/**
 * `{ pageInfo { hasNextPage endCursor }, nodes | edges { cursor node } }`: one row more than the
 * page is read to tell whether a next page exists, as the API does.
 */
function pagedConnection(list: ListSpec & { readonly cursor: string; readonly shape: 'nodes' | 'edges' }): string {
  const item = list.shape === 'edges' ? `json_build_object('cursor', n.cursor, 'node', ${list.node})` : list.node;
  return `(select json_build_object(
      'pageInfo', json_build_object('hasNextPage', count(*) > ${list.first},
        'endCursor', (array_agg(n.cursor order by n.row_number desc) filter (where n.row_number <= ${list.first}))[1]),
      '${list.shape}', coalesce(json_agg(${item} order by n.row_number) filter (where n.row_number <= ${list.first}), '[]'::json))
    from (select x.*, ${list.cursor} as cursor, row_number() over (order by ${list.order}) as row_number
      from ${list.from} where ${list.where} order by ${list.order} limit ${list.first + 1}) n)`;
}

/**
 * The single-view statement, field for field what `test/operations/CustomerSingleView.graphql`
 * selects (same page sizes, filters and orders as the API's loaders): $1 = customer id,
 * $2 = org id. Times render in the session's time zone, which the pool sets to the org's.
 */
export const SINGLE_VIEW_SQL = `
select json_build_object(
  'id', ${globalId('Customer', 'c.id')},
  'userId', c.id::text,
  'firstName', c.first_name,
  'lastName', c.last_name,
  'mobile', c.mobile,
  'email', c.email,
  'externalIds', coalesce((select json_agg(e.value order by e.created_at, e.value) from customer_external_id e where e.customer_id = c.id), '[]'::json),
  'joinedAt', c.joined_at,
  'joinStore', case when js.id is null then null else json_build_object('id', ${globalId('Store', 'js.id')}, 'code', js.code, 'name', js.name) end,
  'status', json_build_object('label', sl.label, 'standardStatus', coalesce(sl.standard_status, 'ACTIVE'), 'reason', c.status_reason),
  'fraudStatus', case when c.fraud_status is null then null else json_build_object('status', c.fraud_status, 'reason', c.fraud_reason) end,
  'customFields', c.custom_fields,
  'extendedFields', c.extended_fields,
  'parent', case when c.parent_id is null then null else json_build_object('id', ${globalId('Customer', 'c.parent_id')}) end,
  'channelSubscriptions', coalesce((
    select json_agg(json_build_object('channel', cs.channel, 'priority', cs.priority, 'account', nullif(cs.account, ''), 'status', cs.status,
      'updatedAt', cs.updated_at) order by cs.channel, cs.priority, cs.account)
    from channel_subscription cs where cs.org_id = c.org_id and cs.customer_id = c.id), '[]'::json),
  'loyalty', coalesce((
    select json_agg(json_build_object(
      'program', json_build_object('id', ${globalId('LoyaltyProgram', 'p.id')}, 'name', p.name, 'isDefault', p.is_default),
      'tier', json_build_object('id', ${globalId('Tier', 't.id')}, 'name', t.name, 'rank', t.rank),
      'pointsBalance', coalesce(l.balance, 0),
      'lifetimePoints', coalesce(l.lifetime, 0),
      'lifetimePurchases', le.lifetime_purchases) order by p.is_default desc, p.id)
    from loyalty_enrollment le
    join loyalty_program p on p.id = le.program_id
    join tier t on t.id = le.tier_id
    left join lateral (
      select sum(x.points) - coalesce(sum(x.points - coalesce((select sum(a.points) from points_allocation a where a.credit_entry_id = x.id), 0))
          filter (where x.points > 0 and x.expires_at <= now()), 0) as balance,
        sum(x.points) filter (where x.points > 0 and x.kind in ('EARN', 'GOODWILL', 'IMPORT')) as lifetime
      from points_ledger_entry x where x.org_id = le.org_id and x.customer_id = le.customer_id and x.program_id = le.program_id
    ) l on true
    where le.org_id = c.org_id and le.customer_id = c.id), '[]'::json),
  'cards', ${pagedConnection({
    from: 'card x',
    where: 'x.org_id = c.org_id and x.customer_id = c.id',
    order: 'x.id desc',
    first: 50,
    cursor: cursor('x.id', 'x.id'),
    shape: 'nodes',
    node: `json_build_object('id', ${globalId('Card', 'n.id')}, 'number', n.number, 'externalId', n.external_id,
      'status', (select json_build_object('label', csl.label, 'systemStatus', csl.system_status) from card_status_label csl where csl.id = n.status_label_id),
      'issuedAt', n.issued_at,
      'series', (select json_build_object('id', ${globalId('CardSeries', 'cs.id')}, 'code', cs.code, 'type', cs.type) from card_series cs where cs.id = n.series_id))`,
  })},
  'groups', coalesce((
    select json_agg(json_build_object('id', ${globalId('UserGroup', 'g.id')}, 'name', g.name) order by g.id)
    from user_group_member m join user_group g on g.id = m.group_id and g.org_id = m.org_id
    where m.org_id = c.org_id and m.customer_id = c.id), '[]'::json),
  'transactions', ${pagedConnection({
    from: '"transaction" x',
    where: 'x.org_id = c.org_id and x.customer_id = c.id and x.group_id is null',
    order: 'x.occurred_at desc, x.id desc',
    first: 20,
    cursor: cursor(isoUtcJson('x.occurred_at'), 'x.id'),
    shape: 'edges',
    node: `json_build_object('id', ${globalId('Transaction', 'n.id')}, 'billNumber', n.bill_number, 'amount', n.amount, 'occurredAt', n.occurred_at,
      'store', (select json_build_object('id', ${globalId('Store', 'st.id')}, 'code', st.code) from store st where st.id = n.store_id and st.org_id = n.org_id),
      'lineItems', coalesce((select json_agg(json_build_object('sku', li.sku, 'quantity', li.quantity, 'amount', li.amount) order by li.id)
        from transaction_line_item li where li.org_id = n.org_id and li.transaction_id = n.id), '[]'::json),
      'pointsIssued', coalesce((select json_agg(json_build_object('points', pe.points, 'expiresAt', pe.expires_at,
          'program', json_build_object('id', ${globalId('LoyaltyProgram', 'pp.id')}, 'name', pp.name)) order by pe.id)
        from points_ledger_entry pe join loyalty_program pp on pp.id = pe.program_id and pp.org_id = pe.org_id
        where pe.org_id = n.org_id and pe.transaction_id = n.id), '[]'::json))`,
  })},
  'badges', ${nodesOnly({
    from: 'earned_badge x',
    where: 'x.org_id = c.org_id and x.customer_id = c.id',
    order: 'x.earned_at desc, x.id desc',
    first: 20,
    node: `json_build_object('id', ${globalId('EarnedBadge', 'n.id')}, 'earnedAt', n.earned_at, 'expiresAt', n.expires_at,
      'badge', (select json_build_object('id', ${globalId('Badge', 'b.id')}, 'name', b.name, 'metaId', b.meta_id) from badge_definition b where b.id = n.badge_id))`,
  })},
  'incentives', ${nodesOnly({
    from: 'incentive x',
    where: 'x.org_id = c.org_id and x.holder_id = c.id',
    order: 'x.issued_at desc, x.id desc',
    first: 20,
    node: `json_build_object('id', ${globalId('Incentive', 'n.id')}, 'kind', n.kind, 'code', n.code, 'status', n.status, 'validUntil', n.valid_until,
      'series', (select json_build_object('id', ${globalId('IncentiveSeries', 's.id')}, 'code', s.code) from incentive_series s where s.id = n.series_id))`,
  })},
  'supplementaryMemberships', coalesce((
    select json_agg(json_build_object('id', ${globalId('ProgramMembership', 'pm.id')}, 'membershipId', pm.membership_id,
      'tierName', pm.tier_name, 'tierExpiresAt', pm.tier_expires_at, 'status', pm.status, 'startedAt', pm.started_at, 'endedAt', pm.ended_at,
      'lastUpdatedAt', pm.last_updated_at, 'lastActivity', pm.last_activity,
      'program', json_build_object('id', ${globalId('SupplementaryProgram', 'sp.id')}, 'name', sp.name, 'type', sp.type),
      'activityHistory', coalesce((select json_agg(json_build_object('kind', a.kind, 'description', a.description, 'occurredAt', a.occurred_at)
        order by a.occurred_at desc, a.id desc) from membership_activity a where a.org_id = pm.org_id and a.membership_id = pm.id), '[]'::json))
      order by pm.started_at desc, pm.id desc)
    from program_membership pm join supplementary_program sp on sp.id = pm.program_id and sp.org_id = pm.org_id
    where pm.org_id = c.org_id and pm.customer_id = c.id and pm.status = 'ACTIVE' and (pm.ended_at is null or pm.ended_at > now())), '[]'::json),
  'interactions', ${pagedConnection({
    from: 'interaction x',
    where: 'x.org_id = c.org_id and x.customer_id = c.id',
    order: 'x.sent_at desc, x.id desc',
    first: 20,
    cursor: cursor(isoUtcJson('x.sent_at'), 'x.id'),
    shape: 'nodes',
    node: `json_build_object('id', ${globalId('Interaction', 'n.id')}, 'channel', n.channel, 'senderId', n.sender_id, 'content', n.content,
      'status', n.status, 'sentAt', n.sent_at)`,
  })},
  'timeline', ${nodesOnly({
    from: 'timeline_event x',
    where: 'x.org_id = c.org_id and x.customer_id = c.id',
    order: 'x.occurred_at desc, x.id desc',
    first: 20,
    node: `json_build_object('id', ${globalId('TimelineEvent', 'n.id')}, 'type', n.type, 'summary', n.summary, 'occurredAt', n.occurred_at)`,
  })}
)::text as customer
from customer c
left join status_label sl on sl.id = c.status_label_id
left join store js on js.id = c.join_store_id
where c.id = $1 and c.org_id = $2`;

export interface FloorServerOptions {
  readonly databaseUrl: string;
  readonly orgId: number;
  readonly port: number;
  readonly host?: string;
  /** Same as the GraphQL server's ORM pool, so neither side wins on connection count. */
  readonly poolSize?: number;
}

export interface FloorServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Reads `variables.id` (a global `Customer:<n>` id) from the request body. */
export function customerIdFromBody(body: string): number | undefined {
  try {
    const parsed = JSON.parse(body) as { variables?: { id?: unknown } };
    const globalId = parsed.variables?.id;
    if (typeof globalId !== 'string') return undefined;
    const match = /^Customer:([1-9][0-9]{0,15})$/.exec(Buffer.from(globalId, 'base64url').toString('utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

function send(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function orgTimeZone(databaseUrl: string, orgId: number): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ time_zone: string }>('select time_zone from org where id = $1', [orgId]);
    if (!rows[0]) throw new Error(`Org ${orgId} not found`);
    return rows[0].time_zone;
  } finally {
    await client.end();
  }
}

export async function startFloorServer(options: FloorServerOptions): Promise<FloorServer> {
  // The session time zone makes PostgreSQL render every timestamptz with the org's offset, as the
  // GraphQL API does, at no cost per row.
  const timeZone = await orgTimeZone(options.databaseUrl, options.orgId);
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 20, options: `-c TimeZone=${timeZone}` });
  // A named query is prepared once per connection: each request then only binds and executes.
  const query = { name: 'floor_single_view', text: SINGLE_VIEW_SQL };

  const server = http.createServer((req, res) => {
    if (req.method !== 'POST') return send(res, 405, '{"errors":[{"message":"POST only"}]}');
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const id = customerIdFromBody(Buffer.concat(chunks).toString('utf8'));
      if (id === undefined) return send(res, 400, '{"errors":[{"message":"variables.id must be a Customer id"}]}');
      pool.query<{ customer: string }>({ ...query, values: [id, options.orgId] }).then(
        ({ rows }) => send(res, 200, `{"data":{"customer":${rows[0]?.customer ?? 'null'}},"extensions":{"sqlStatements":1}}`),
        (error: unknown) => send(res, 500, JSON.stringify({ errors: [{ message: error instanceof Error ? error.message : String(error) }] })),
      );
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // close() waits for idle keep-alive sockets otherwise.
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
  const server = await startFloorServer({ databaseUrl, orgId: Number(process.env.ORG_ID ?? 1), port: Number(process.env.PORT ?? 0) });
  console.log(`Floor server listening on ${server.port}`);
  const stop = (): void => void server.close().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error('Floor server failed:', error);
    process.exit(1);
  });
}
