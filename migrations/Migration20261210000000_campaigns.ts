import { Migration } from '@mikro-orm/migrations';

/**
 * Campaigns get their rules (eligibility, opt-in, a goal of spend, visits or points, a reward in
 * points) and progress its value and opt-in; a completed campaign's reward is a CAMPAIGN ledger
 * entry, at most one per campaign and customer, and a CAMPAIGN_COMPLETED timeline event. No
 * release wrote either table before this one, so their new required columns need no backfill.
 */
export class Migration20261210000000_campaigns extends Migration {

  override name = 'Migration20261210000000_campaigns';

  override up(): void | Promise<void> {
    this.addSql(`alter table "campaign" drop column "goal";`);
    this.addSql(`alter table "campaign" add "requires_opt_in" boolean not null default false, add "eligible_tier_ids" jsonb null, add "eligible_statuses" jsonb not null, add "joined_after" timestamptz(3) null, add "joined_before" timestamptz(3) null, add "goal_kind" text not null, add "goal_target" numeric(16,2) not null, add "reward_program_id" bigint not null, add "reward_points" int not null, add "updated_at" timestamptz(3) not null;`);
    this.addSql(`alter table "campaign" add constraint "campaign_reward_program_id_foreign" foreign key ("reward_program_id") references "loyalty_program" ("id");`);
    this.addSql(`alter table "campaign" add constraint "campaign_window" check (ends_at is null or ends_at >= starts_at);`);
    this.addSql(`alter table "campaign" add constraint "campaign_goal_target_positive" check (goal_target > 0);`);
    this.addSql(`alter table "campaign" add constraint "campaign_reward_points_positive" check (reward_points > 0);`);
    this.addSql(`alter table "campaign" add constraint "campaign_goal_kind_check" check ("goal_kind" in ('SPEND', 'VISITS', 'POINTS'));`);

    this.addSql(`alter table "campaign_progress" drop column "progress";`);
    this.addSql(`alter table "campaign_progress" add "value" numeric(16,2) not null default 0, add "joined_at" timestamptz(3) null;`);
    this.addSql(`alter table "campaign_progress" add constraint "campaign_progress_value_not_negative" check (value >= 0);`);

    this.addSql(`alter table "timeline_event" drop constraint "timeline_event_type_check";`);
    this.addSql(`alter table "timeline_event" add constraint "timeline_event_type_check" check ("type" in ('JOINED', 'PURCHASED', 'POINTS_ISSUED', 'POINTS_REDEEMED', 'POINTS_EXPIRED', 'POINTS_TRANSFERRED_OUT', 'POINTS_TRANSFERRED_IN', 'TIER_UPGRADED', 'COUPON_REDEEMED', 'BADGE_EARNED', 'OPENED_EMAIL', 'STATUS_CHANGED', 'CAMPAIGN_COMPLETED'));`);

    this.addSql(`alter table "points_ledger_entry" drop constraint "points_ledger_entry_kind_check";`);
    this.addSql(`alter table "points_ledger_entry" drop constraint "points_ledger_entry_sign_of_kind";`);
    this.addSql(`alter table "points_ledger_entry" add "campaign_id" bigint null;`);
    this.addSql(`alter table "points_ledger_entry" add constraint "points_ledger_entry_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id") on delete set null;`);
    this.addSql(`create unique index "points_ledger_entry_campaign_reward_once" on "points_ledger_entry" ("campaign_id", "customer_id") where "campaign_id" is not null;`);
    this.addSql(`alter table "points_ledger_entry" add constraint "points_ledger_entry_campaign_names_its_campaign" check ((kind = 'CAMPAIGN') = (campaign_id is not null and customer_id is not null));`);
    this.addSql(`alter table "points_ledger_entry" add constraint "points_ledger_entry_kind_check" check ("kind" in ('EARN', 'GOODWILL', 'REDEMPTION', 'EXPIRY', 'REVERSAL', 'IMPORT', 'TRANSFER_OUT', 'TRANSFER_IN', 'CAMPAIGN'));`);
    this.addSql(`alter table "points_ledger_entry" add constraint "points_ledger_entry_sign_of_kind" check ((kind not in ('EARN', 'GOODWILL', 'TRANSFER_IN', 'CAMPAIGN') or points > 0) and (kind not in ('REDEMPTION', 'EXPIRY', 'TRANSFER_OUT') or points < 0));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "campaign" drop constraint "campaign_reward_program_id_foreign";`);

    this.addSql(`alter table "points_ledger_entry" drop constraint "points_ledger_entry_campaign_id_foreign";`);

    this.addSql(`alter table "campaign" drop constraint "campaign_window";`);
    this.addSql(`alter table "campaign" drop constraint "campaign_goal_target_positive";`);
    this.addSql(`alter table "campaign" drop constraint "campaign_reward_points_positive";`);
    this.addSql(`alter table "campaign" drop constraint "campaign_goal_kind_check";`);
    this.addSql(`alter table "campaign" drop column "requires_opt_in", drop column "eligible_tier_ids", drop column "eligible_statuses", drop column "joined_after", drop column "joined_before", drop column "goal_kind", drop column "goal_target", drop column "reward_program_id", drop column "reward_points", drop column "updated_at";`);
    this.addSql(`alter table "campaign" add "goal" int not null default 0;`);

    this.addSql(`alter table "campaign_progress" drop constraint "campaign_progress_value_not_negative";`);
    this.addSql(`alter table "campaign_progress" drop column "value", drop column "joined_at";`);
    this.addSql(`alter table "campaign_progress" add "progress" int not null default 0;`);

    this.addSql(`drop index "points_ledger_entry_campaign_reward_once";`);
    this.addSql(`alter table "points_ledger_entry" drop constraint "points_ledger_entry_campaign_names_its_campaign";`);
    this.addSql(`alter table "points_ledger_entry" drop constraint "points_ledger_entry_sign_of_kind";`);
    this.addSql(`alter table "points_ledger_entry" drop constraint "points_ledger_entry_kind_check";`);
    this.addSql(`alter table "points_ledger_entry" drop column "campaign_id";`);
    this.addSql(`alter table "points_ledger_entry" add constraint "points_ledger_entry_sign_of_kind" check (((kind <> ALL (ARRAY['EARN'::text, 'GOODWILL'::text, 'TRANSFER_IN'::text])) OR (points > 0)) AND ((kind <> ALL (ARRAY['REDEMPTION'::text, 'EXPIRY'::text, 'TRANSFER_OUT'::text])) OR (points < 0)));`);
    this.addSql(`alter table "points_ledger_entry" add constraint "points_ledger_entry_kind_check" check ("kind" in ('EARN', 'GOODWILL', 'REDEMPTION', 'EXPIRY', 'REVERSAL', 'IMPORT', 'TRANSFER_OUT', 'TRANSFER_IN'));`);

    this.addSql(`alter table "timeline_event" drop constraint "timeline_event_type_check";`);
    this.addSql(`alter table "timeline_event" add constraint "timeline_event_type_check" check ("type" in ('JOINED', 'PURCHASED', 'POINTS_ISSUED', 'POINTS_REDEEMED', 'POINTS_EXPIRED', 'POINTS_TRANSFERRED_OUT', 'POINTS_TRANSFERRED_IN', 'TIER_UPGRADED', 'COUPON_REDEEMED', 'BADGE_EARNED', 'OPENED_EMAIL', 'STATUS_CHANGED'));`);
  }

}
