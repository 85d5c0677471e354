import { cursor, ENROLMENT_POINTS, globalId, isoUtcJson, nodesOnly, pagedConnection, refusal, type Floor } from './floor-sql.js';

/**
 * The single view's floor: it takes the same request body as the GraphQL server
 * (`{ query, variables: { id } }`, the query being ignored), so both servers parse the same bytes,
 * and answers `{ data: { customer } }` with `extensions.sqlStatements = 1`.
 */

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
    ${ENROLMENT_POINTS}
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

/** Reads `variables.id` (a global `Customer:<n>` id) from the request body. */
export function customerIdFromBody(body: string): number | undefined {
  try {
    const parsed = JSON.parse(body) as { variables?: { id?: unknown } };
    const encoded = parsed.variables?.id;
    if (typeof encoded !== 'string') return undefined;
    const match = /^Customer:([1-9][0-9]{0,15})$/.exec(Buffer.from(encoded, 'base64url').toString('utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

export const SINGLE_VIEW_FLOOR: Floor = {
  name: 'floor_single_view',
  sql: SINGLE_VIEW_SQL,
  bind(_req, body, orgId) {
    const id = customerIdFromBody(body);
    return id === undefined ? refusal(400, 'variables.id must be a Customer id') : [id, orgId];
  },
  answer: (row) => ({ status: 200, body: `{"data":{"customer":${(row?.customer as string | undefined) ?? 'null'}},"extensions":{"sqlStatements":1}}` }),
};
