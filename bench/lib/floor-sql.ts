import type http from 'node:http';

/**
 * What the floors share: the API's encodings (global ids, cursors) and connection shapes written
 * in SQL, and the shape of a floor (one prepared statement per request).
 */

/** A refusal or an answer: the HTTP status and the JSON body sent as is. */
export interface FloorReply {
  readonly status: number;
  readonly body: string;
}

/** One floor: a request's statement parameters (or a refusal), and the reply built from the one row. */
export interface Floor {
  /** The prepared statement's name: prepared once per connection. */
  readonly name: string;
  readonly sql: string;
  /** The statement's parameters, or a reply sent without a query. */
  bind(req: http.IncomingMessage, body: string, orgId: number): unknown[] | FloorReply;
  answer(row: Record<string, unknown> | undefined): FloorReply;
}

/** `{ errors: [{ message }] }` with a status. */
export function refusal(status: number, message: string): FloorReply {
  return { status, body: JSON.stringify({ errors: [{ message }] }) };
}

/** `Type:id` as the GraphQL API encodes global ids (base64url, no padding), in SQL. */
export function globalId(typeName: string, idColumn: string): string {
  return `rtrim(translate(encode(convert_to('${typeName}:' || ${idColumn}, 'UTF8'), 'base64'), '+/', '-_'), '=')`;
}

/** A Relay cursor as the API encodes it: base64url of the JSON `[sortValue, id]`. */
export function cursor(sortValueJson: string, idColumn: string): string {
  return `rtrim(translate(encode(convert_to('[' || ${sortValueJson} || ',' || ${idColumn} || ']', 'UTF8'), 'base64'), '+/', '-_'), '=')`;
}

/** A timestamptz as the JSON string `Date.toISOString()` gives (UTC, milliseconds): the API's cursor sort value. */
export function isoUtcJson(column: string): string {
  return `'"' || to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"'`;
}

/** The newest rows of one customer's list: `from` aliases the table `x`, `node` builds a row's JSON from alias `n`. */
export interface ListSpec {
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
export function nodesOnly(list: ListSpec): string {
  return `json_build_object('nodes', coalesce((select json_agg(${list.node} order by ${outer(list.order)})
    from (select x.* from ${list.from} where ${list.where} order by ${list.order} limit ${list.first}) n), '[]'::json))`;
}

/**
 * `{ pageInfo { hasNextPage endCursor }, nodes | edges { cursor node } }`: one row more than the
 * page is read to tell whether a next page exists, as the API does.
 */
export function pagedConnection(list: ListSpec & { readonly cursor: string; readonly shape: 'nodes' | 'edges' }): string {
  const item = list.shape === 'edges' ? `json_build_object('cursor', n.cursor, 'node', ${list.node})` : list.node;
  return `(select json_build_object(
      'pageInfo', json_build_object('hasNextPage', count(*) > ${list.first},
        'endCursor', (array_agg(n.cursor order by n.row_number desc) filter (where n.row_number <= ${list.first}))[1]),
      '${list.shape}', coalesce(json_agg(${item} order by n.row_number) filter (where n.row_number <= ${list.first}), '[]'::json))
    from (select x.*, ${list.cursor} as cursor, row_number() over (order by ${list.order}) as row_number
      from ${list.from} where ${list.where} order by ${list.order} limit ${list.first + 1}) n)`;
}

/**
 * An enrolment's (alias `le`) points as the API counts them, lateral alias `l`: `balance` (the
 * ledger's sum, less the rest of lots already due) and `lifetime` (credits earned, granted,
 * imported or rewarded by a campaign).
 */
export const ENROLMENT_POINTS = `left join lateral (
      select sum(x.points) - coalesce(sum(x.points - coalesce((select sum(a.points) from points_allocation a where a.credit_entry_id = x.id), 0))
          filter (where x.points > 0 and x.expires_at <= now()), 0) as balance,
        sum(x.points) filter (where x.points > 0 and x.kind in ('EARN', 'GOODWILL', 'IMPORT', 'CAMPAIGN')) as lifetime
      from points_ledger_entry x where x.org_id = le.org_id and x.customer_id = le.customer_id and x.program_id = le.program_id
    ) l on true`;
