import { ENROLMENT_POINTS, globalId, refusal, type Floor } from './floor-sql.js';

/**
 * The rewards page's floor: a customer's access token in `Authorization: Bearer …` (the body, the
 * same as the GraphQL server gets, is read and ignored) resolved to its customer and the whole
 * page in ONE statement, answering `{ data: { me } }` with `extensions.sqlStatements = 1`.
 *
 * The token is looked up where the authorization server keeps it, as its adapter and the API's
 * verifier do: oidc-provider stores an opaque access token under its value (`oauth_model`, kind
 * `AccessToken`, id = the token), and an expired row is no token. The customer is the token's
 * `accountId`, the org its client's (`oauth_client`), and the scopes those granted that the client
 * is still allowed. This floor serves one org (its session time zone is that org's): a token of
 * another org is refused like an unknown one.
 */

/** Bearer tokens outside these bounds are refused without a query, as the API's verifier does. */
const BEARER = /^Bearer ([A-Za-z0-9_-]{16,200})$/;

/** How far ahead `pointsExpiringSoon(withinDays: 30)` looks: 30 × 24 h, as the API counts days. */
const EXPIRING_WINDOW = `interval '720 hours'`;

/**
 * Field for field what `test/operations/RewardsPage.graphql` selects, with the API's filters,
 * orders and sums (loyaltyOf, expiringPointsOf, transactionsOfCustomer, campaignsOfCustomer with
 * the ACTIVE list's rules of campaign-rules.ts): $1 = token, $2 = org id. `may_read`: the token
 * may read `me` (profile), its points (points:read) and its campaigns (campaigns:read).
 *
 * Every campaign the ACTIVE list keeps is running, open to the customer and not completed, so its
 * progress status is IN_PROGRESS; percent is rounded down and stops at 99 short of completion.
 */
export const REWARDS_PAGE_SQL = `
with access as (
  select case when t.payload->>'accountId' ~ '^[0-9]{1,18}$' then (t.payload->>'accountId')::bigint end as customer_id, cl.org_id,
    string_to_array(t.payload->>'scope', ' ') @> array['profile', 'points:read', 'campaigns:read']
      and cl.allowed_scopes @> '["profile", "points:read", "campaigns:read"]'::jsonb as may_read
  from oauth_model t
  join oauth_client cl on cl.client_id = t.payload->>'clientId'
  where t.kind = 'AccessToken' and t.id = $1 and t.expires_at > now() and cl.org_id = $2
)
select a.may_read, case when c.id is null then null else json_build_object(
  'id', ${globalId('Customer', 'c.id')},
  'firstName', c.first_name,
  'loyalty', coalesce((
    select json_agg(json_build_object(
      'program', json_build_object('name', p.name),
      'tier', json_build_object('name', t.name),
      'pointsBalance', coalesce(l.balance, 0),
      'lifetimePoints', coalesce(l.lifetime, 0),
      'pointsExpiringSoon', json_build_object('points', coalesce(s.points, 0), 'earliestExpiresAt', s.earliest_expires_at)) order by p.is_default desc, p.id)
    from loyalty_enrollment le
    join loyalty_program p on p.id = le.program_id
    join tier t on t.id = le.tier_id
    ${ENROLMENT_POINTS}
    left join lateral (
      select sum(lot.points - lot.used) as points, min(lot.expires_at) as earliest_expires_at
      from (
        select x.points, x.expires_at, coalesce((select sum(a.points) from points_allocation a where a.credit_entry_id = x.id), 0) as used
        from points_ledger_entry x
        where x.org_id = le.org_id and x.customer_id = le.customer_id and x.program_id = le.program_id
          and x.points > 0 and x.expires_at > now() and x.expires_at <= now() + ${EXPIRING_WINDOW}
      ) lot
      where lot.points > lot.used
    ) s on true
    where le.org_id = c.org_id and le.customer_id = c.id), '[]'::json),
  'transactions', json_build_object('edges', coalesce((
    select json_agg(json_build_object('node', json_build_object(
      'billNumber', n.bill_number,
      'amount', n.amount,
      'occurredAt', n.occurred_at,
      'totalPoints', (select coalesce(sum(pe.points), 0) from points_ledger_entry pe where pe.org_id = n.org_id and pe.transaction_id = n.id),
      'store', (select json_build_object('name', st.name) from store st where st.id = n.store_id and st.org_id = n.org_id)))
      order by n.occurred_at desc, n.id desc)
    from (select x.* from "transaction" x where x.org_id = c.org_id and x.customer_id = c.id and x.group_id is null
      order by x.occurred_at desc, x.id desc limit 5) n), '[]'::json)),
  'campaigns', json_build_object('edges', coalesce((
    select json_agg(json_build_object('node', json_build_object(
      'id', ${globalId('Campaign', 'k.id')},
      'name', k.name,
      'endsAt', k.ends_at,
      'goal', json_build_object('kind', k.goal_kind, 'target', k.goal_target),
      'progress', json_build_object('value', k.value, 'target', k.goal_target, 'percent', least(99, floor(k.value * 100 / k.goal_target))::int, 'status', 'IN_PROGRESS')))
      order by k.id)
    from (
      select ca.id, ca.name, ca.ends_at, ca.goal_kind, ca.goal_target, coalesce(cp.value, 0) as value
      from campaign ca
      left join campaign_progress cp on cp.org_id = ca.org_id and cp.campaign_id = ca.id and cp.customer_id = c.id
      where ca.org_id = c.org_id and ca.starts_at <= now() and (ca.ends_at is null or ca.ends_at > now())
        and cp.completed_at is null and (not ca.requires_opt_in or cp.joined_at is not null)
        and ca.eligible_statuses @> to_jsonb(coalesce(sl.standard_status, 'ACTIVE')::text)
        and (ca.eligible_tier_ids is null or exists (
          select 1 from loyalty_enrollment e where e.org_id = ca.org_id and e.customer_id = c.id and ca.eligible_tier_ids @> to_jsonb(e.tier_id)))
        and (ca.joined_after is null or coalesce(c.joined_at, c.created_at) >= ca.joined_after)
        and (ca.joined_before is null or coalesce(c.joined_at, c.created_at) < ca.joined_before)
      order by ca.id limit 5) k), '[]'::json))
)::text end as me
from access a
left join customer c on c.org_id = a.org_id and c.id = a.customer_id
left join status_label sl on sl.id = c.status_label_id`;

export const REWARDS_PAGE_FLOOR: Floor = {
  name: 'floor_rewards_page',
  sql: REWARDS_PAGE_SQL,
  bind(req, _body, orgId) {
    const token = BEARER.exec(req.headers.authorization ?? '')?.[1];
    return token === undefined ? refusal(401, 'A customer access token is required') : [token, orgId];
  },
  answer(row) {
    if (!row) return refusal(401, 'Unknown or expired access token');
    if (row.may_read !== true) return refusal(403, 'The token may not read the rewards page');
    return { status: 200, body: `{"data":{"me":${(row.me as string | null) ?? 'null'}},"extensions":{"sqlStatements":1}}` };
  },
};
