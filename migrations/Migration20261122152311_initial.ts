import { Migration } from '@mikro-orm/migrations';

export class Migration20261122152311_initial extends Migration {

  override name = 'Migration20261122152311_initial';

  override up(): void | Promise<void> {
    this.addSql(`create table "org" ("id" bigserial primary key, "slug" varchar(64) not null, "name" varchar(200) not null, "time_zone" varchar(64) not null, "base_country" varchar(2) not null, "country_calling_code" varchar(4) not null, "mobile_regex" varchar(500) not null, "default_sender_id" varchar(64) not null, "goodwill_points_cap" int not null default 10000, "created_at" timestamptz(3) not null);`);
    this.addSql(`alter table "org" add constraint "org_slug_unique" unique ("slug");`);

    this.addSql(`create table "loyalty_program" ("id" bigserial primary key, "org_id" bigint not null, "name" varchar(200) not null, "is_default" boolean not null default false, "points_per_currency_unit" numeric(10,4) not null default 1, "points_expiry_days" int not null default 365, "created_at" timestamptz(3) not null);`);
    this.addSql(`create unique index "loyalty_program_one_default_per_org" on "loyalty_program" ("org_id") where "is_default";`);
    this.addSql(`alter table "loyalty_program" add constraint "loyalty_program_org_id_name_unique" unique ("org_id", "name");`);

    this.addSql(`create table "incentive_series" ("id" bigserial primary key, "org_id" bigint not null, "kind" text not null, "code" varchar(64) not null, "description" varchar(500) null, "valid_from" timestamptz(3) null, "valid_until" timestamptz(3) null, "redemption_from" timestamptz(3) null, "redemption_until" timestamptz(3) null, "max_redemptions_per_code" int not null default 1, "max_redemptions_per_customer" int null, "holder_only" boolean not null default true, "created_at" timestamptz(3) not null);`);
    this.addSql(`alter table "incentive_series" add constraint "incentive_series_org_id_code_unique" unique ("org_id", "code");`);

    this.addSql(`create table "card_status_label" ("id" bigserial primary key, "org_id" bigint not null, "label" varchar(100) not null, "system_status" text not null);`);
    this.addSql(`alter table "card_status_label" add constraint "card_status_label_org_id_label_unique" unique ("org_id", "label");`);

    this.addSql(`create table "campaign" ("id" bigserial primary key, "org_id" bigint not null, "code" varchar(64) not null, "name" varchar(200) not null, "description" varchar(1000) null, "starts_at" timestamptz(3) not null, "ends_at" timestamptz(3) null, "goal" int not null, "created_at" timestamptz(3) not null);`);
    this.addSql(`alter table "campaign" add constraint "campaign_org_id_code_unique" unique ("org_id", "code");`);

    this.addSql(`create table "badge_definition" ("id" bigserial primary key, "org_id" bigint not null, "meta_id" varchar(64) not null, "name" varchar(200) not null, "description" varchar(500) null, "created_at" timestamptz(3) not null);`);
    this.addSql(`alter table "badge_definition" add constraint "badge_definition_org_id_meta_id_unique" unique ("org_id", "meta_id");`);

    this.addSql(`create table "api_key" ("id" bigserial primary key, "org_id" bigint not null, "name" varchar(200) not null, "role" text not null, "key_hash" varchar(64) not null, "key_prefix" varchar(16) not null, "created_at" timestamptz(3) not null, "revoked_at" timestamptz(3) null);`);
    this.addSql(`alter table "api_key" add constraint "api_key_key_hash_unique" unique ("key_hash");`);

    this.addSql(`create table "org_unit" ("id" bigserial primary key, "org_id" bigint not null, "code" varchar(64) not null, "name" varchar(200) not null, "sender_ids" text[] not null default '{}');`);
    this.addSql(`alter table "org_unit" add constraint "org_unit_org_id_code_unique" unique ("org_id", "code");`);

    this.addSql(`create table "status_label" ("id" bigserial primary key, "org_id" bigint not null, "label" varchar(100) not null, "standard_status" text not null);`);
    this.addSql(`alter table "status_label" add constraint "status_label_org_id_label_unique" unique ("org_id", "label");`);

    this.addSql(`create table "store" ("id" bigserial primary key, "org_id" bigint not null, "org_unit_id" bigint null, "code" varchar(64) not null, "external_id" varchar(64) null, "name" varchar(200) not null);`);
    this.addSql(`alter table "store" add constraint "store_org_id_code_unique" unique ("org_id", "code");`);
    this.addSql(`alter table "store" add constraint "store_org_id_external_id_unique" unique ("org_id", "external_id");`);

    this.addSql(`create table "customer" ("id" bigserial primary key, "org_id" bigint not null, "first_name" varchar(100) null, "last_name" varchar(100) null, "mobile" varchar(20) null, "email" varchar(254) null, "joined_at" timestamptz(3) null, "join_store_id" bigint null, "status_label_id" bigint null, "status_reason" varchar(500) null, "fraud_status" text null, "fraud_reason" varchar(500) null, "custom_fields" jsonb not null default '{}', "extended_fields" jsonb not null default '{}', "parent_id" bigint null, "created_at" timestamptz(3) not null, "updated_at" timestamptz(3) not null);`);
    this.addSql(`create index "customer_org_id_last_name_first_name_index" on "customer" ("org_id", "last_name", "first_name");`);
    this.addSql(`create index "customer_org_id_parent_id_index" on "customer" ("org_id", "parent_id");`);
    this.addSql(`alter table "customer" add constraint "customer_org_id_mobile_unique" unique ("org_id", "mobile");`);
    this.addSql(`alter table "customer" add constraint "customer_org_id_email_unique" unique ("org_id", "email");`);

    this.addSql(`create table "interaction" ("id" bigserial primary key, "org_id" bigint not null, "customer_id" bigint not null, "channel" text not null, "sender_id" varchar(100) not null, "subject" varchar(500) null, "content" text not null, "status" text not null, "sent_at" timestamptz(3) not null, "delivered_at" timestamptz(3) null, "created_at" timestamptz(3) not null);`);
    this.addSql(`create index "interaction_org_id_customer_id_sent_at_index" on "interaction" ("org_id", "customer_id", "sent_at");`);

    this.addSql(`create table "incentive" ("id" bigserial primary key, "org_id" bigint not null, "series_id" bigint not null, "kind" text not null, "code" varchar(64) not null, "status" text not null default 'ACTIVE', "holder_id" bigint null, "valid_from" timestamptz(3) null, "valid_until" timestamptz(3) null, "redemption_count" int not null default 0, "issued_at" timestamptz(3) not null);`);
    this.addSql(`create index "incentive_holder_id_index" on "incentive" ("holder_id");`);
    this.addSql(`create index "incentive_series_id_index" on "incentive" ("series_id");`);
    this.addSql(`alter table "incentive" add constraint "incentive_org_id_kind_code_unique" unique ("org_id", "kind", "code");`);

    this.addSql(`create table "incentive_redemption" ("id" bigserial primary key, "org_id" bigint not null, "incentive_id" bigint not null, "customer_id" bigint not null, "transaction_number" varchar(100) not null, "bill_amount" numeric(14,2) not null, "store_id" bigint null, "redeemed_at" timestamptz(3) not null, "created_by" varchar(100) null, "created_at" timestamptz(3) not null);`);
    this.addSql(`create index "incentive_redemption_incentive_id_index" on "incentive_redemption" ("incentive_id");`);
    this.addSql(`create index "incentive_redemption_customer_id_index" on "incentive_redemption" ("customer_id");`);

    this.addSql(`create table "earned_badge" ("id" bigserial primary key, "org_id" bigint not null, "badge_id" bigint not null, "customer_id" bigint not null, "earned_at" timestamptz(3) not null, "expires_at" timestamptz(3) not null, "created_at" timestamptz(3) not null);`);
    this.addSql(`create index "earned_badge_customer_id_index" on "earned_badge" ("customer_id");`);

    this.addSql(`create table "customer_external_id" ("id" bigserial primary key, "org_id" bigint not null, "customer_id" bigint not null, "value" varchar(100) not null, "created_at" timestamptz(3) not null);`);
    this.addSql(`create index "customer_external_id_customer_id_index" on "customer_external_id" ("customer_id");`);
    this.addSql(`alter table "customer_external_id" add constraint "customer_external_id_org_id_value_unique" unique ("org_id", "value");`);

    this.addSql(`create table "channel_subscription" ("id" bigserial primary key, "org_id" bigint not null, "customer_id" bigint not null, "channel" text not null, "priority" text not null, "account" varchar(100) not null default '', "status" text not null, "updated_at" timestamptz(3) not null);`);
    this.addSql(`alter table "channel_subscription" add constraint "channel_subscription_org_id_customer_id_channel_p_3b858_unique" unique ("org_id", "customer_id", "channel", "priority", "account");`);

    this.addSql(`create table "campaign_progress" ("id" bigserial primary key, "org_id" bigint not null, "campaign_id" bigint not null, "customer_id" bigint not null, "progress" int not null default 0, "completed_at" timestamptz(3) null, "updated_at" timestamptz(3) not null);`);
    this.addSql(`create index "campaign_progress_customer_id_index" on "campaign_progress" ("customer_id");`);
    this.addSql(`alter table "campaign_progress" add constraint "campaign_progress_org_id_campaign_id_customer_id_unique" unique ("org_id", "campaign_id", "customer_id");`);

    this.addSql(`create table "card_series" ("id" bigserial primary key, "org_id" bigint not null, "code" varchar(50) not null, "description" varchar(500) null, "type" text not null, "prefix" varchar(20) not null default '', "suffix" varchar(20) not null default '', "number_length" int null, "auto_generate" boolean not null default false, "expiry_days" int null, "store_id" bigint null, "program_id" bigint not null, "created_at" timestamptz(3) not null);`);
    this.addSql(`alter table "card_series" add constraint "card_series_org_id_code_unique" unique ("org_id", "code");`);

    this.addSql(`create table "card" ("id" bigserial primary key, "org_id" bigint not null, "series_id" bigint not null, "number" varchar(64) not null, "external_id" varchar(64) null, "status_label_id" bigint not null, "customer_id" bigint null, "issued_at" timestamptz(3) null, "expires_at" timestamptz(3) null, "created_at" timestamptz(3) not null);`);
    this.addSql(`create index "card_customer_id_index" on "card" ("customer_id");`);
    this.addSql(`create index "card_series_id_index" on "card" ("series_id");`);
    this.addSql(`alter table "card" add constraint "card_org_id_number_unique" unique ("org_id", "number");`);
    this.addSql(`alter table "card" add constraint "card_org_id_external_id_unique" unique ("org_id", "external_id");`);

    this.addSql(`create table "supplementary_program" ("id" bigserial primary key, "org_id" bigint not null, "code" varchar(64) not null, "name" varchar(200) not null, "type" text not null, "created_at" timestamptz(3) not null);`);
    this.addSql(`alter table "supplementary_program" add constraint "supplementary_program_org_id_code_unique" unique ("org_id", "code");`);

    this.addSql(`create table "program_membership" ("id" bigserial primary key, "org_id" bigint not null, "program_id" bigint not null, "customer_id" bigint not null, "membership_id" varchar(100) not null, "tier_name" varchar(100) null, "tier_expires_at" timestamptz(3) null, "status" text not null default 'ACTIVE', "started_at" timestamptz(3) not null, "ended_at" timestamptz(3) null, "last_updated_at" timestamptz(3) not null, "last_activity" text not null, "last_activity_at" timestamptz(3) not null);`);
    this.addSql(`create index "program_membership_customer_id_index" on "program_membership" ("customer_id");`);
    this.addSql(`alter table "program_membership" add constraint "program_membership_org_id_program_id_membership_id_unique" unique ("org_id", "program_id", "membership_id");`);

    this.addSql(`create table "membership_activity" ("id" bigserial primary key, "org_id" bigint not null, "membership_id" bigint not null, "kind" text not null, "description" varchar(500) null, "tier_name" varchar(100) null, "occurred_at" timestamptz(3) not null);`);
    this.addSql(`create index "membership_activity_membership_id_occurred_at_index" on "membership_activity" ("membership_id", "occurred_at");`);

    this.addSql(`create table "tier" ("id" bigserial primary key, "org_id" bigint not null, "program_id" bigint not null, "name" varchar(100) not null, "rank" int not null, "purchase_threshold" numeric(14,2) not null default 0, "points_multiplier" numeric(6,3) not null default 1);`);
    this.addSql(`alter table "tier" add constraint "tier_org_id_program_id_name_unique" unique ("org_id", "program_id", "name");`);
    this.addSql(`alter table "tier" add constraint "tier_org_id_program_id_rank_unique" unique ("org_id", "program_id", "rank");`);

    this.addSql(`create table "till" ("id" bigserial primary key, "org_id" bigint not null, "store_id" bigint not null, "code" varchar(64) not null);`);
    this.addSql(`alter table "till" add constraint "till_org_id_code_unique" unique ("org_id", "code");`);

    this.addSql(`create table "timeline_event" ("id" bigserial primary key, "org_id" bigint not null, "customer_id" bigint not null, "type" text not null, "summary" varchar(500) not null, "data" jsonb not null default '{}', "occurred_at" timestamptz(3) not null);`);
    this.addSql(`create index "timeline_event_org_id_customer_id_occurred_at_index" on "timeline_event" ("org_id", "customer_id", "occurred_at");`);

    this.addSql(`create table "user_group" ("id" bigserial primary key, "org_id" bigint not null, "name" varchar(200) not null, "external_id" varchar(100) null, "primary_member_id" bigint not null, "created_at" timestamptz(3) not null);`);
    this.addSql(`alter table "user_group" add constraint "user_group_org_id_external_id_unique" unique ("org_id", "external_id");`);

    this.addSql(`create table "transaction" ("id" bigserial primary key, "org_id" bigint not null, "customer_id" bigint not null, "group_id" bigint null, "store_id" bigint null, "bill_number" varchar(100) not null, "bill_date" date not null, "amount" numeric(14,2) not null, "occurred_at" timestamptz(3) not null, "created_at" timestamptz(3) not null);`);
    this.addSql(`create index "transaction_org_id_customer_id_occurred_at_index" on "transaction" ("org_id", "customer_id", "occurred_at");`);
    this.addSql(`create index "transaction_org_id_group_id_occurred_at_index" on "transaction" ("org_id", "group_id", "occurred_at");`);
    this.addSql(`alter table "transaction" add constraint "transaction_org_id_store_id_bill_number_bill_date_unique" unique ("org_id", "store_id", "bill_number", "bill_date");`);

    this.addSql(`create table "transaction_line_item" ("id" bigserial primary key, "org_id" bigint not null, "transaction_id" bigint not null, "sku" varchar(100) not null, "description" varchar(500) null, "quantity" numeric(12,3) not null, "amount" numeric(14,2) not null);`);
    this.addSql(`create index "transaction_line_item_transaction_id_index" on "transaction_line_item" ("transaction_id");`);

    this.addSql(`create table "points_ledger_entry" ("id" bigserial primary key, "org_id" bigint not null, "program_id" bigint not null, "customer_id" bigint null, "group_id" bigint null, "transaction_id" bigint null, "kind" text not null, "points" int not null, "reason" varchar(500) null, "source" varchar(100) not null, "expires_at" timestamptz(3) null, "created_by" varchar(100) null, "created_at" timestamptz(3) not null);`);
    this.addSql(`create index "points_ledger_entry_org_id_customer_id_program_id_index" on "points_ledger_entry" ("org_id", "customer_id", "program_id");`);
    this.addSql(`create index "points_ledger_entry_org_id_group_id_program_id_index" on "points_ledger_entry" ("org_id", "group_id", "program_id");`);
    this.addSql(`create index "points_ledger_entry_transaction_id_index" on "points_ledger_entry" ("transaction_id");`);

    this.addSql(`create table "loyalty_enrollment" ("id" bigserial primary key, "org_id" bigint not null, "program_id" bigint not null, "customer_id" bigint null, "group_id" bigint null, "tier_id" bigint not null, "lifetime_purchases" numeric(16,2) not null default 0, "enrolled_at" timestamptz(3) not null);`);
    this.addSql(`create index "loyalty_enrollment_customer_id_index" on "loyalty_enrollment" ("customer_id");`);
    this.addSql(`create index "loyalty_enrollment_group_id_index" on "loyalty_enrollment" ("group_id");`);
    this.addSql(`alter table "loyalty_enrollment" add constraint "loyalty_enrollment_org_id_program_id_customer_id_unique" unique ("org_id", "program_id", "customer_id");`);
    this.addSql(`alter table "loyalty_enrollment" add constraint "loyalty_enrollment_org_id_program_id_group_id_unique" unique ("org_id", "program_id", "group_id");`);

    this.addSql(`create table "user_group_member" ("id" bigserial primary key, "org_id" bigint not null, "group_id" bigint not null, "customer_id" bigint not null, "joined_at" timestamptz(3) not null);`);
    this.addSql(`create index "user_group_member_customer_id_index" on "user_group_member" ("customer_id");`);
    this.addSql(`alter table "user_group_member" add constraint "user_group_member_org_id_group_id_customer_id_unique" unique ("org_id", "group_id", "customer_id");`);

    this.addSql(`alter table "loyalty_program" add constraint "loyalty_program_org_id_foreign" foreign key ("org_id") references "org" ("id");`);

    this.addSql(`alter table "incentive_series" add constraint "incentive_series_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
    this.addSql(`alter table "incentive_series" add constraint "incentive_series_kind_check" check ("kind" in ('COUPON', 'PROMO_CODE', 'GIFT_VOUCHER'));`);

    this.addSql(`alter table "card_status_label" add constraint "card_status_label_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
    this.addSql(`alter table "card_status_label" add constraint "card_status_label_system_status_check" check ("system_status" in ('NOT_ISSUED', 'ACTIVE', 'INACTIVE', 'DELETED', 'EXPIRED'));`);

    this.addSql(`alter table "campaign" add constraint "campaign_org_id_foreign" foreign key ("org_id") references "org" ("id");`);

    this.addSql(`alter table "badge_definition" add constraint "badge_definition_org_id_foreign" foreign key ("org_id") references "org" ("id");`);

    this.addSql(`alter table "api_key" add constraint "api_key_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
    this.addSql(`alter table "api_key" add constraint "api_key_role_check" check ("role" in ('ADMIN', 'MEMBER_CARE', 'INTEGRATION', 'VIEWER'));`);

    this.addSql(`alter table "org_unit" add constraint "org_unit_org_id_foreign" foreign key ("org_id") references "org" ("id");`);

    this.addSql(`alter table "status_label" add constraint "status_label_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
    this.addSql(`alter table "status_label" add constraint "status_label_standard_status_check" check ("standard_status" in ('ACTIVE', 'SUSPENDED', 'DELETED', 'FRAUD_SUSPECTED', 'FRAUD_CONFIRMED', 'INTERNAL'));`);

    this.addSql(`alter table "store" add constraint "store_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
    this.addSql(`alter table "store" add constraint "store_org_unit_id_foreign" foreign key ("org_unit_id") references "org_unit" ("id") on delete set null;`);

    this.addSql(`alter table "customer" add constraint "customer_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
    this.addSql(`alter table "customer" add constraint "customer_join_store_id_foreign" foreign key ("join_store_id") references "store" ("id") on delete set null;`);
    this.addSql(`alter table "customer" add constraint "customer_status_label_id_foreign" foreign key ("status_label_id") references "status_label" ("id") on delete set null;`);
    this.addSql(`alter table "customer" add constraint "customer_parent_id_foreign" foreign key ("parent_id") references "customer" ("id") on delete set null;`);
    this.addSql(`alter table "customer" add constraint "customer_fraud_status_check" check ("fraud_status" in ('INTERNAL', 'MARKED', 'CONFIRMED', 'RECONFIRMED', 'NOT_FRAUD'));`);

    this.addSql(`alter table "interaction" add constraint "interaction_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
    this.addSql(`alter table "interaction" add constraint "interaction_customer_id_foreign" foreign key ("customer_id") references "customer" ("id");`);
    this.addSql(`alter table "interaction" add constraint "interaction_channel_check" check ("channel" in ('SMS', 'EMAIL', 'PUSH', 'WHATSAPP', 'LINE'));`);
    this.addSql(`alter table "interaction" add constraint "interaction_status_check" check ("status" in ('QUEUED', 'SENT', 'DELIVERED', 'OPENED', 'FAILED'));`);

    this.addSql(`alter table "incentive" add constraint "incentive_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
    this.addSql(`alter table "incentive" add constraint "incentive_series_id_foreign" foreign key ("series_id") references "incentive_series" ("id");`);
    this.addSql(`alter table "incentive" add constraint "incentive_holder_id_foreign" foreign key ("holder_id") references "customer" ("id") on delete set null;`);
    this.addSql(`alter table "incentive" add constraint "incentive_redemption_count_nonnegative" check (redemption_count >= 0);`);
    this.addSql(`alter table "incentive" add constraint "incentive_kind_check" check ("kind" in ('COUPON', 'PROMO_CODE', 'GIFT_VOUCHER'));`);
    this.addSql(`alter table "incentive" add constraint "incentive_status_check" check ("status" in ('ACTIVE', 'REDEEMED', 'EXPIRED', 'REVOKED'));`);

    this.addSql(`alter table "incentive_redemption" add constraint "incentive_redemption_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
    this.addSql(`alter table "incentive_redemption" add constraint "incentive_redemption_incentive_id_foreign" foreign key ("incentive_id") references "incentive" ("id");`);
    this.addSql(`alter table "incentive_redemption" add constraint "incentive_redemption_customer_id_foreign" foreign key ("customer_id") references "customer" ("id");`);
    this.addSql(`alter table "incentive_redemption" add constraint "incentive_redemption_store_id_foreign" foreign key ("store_id") references "store" ("id") on delete set null;`);

    this.addSql(`alter table "earned_badge" add constraint "earned_badge_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
    this.addSql(`alter table "earned_badge" add constraint "earned_badge_badge_id_foreign" foreign key ("badge_id") references "badge_definition" ("id");`);
    this.addSql(`alter table "earned_badge" add constraint "earned_badge_customer_id_foreign" foreign key ("customer_id") references "customer" ("id");`);

    this.addSql(`alter table "customer_external_id" add constraint "customer_external_id_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
    this.addSql(`alter table "customer_external_id" add constraint "customer_external_id_customer_id_foreign" foreign key ("customer_id") references "customer" ("id");`);

    this.addSql(`alter table "channel_subscription" add constraint "channel_subscription_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
    this.addSql(`alter table "channel_subscription" add constraint "channel_subscription_customer_id_foreign" foreign key ("customer_id") references "customer" ("id");`);
    this.addSql(`alter table "channel_subscription" add constraint "channel_subscription_channel_check" check ("channel" in ('LINE', 'MOBILE', 'EMAIL', 'WHATSAPP', 'IOS', 'ANDROID', 'POSTMAIL', 'MOBILE_PUSH'));`);
    this.addSql(`alter table "channel_subscription" add constraint "channel_subscription_priority_check" check ("priority" in ('TRANS', 'BULK'));`);
    this.addSql(`alter table "channel_subscription" add constraint "channel_subscription_status_check" check ("status" in ('OPTIN', 'OPTOUT'));`);

    this.addSql(`alter table "campaign_progress" add constraint "campaign_progress_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
    this.addSql(`alter table "campaign_progress" add constraint "campaign_progress_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id");`);
    this.addSql(`alter table "campaign_progress" add constraint "campaign_progress_customer_id_foreign" foreign key ("customer_id") references "customer" ("id");`);

    this.addSql(`alter table "card_series" add constraint "card_series_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
    this.addSql(`alter table "card_series" add constraint "card_series_store_id_foreign" foreign key ("store_id") references "store" ("id") on delete set null;`);
    this.addSql(`alter table "card_series" add constraint "card_series_program_id_foreign" foreign key ("program_id") references "loyalty_program" ("id");`);
    this.addSql(`alter table "card_series" add constraint "card_series_type_check" check ("type" in ('PHYSICAL', 'DIGITAL'));`);

    this.addSql(`alter table "card" add constraint "card_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
    this.addSql(`alter table "card" add constraint "card_series_id_foreign" foreign key ("series_id") references "card_series" ("id");`);
    this.addSql(`alter table "card" add constraint "card_status_label_id_foreign" foreign key ("status_label_id") references "card_status_label" ("id");`);
    this.addSql(`alter table "card" add constraint "card_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on delete set null;`);

    this.addSql(`alter table "supplementary_program" add constraint "supplementary_program_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
    this.addSql(`alter table "supplementary_program" add constraint "supplementary_program_type_check" check ("type" in ('EXTERNAL', 'SUPPLEMENTARY'));`);

    this.addSql(`alter table "program_membership" add constraint "program_membership_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
    this.addSql(`alter table "program_membership" add constraint "program_membership_program_id_foreign" foreign key ("program_id") references "supplementary_program" ("id");`);
    this.addSql(`alter table "program_membership" add constraint "program_membership_customer_id_foreign" foreign key ("customer_id") references "customer" ("id");`);
    this.addSql(`alter table "program_membership" add constraint "program_membership_status_check" check ("status" in ('ACTIVE', 'ENDED'));`);
    this.addSql(`alter table "program_membership" add constraint "program_membership_last_activity_check" check ("last_activity" in ('JOINED', 'UPGRADED', 'DOWNGRADED', 'RENEWED', 'ENDED'));`);

    this.addSql(`alter table "membership_activity" add constraint "membership_activity_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
    this.addSql(`alter table "membership_activity" add constraint "membership_activity_membership_id_foreign" foreign key ("membership_id") references "program_membership" ("id");`);
    this.addSql(`alter table "membership_activity" add constraint "membership_activity_kind_check" check ("kind" in ('JOINED', 'UPGRADED', 'DOWNGRADED', 'RENEWED', 'ENDED'));`);

    this.addSql(`alter table "tier" add constraint "tier_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
    this.addSql(`alter table "tier" add constraint "tier_program_id_foreign" foreign key ("program_id") references "loyalty_program" ("id");`);

    this.addSql(`alter table "till" add constraint "till_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
    this.addSql(`alter table "till" add constraint "till_store_id_foreign" foreign key ("store_id") references "store" ("id");`);

    this.addSql(`alter table "timeline_event" add constraint "timeline_event_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
    this.addSql(`alter table "timeline_event" add constraint "timeline_event_customer_id_foreign" foreign key ("customer_id") references "customer" ("id");`);
    this.addSql(`alter table "timeline_event" add constraint "timeline_event_type_check" check ("type" in ('JOINED', 'PURCHASED', 'POINTS_ISSUED', 'POINTS_REDEEMED', 'POINTS_EXPIRED', 'TIER_UPGRADED', 'COUPON_REDEEMED', 'BADGE_EARNED', 'OPENED_EMAIL', 'STATUS_CHANGED'));`);

    this.addSql(`alter table "user_group" add constraint "user_group_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
    this.addSql(`alter table "user_group" add constraint "user_group_primary_member_id_foreign" foreign key ("primary_member_id") references "customer" ("id");`);

    this.addSql(`alter table "transaction" add constraint "transaction_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
    this.addSql(`alter table "transaction" add constraint "transaction_customer_id_foreign" foreign key ("customer_id") references "customer" ("id");`);
    this.addSql(`alter table "transaction" add constraint "transaction_group_id_foreign" foreign key ("group_id") references "user_group" ("id") on delete set null;`);
    this.addSql(`alter table "transaction" add constraint "transaction_store_id_foreign" foreign key ("store_id") references "store" ("id") on delete set null;`);

    this.addSql(`alter table "transaction_line_item" add constraint "transaction_line_item_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
    this.addSql(`alter table "transaction_line_item" add constraint "transaction_line_item_transaction_id_foreign" foreign key ("transaction_id") references "transaction" ("id");`);

    this.addSql(`alter table "points_ledger_entry" add constraint "points_ledger_entry_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
    this.addSql(`alter table "points_ledger_entry" add constraint "points_ledger_entry_program_id_foreign" foreign key ("program_id") references "loyalty_program" ("id");`);
    this.addSql(`alter table "points_ledger_entry" add constraint "points_ledger_entry_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on delete set null;`);
    this.addSql(`alter table "points_ledger_entry" add constraint "points_ledger_entry_group_id_foreign" foreign key ("group_id") references "user_group" ("id") on delete set null;`);
    this.addSql(`alter table "points_ledger_entry" add constraint "points_ledger_entry_transaction_id_foreign" foreign key ("transaction_id") references "transaction" ("id") on delete set null;`);
    this.addSql(`alter table "points_ledger_entry" add constraint "points_ledger_entry_one_owner" check ((customer_id is null) <> (group_id is null));`);
    this.addSql(`alter table "points_ledger_entry" add constraint "points_ledger_entry_nonzero" check (points <> 0);`);
    this.addSql(`alter table "points_ledger_entry" add constraint "points_ledger_entry_kind_check" check ("kind" in ('EARN', 'GOODWILL', 'REDEMPTION', 'EXPIRY', 'REVERSAL', 'IMPORT'));`);
    this.addSql(`create or replace function "points_ledger_entry_append_only_fn"() returns trigger as \$\$ begin raise exception 'points_ledger_entry is append-only: % is not allowed', tg_op; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "append_only" BEFORE UPDATE OR DELETE on "points_ledger_entry" for each ROW execute function "points_ledger_entry_append_only_fn"();`);

    this.addSql(`alter table "loyalty_enrollment" add constraint "loyalty_enrollment_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
    this.addSql(`alter table "loyalty_enrollment" add constraint "loyalty_enrollment_program_id_foreign" foreign key ("program_id") references "loyalty_program" ("id");`);
    this.addSql(`alter table "loyalty_enrollment" add constraint "loyalty_enrollment_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on delete set null;`);
    this.addSql(`alter table "loyalty_enrollment" add constraint "loyalty_enrollment_group_id_foreign" foreign key ("group_id") references "user_group" ("id") on delete set null;`);
    this.addSql(`alter table "loyalty_enrollment" add constraint "loyalty_enrollment_tier_id_foreign" foreign key ("tier_id") references "tier" ("id");`);
    this.addSql(`alter table "loyalty_enrollment" add constraint "loyalty_enrollment_one_owner" check ((customer_id is null) <> (group_id is null));`);

    this.addSql(`alter table "user_group_member" add constraint "user_group_member_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
    this.addSql(`alter table "user_group_member" add constraint "user_group_member_group_id_foreign" foreign key ("group_id") references "user_group" ("id");`);
    this.addSql(`alter table "user_group_member" add constraint "user_group_member_customer_id_foreign" foreign key ("customer_id") references "customer" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "loyalty_program" drop constraint "loyalty_program_org_id_foreign";`);
    this.addSql(`alter table "incentive_series" drop constraint "incentive_series_org_id_foreign";`);
    this.addSql(`alter table "card_status_label" drop constraint "card_status_label_org_id_foreign";`);
    this.addSql(`alter table "campaign" drop constraint "campaign_org_id_foreign";`);
    this.addSql(`alter table "badge_definition" drop constraint "badge_definition_org_id_foreign";`);
    this.addSql(`alter table "api_key" drop constraint "api_key_org_id_foreign";`);
    this.addSql(`alter table "org_unit" drop constraint "org_unit_org_id_foreign";`);
    this.addSql(`alter table "status_label" drop constraint "status_label_org_id_foreign";`);
    this.addSql(`alter table "store" drop constraint "store_org_id_foreign";`);
    this.addSql(`alter table "customer" drop constraint "customer_org_id_foreign";`);
    this.addSql(`alter table "interaction" drop constraint "interaction_org_id_foreign";`);
    this.addSql(`alter table "incentive" drop constraint "incentive_org_id_foreign";`);
    this.addSql(`alter table "incentive_redemption" drop constraint "incentive_redemption_org_id_foreign";`);
    this.addSql(`alter table "earned_badge" drop constraint "earned_badge_org_id_foreign";`);
    this.addSql(`alter table "customer_external_id" drop constraint "customer_external_id_org_id_foreign";`);
    this.addSql(`alter table "channel_subscription" drop constraint "channel_subscription_org_id_foreign";`);
    this.addSql(`alter table "campaign_progress" drop constraint "campaign_progress_org_id_foreign";`);
    this.addSql(`alter table "card_series" drop constraint "card_series_org_id_foreign";`);
    this.addSql(`alter table "card" drop constraint "card_org_id_foreign";`);
    this.addSql(`alter table "supplementary_program" drop constraint "supplementary_program_org_id_foreign";`);
    this.addSql(`alter table "program_membership" drop constraint "program_membership_org_id_foreign";`);
    this.addSql(`alter table "membership_activity" drop constraint "membership_activity_org_id_foreign";`);
    this.addSql(`alter table "tier" drop constraint "tier_org_id_foreign";`);
    this.addSql(`alter table "till" drop constraint "till_org_id_foreign";`);
    this.addSql(`alter table "timeline_event" drop constraint "timeline_event_org_id_foreign";`);
    this.addSql(`alter table "user_group" drop constraint "user_group_org_id_foreign";`);
    this.addSql(`alter table "transaction" drop constraint "transaction_org_id_foreign";`);
    this.addSql(`alter table "transaction_line_item" drop constraint "transaction_line_item_org_id_foreign";`);
    this.addSql(`alter table "points_ledger_entry" drop constraint "points_ledger_entry_org_id_foreign";`);
    this.addSql(`alter table "loyalty_enrollment" drop constraint "loyalty_enrollment_org_id_foreign";`);
    this.addSql(`alter table "user_group_member" drop constraint "user_group_member_org_id_foreign";`);
    this.addSql(`alter table "card_series" drop constraint "card_series_program_id_foreign";`);
    this.addSql(`alter table "tier" drop constraint "tier_program_id_foreign";`);
    this.addSql(`alter table "points_ledger_entry" drop constraint "points_ledger_entry_program_id_foreign";`);
    this.addSql(`alter table "loyalty_enrollment" drop constraint "loyalty_enrollment_program_id_foreign";`);
    this.addSql(`alter table "incentive" drop constraint "incentive_series_id_foreign";`);
    this.addSql(`alter table "card" drop constraint "card_status_label_id_foreign";`);
    this.addSql(`alter table "campaign_progress" drop constraint "campaign_progress_campaign_id_foreign";`);
    this.addSql(`alter table "earned_badge" drop constraint "earned_badge_badge_id_foreign";`);
    this.addSql(`alter table "store" drop constraint "store_org_unit_id_foreign";`);
    this.addSql(`alter table "customer" drop constraint "customer_status_label_id_foreign";`);
    this.addSql(`alter table "customer" drop constraint "customer_join_store_id_foreign";`);
    this.addSql(`alter table "incentive_redemption" drop constraint "incentive_redemption_store_id_foreign";`);
    this.addSql(`alter table "card_series" drop constraint "card_series_store_id_foreign";`);
    this.addSql(`alter table "till" drop constraint "till_store_id_foreign";`);
    this.addSql(`alter table "transaction" drop constraint "transaction_store_id_foreign";`);
    this.addSql(`alter table "customer" drop constraint "customer_parent_id_foreign";`);
    this.addSql(`alter table "interaction" drop constraint "interaction_customer_id_foreign";`);
    this.addSql(`alter table "incentive" drop constraint "incentive_holder_id_foreign";`);
    this.addSql(`alter table "incentive_redemption" drop constraint "incentive_redemption_customer_id_foreign";`);
    this.addSql(`alter table "earned_badge" drop constraint "earned_badge_customer_id_foreign";`);
    this.addSql(`alter table "customer_external_id" drop constraint "customer_external_id_customer_id_foreign";`);
    this.addSql(`alter table "channel_subscription" drop constraint "channel_subscription_customer_id_foreign";`);
    this.addSql(`alter table "campaign_progress" drop constraint "campaign_progress_customer_id_foreign";`);
    this.addSql(`alter table "card" drop constraint "card_customer_id_foreign";`);
    this.addSql(`alter table "program_membership" drop constraint "program_membership_customer_id_foreign";`);
    this.addSql(`alter table "timeline_event" drop constraint "timeline_event_customer_id_foreign";`);
    this.addSql(`alter table "user_group" drop constraint "user_group_primary_member_id_foreign";`);
    this.addSql(`alter table "transaction" drop constraint "transaction_customer_id_foreign";`);
    this.addSql(`alter table "points_ledger_entry" drop constraint "points_ledger_entry_customer_id_foreign";`);
    this.addSql(`alter table "loyalty_enrollment" drop constraint "loyalty_enrollment_customer_id_foreign";`);
    this.addSql(`alter table "user_group_member" drop constraint "user_group_member_customer_id_foreign";`);
    this.addSql(`alter table "incentive_redemption" drop constraint "incentive_redemption_incentive_id_foreign";`);
    this.addSql(`alter table "card" drop constraint "card_series_id_foreign";`);
    this.addSql(`alter table "program_membership" drop constraint "program_membership_program_id_foreign";`);
    this.addSql(`alter table "membership_activity" drop constraint "membership_activity_membership_id_foreign";`);
    this.addSql(`alter table "loyalty_enrollment" drop constraint "loyalty_enrollment_tier_id_foreign";`);
    this.addSql(`alter table "transaction" drop constraint "transaction_group_id_foreign";`);
    this.addSql(`alter table "points_ledger_entry" drop constraint "points_ledger_entry_group_id_foreign";`);
    this.addSql(`alter table "loyalty_enrollment" drop constraint "loyalty_enrollment_group_id_foreign";`);
    this.addSql(`alter table "user_group_member" drop constraint "user_group_member_group_id_foreign";`);
    this.addSql(`alter table "transaction_line_item" drop constraint "transaction_line_item_transaction_id_foreign";`);
    this.addSql(`alter table "points_ledger_entry" drop constraint "points_ledger_entry_transaction_id_foreign";`);

    this.addSql(`drop table if exists "org" cascade;`);
    this.addSql(`drop table if exists "loyalty_program" cascade;`);
    this.addSql(`drop table if exists "incentive_series" cascade;`);
    this.addSql(`drop table if exists "card_status_label" cascade;`);
    this.addSql(`drop table if exists "campaign" cascade;`);
    this.addSql(`drop table if exists "badge_definition" cascade;`);
    this.addSql(`drop table if exists "api_key" cascade;`);
    this.addSql(`drop table if exists "org_unit" cascade;`);
    this.addSql(`drop table if exists "status_label" cascade;`);
    this.addSql(`drop table if exists "store" cascade;`);
    this.addSql(`drop table if exists "customer" cascade;`);
    this.addSql(`drop table if exists "interaction" cascade;`);
    this.addSql(`drop table if exists "incentive" cascade;`);
    this.addSql(`drop table if exists "incentive_redemption" cascade;`);
    this.addSql(`drop table if exists "earned_badge" cascade;`);
    this.addSql(`drop table if exists "customer_external_id" cascade;`);
    this.addSql(`drop table if exists "channel_subscription" cascade;`);
    this.addSql(`drop table if exists "campaign_progress" cascade;`);
    this.addSql(`drop table if exists "card_series" cascade;`);
    this.addSql(`drop table if exists "card" cascade;`);
    this.addSql(`drop table if exists "supplementary_program" cascade;`);
    this.addSql(`drop table if exists "program_membership" cascade;`);
    this.addSql(`drop table if exists "membership_activity" cascade;`);
    this.addSql(`drop table if exists "tier" cascade;`);
    this.addSql(`drop table if exists "till" cascade;`);
    this.addSql(`drop table if exists "timeline_event" cascade;`);
    this.addSql(`drop table if exists "user_group" cascade;`);
    this.addSql(`drop table if exists "transaction" cascade;`);
    this.addSql(`drop table if exists "transaction_line_item" cascade;`);
    this.addSql(`drop trigger if exists "append_only" on "points_ledger_entry";`);
    this.addSql(`drop function if exists "points_ledger_entry_append_only_fn"();`);
    this.addSql(`drop table if exists "points_ledger_entry" cascade;`);
    this.addSql(`drop table if exists "loyalty_enrollment" cascade;`);
    this.addSql(`drop table if exists "user_group_member" cascade;`);
  }

}
