import { Migration } from '@mikro-orm/migrations';

export class Migration20261123183135_loyalty_operations extends Migration {

  override name = 'Migration20261123183135_loyalty_operations';

  override up(): void | Promise<void> {
    this.addSql(`create table "idempotency_key" ("id" bigserial primary key, "org_id" bigint not null, "scope" varchar(64) not null, "key" varchar(200) not null, "request_hash" varchar(64) not null, "result_id" bigint null, "created_at" timestamptz(3) not null);`);
    this.addSql(`alter table "idempotency_key" add constraint "idempotency_key_org_id_scope_key_unique" unique ("org_id", "scope", "key");`);

    this.addSql(`create table "points_allocation" ("id" bigserial primary key, "org_id" bigint not null, "debit_entry_id" bigint not null, "credit_entry_id" bigint not null, "points" int not null, "created_at" timestamptz(3) not null);`);
    this.addSql(`create index "points_allocation_credit_entry_id_index" on "points_allocation" ("credit_entry_id");`);
    this.addSql(`alter table "points_allocation" add constraint "points_allocation_debit_entry_id_credit_entry_id_unique" unique ("debit_entry_id", "credit_entry_id");`);

    this.addSql(`alter table "org" add constraint "org_goodwill_points_cap_positive" check (goodwill_points_cap > 0);`);

    this.addSql(`drop index "incentive_redemption_incentive_id_index";`);
    // Existing redemptions are numbered per code in the order they happened, then the column is required.
    this.addSql(`alter table "incentive_redemption" add "sequence" int null;`);
    this.addSql(`update "incentive_redemption" r set "sequence" = n.seq from (select id, row_number() over (partition by incentive_id order by redeemed_at, id) as seq from "incentive_redemption") n where n.id = r.id;`);
    this.addSql(`alter table "incentive_redemption" alter column "sequence" set not null;`);
    this.addSql(`alter table "incentive_redemption" add constraint "incentive_redemption_incentive_id_sequence_unique" unique ("incentive_id", "sequence");`);
    this.addSql(`alter table "incentive_redemption" add constraint "incentive_redemption_sequence_positive" check (sequence >= 1);`);

    this.addSql(`alter table "earned_badge" add constraint "earned_badge_org_id_customer_id_badge_id_earned_at_unique" unique ("org_id", "customer_id", "badge_id", "earned_at");`);
    this.addSql(`alter table "earned_badge" add constraint "earned_badge_expires_after_earned" check (expires_at > earned_at);`);

    this.addSql(`alter table "card_series" add "next_number" bigint not null default '1';`);
    this.addSql(`alter table "card_series" add constraint "card_series_number_length_range" check (number_length is null or (number_length >= 1 and number_length <= 64));`);
    this.addSql(`alter table "card_series" add constraint "card_series_next_number_positive" check (next_number >= 1);`);

    this.addSql(`alter table "points_ledger_entry" add "expired_lot_id" bigint null;`);
    this.addSql(`alter table "points_ledger_entry" add constraint "points_ledger_entry_expired_lot_id_foreign" foreign key ("expired_lot_id") references "points_ledger_entry" ("id") on delete set null;`);
    this.addSql(`alter table "points_ledger_entry" add constraint "points_ledger_entry_expired_lot_id_unique" unique ("expired_lot_id");`);
    this.addSql(`create index "points_ledger_entry_lots_by_expiry" on "points_ledger_entry" ("expires_at") where "points" > 0 and "expires_at" is not null;`);
    this.addSql(`alter table "points_ledger_entry" add constraint "points_ledger_entry_sign_of_kind" check ((kind not in ('EARN', 'GOODWILL') or points > 0) and (kind not in ('REDEMPTION', 'EXPIRY') or points < 0));`);
    this.addSql(`alter table "points_ledger_entry" add constraint "points_ledger_entry_expiry_names_its_lot" check ((kind = 'EXPIRY') = (expired_lot_id is not null));`);

    this.addSql(`alter table "idempotency_key" add constraint "idempotency_key_org_id_foreign" foreign key ("org_id") references "org" ("id");`);

    this.addSql(`alter table "points_allocation" add constraint "points_allocation_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
    this.addSql(`alter table "points_allocation" add constraint "points_allocation_debit_entry_id_foreign" foreign key ("debit_entry_id") references "points_ledger_entry" ("id");`);
    this.addSql(`alter table "points_allocation" add constraint "points_allocation_credit_entry_id_foreign" foreign key ("credit_entry_id") references "points_ledger_entry" ("id");`);
    this.addSql(`alter table "points_allocation" add constraint "points_allocation_positive" check (points > 0);`);
    this.addSql(`create or replace function "points_allocation_append_only_fn"() returns trigger as \$\$ begin raise exception 'points_allocation is append-only: % is not allowed', tg_op; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "append_only" BEFORE UPDATE OR DELETE on "points_allocation" for each ROW execute function "points_allocation_append_only_fn"();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "idempotency_key" cascade;`);
    this.addSql(`drop trigger if exists "append_only" on "points_allocation";`);
    this.addSql(`drop function if exists "points_allocation_append_only_fn"();`);
    this.addSql(`drop table if exists "points_allocation" cascade;`);

    this.addSql(`alter table "points_ledger_entry" drop constraint "points_ledger_entry_expired_lot_id_foreign";`);

    this.addSql(`alter table "card_series" drop constraint "card_series_number_length_range";`);
    this.addSql(`alter table "card_series" drop constraint "card_series_next_number_positive";`);
    this.addSql(`alter table "card_series" drop column "next_number";`);

    this.addSql(`alter table "earned_badge" drop constraint "earned_badge_org_id_customer_id_badge_id_earned_at_unique";`);
    this.addSql(`alter table "earned_badge" drop constraint "earned_badge_expires_after_earned";`);

    this.addSql(`alter table "incentive_redemption" drop constraint "incentive_redemption_incentive_id_sequence_unique";`);
    this.addSql(`alter table "incentive_redemption" drop constraint "incentive_redemption_sequence_positive";`);
    this.addSql(`alter table "incentive_redemption" drop column "sequence";`);
    this.addSql(`create index "incentive_redemption_incentive_id_index" on "incentive_redemption" ("incentive_id");`);

    this.addSql(`alter table "org" drop constraint "org_goodwill_points_cap_positive";`);

    this.addSql(`alter table "points_ledger_entry" drop constraint "points_ledger_entry_expired_lot_id_unique";`);
    this.addSql(`drop index "points_ledger_entry_lots_by_expiry";`);
    this.addSql(`alter table "points_ledger_entry" drop constraint "points_ledger_entry_sign_of_kind";`);
    this.addSql(`alter table "points_ledger_entry" drop constraint "points_ledger_entry_expiry_names_its_lot";`);
    this.addSql(`alter table "points_ledger_entry" drop column "expired_lot_id";`);
  }

}
