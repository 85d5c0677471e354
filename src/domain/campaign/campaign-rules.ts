/*
 * The rules that say which campaigns a customer takes part in, as SQL over a campaign `c` and a
 * customer `cu`, written once: purchases (`advanceCampaigns`), `campaignJoin`, progress reads and
 * the customer's campaign lists all judge by these.
 */

/** Campaign `c` is running at the instant bound by `runningAt`: started, and not ended (also: a purchase at that instant lies in its window). */
export const RUNNING_AT = `c.starts_at <= ?::timestamptz and (c.ends_at is null or c.ends_at > ?::timestamptz)`;

/** The parameters of `RUNNING_AT` for `instant`. */
export function runningAt(instant: Date): [Date, Date] {
  return [instant, instant];
}

/** The standard status of customer `cu` (no status label reads as ACTIVE). */
const STANDARD_STATUS = `coalesce((select sl.standard_status from status_label sl where sl.id = cu.status_label_id), 'ACTIVE')`;

/**
 * Customer `cu` meets campaign `c`'s eligibility as it stands: one of its standard statuses, one of
 * its tiers in any of the org's programs (when it names tiers), and a join date (their
 * `joinedAt`, or when their record was created) within its bounds. No parameters.
 */
export const ELIGIBLE = `(c.eligible_statuses @> to_jsonb(${STANDARD_STATUS}::text)
  and (c.eligible_tier_ids is null or exists (
    select 1 from loyalty_enrollment e where e.org_id = c.org_id and e.customer_id = cu.id and c.eligible_tier_ids @> to_jsonb(e.tier_id)))
  and (c.joined_after is null or coalesce(cu.joined_at, cu.created_at) >= c.joined_after)
  and (c.joined_before is null or coalesce(cu.joined_at, cu.created_at) < c.joined_before))`;

/** Customer `cu` takes part in campaign `c` (progress `cp`, left-joined): open to all, or joined. No parameters. */
export const TAKING_PART = `(not c.requires_opt_in or cp.joined_at is not null)`;
