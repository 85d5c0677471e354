import { Migration } from '@mikro-orm/migrations';

/** Consent may be kept for one org unit beside the org-wide one: one consent per scope (org-wide counted as one). */
export class Migration20261205065334_org_unit_consent extends Migration {

  override name = 'Migration20261205065334_org_unit_consent';

  override up(): void | Promise<void> {
    this.addSql(`alter table "channel_subscription" drop constraint "channel_subscription_org_id_customer_id_channel_p_3b858_unique";`);
    this.addSql(`alter table "channel_subscription" add "org_unit_id" bigint null;`);
    this.addSql(`alter table "channel_subscription" add constraint "channel_subscription_org_unit_id_foreign" foreign key ("org_unit_id") references "org_unit" ("id") on delete cascade;`);
    this.addSql(`create unique index "channel_subscription_scope_unique" on "channel_subscription" ("org_id", "customer_id", "channel", "priority", "account", "org_unit_id") nulls not distinct;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`delete from "channel_subscription" where "org_unit_id" is not null;`);
    this.addSql(`drop index "channel_subscription_scope_unique";`);
    this.addSql(`alter table "channel_subscription" drop constraint "channel_subscription_org_unit_id_foreign";`);
    this.addSql(`alter table "channel_subscription" drop column "org_unit_id";`);
    this.addSql(`alter table "channel_subscription" add constraint "channel_subscription_org_id_customer_id_channel_p_3b858_unique" unique ("org_id", "customer_id", "channel", "priority", "account");`);
  }

}
