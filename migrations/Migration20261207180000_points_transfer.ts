import { Migration } from '@mikro-orm/migrations';

/**
 * Points move between customers (`pointsTransfer`): TRANSFER_OUT debits the sender, TRANSFER_IN lots
 * credit the recipient and name the debit they came from; an org caps one transfer's points, and
 * both customers' timelines show it.
 */
export class Migration20261207180000_points_transfer extends Migration {

  override name = 'Migration20261207180000_points_transfer';

  override up(): void | Promise<void> {
    this.addSql(`alter table "org" add "points_transfer_cap" int not null default 10000;`);
    this.addSql(`alter table "org" add constraint "org_points_transfer_cap_positive" check (points_transfer_cap > 0);`);

    this.addSql(`alter table "timeline_event" drop constraint "timeline_event_type_check";`);
    this.addSql(`alter table "timeline_event" add constraint "timeline_event_type_check" check ("type" in ('JOINED', 'PURCHASED', 'POINTS_ISSUED', 'POINTS_REDEEMED', 'POINTS_EXPIRED', 'POINTS_TRANSFERRED_OUT', 'POINTS_TRANSFERRED_IN', 'TIER_UPGRADED', 'COUPON_REDEEMED', 'BADGE_EARNED', 'OPENED_EMAIL', 'STATUS_CHANGED'));`);

    this.addSql(`alter table "points_ledger_entry" drop constraint "points_ledger_entry_kind_check";`);
    this.addSql(`alter table "points_ledger_entry" drop constraint "points_ledger_entry_sign_of_kind";`);
    this.addSql(`alter table "points_ledger_entry" add "transfer_out_id" bigint null;`);
    this.addSql(`alter table "points_ledger_entry" add constraint "points_ledger_entry_transfer_out_id_foreign" foreign key ("transfer_out_id") references "points_ledger_entry" ("id") on delete set null;`);
    this.addSql(`create index "points_ledger_entry_transfer_out_id_index" on "points_ledger_entry" ("transfer_out_id") where "transfer_out_id" is not null;`);
    this.addSql(`alter table "points_ledger_entry" add constraint "points_ledger_entry_transfer_in_names_its_debit" check ((kind = 'TRANSFER_IN') = (transfer_out_id is not null));`);
    this.addSql(`alter table "points_ledger_entry" add constraint "points_ledger_entry_kind_check" check ("kind" in ('EARN', 'GOODWILL', 'REDEMPTION', 'EXPIRY', 'REVERSAL', 'IMPORT', 'TRANSFER_OUT', 'TRANSFER_IN'));`);
    this.addSql(`alter table "points_ledger_entry" add constraint "points_ledger_entry_sign_of_kind" check ((kind not in ('EARN', 'GOODWILL', 'TRANSFER_IN') or points > 0) and (kind not in ('REDEMPTION', 'EXPIRY', 'TRANSFER_OUT') or points < 0));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "points_ledger_entry" drop constraint "points_ledger_entry_transfer_out_id_foreign";`);

    this.addSql(`alter table "org" drop constraint "org_points_transfer_cap_positive";`);
    this.addSql(`alter table "org" drop column "points_transfer_cap";`);

    this.addSql(`drop index "points_ledger_entry_transfer_out_id_index";`);
    this.addSql(`alter table "points_ledger_entry" drop constraint "points_ledger_entry_transfer_in_names_its_debit";`);
    this.addSql(`alter table "points_ledger_entry" drop constraint "points_ledger_entry_sign_of_kind";`);
    this.addSql(`alter table "points_ledger_entry" drop constraint "points_ledger_entry_kind_check";`);
    this.addSql(`alter table "points_ledger_entry" drop column "transfer_out_id";`);
    this.addSql(`alter table "points_ledger_entry" add constraint "points_ledger_entry_sign_of_kind" check (((kind <> ALL (ARRAY['EARN'::text, 'GOODWILL'::text])) OR (points > 0)) AND ((kind <> ALL (ARRAY['REDEMPTION'::text, 'EXPIRY'::text])) OR (points < 0)));`);
    this.addSql(`alter table "points_ledger_entry" add constraint "points_ledger_entry_kind_check" check ("kind" in ('EARN', 'GOODWILL', 'REDEMPTION', 'EXPIRY', 'REVERSAL', 'IMPORT'));`);

    this.addSql(`alter table "timeline_event" drop constraint "timeline_event_type_check";`);
    this.addSql(`alter table "timeline_event" add constraint "timeline_event_type_check" check ("type" in ('JOINED', 'PURCHASED', 'POINTS_ISSUED', 'POINTS_REDEEMED', 'POINTS_EXPIRED', 'TIER_UPGRADED', 'COUPON_REDEEMED', 'BADGE_EARNED', 'OPENED_EMAIL', 'STATUS_CHANGED'));`);
  }

}
