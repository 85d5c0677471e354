import { Migration } from '@mikro-orm/migrations';

export class Migration20261123190913_import_profiles extends Migration {

  override name = 'Migration20261123190913_import_profiles';

  override up(): void | Promise<void> {
    this.addSql(`create table "customer_lifecycle_event" ("id" bigserial primary key, "org_id" bigint not null, "customer_id" bigint not null, "source_id" varchar(100) not null, "activity" varchar(100) not null, "state" varchar(50) not null, "added_by" varchar(100) not null, "reference_id" varchar(100) not null, "updated_on" timestamptz(3) not null, "created_at" timestamptz(3) not null);`);
    this.addSql(`create index "customer_lifecycle_event_customer_id_updated_on_index" on "customer_lifecycle_event" ("customer_id", "updated_on");`);
    this.addSql(`alter table "customer_lifecycle_event" add constraint "customer_lifecycle_event_org_id_source_id_reference_id_unique" unique ("org_id", "source_id", "reference_id");`);

    this.addSql(`alter table "customer_lifecycle_event" add constraint "customer_lifecycle_event_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
    this.addSql(`alter table "customer_lifecycle_event" add constraint "customer_lifecycle_event_customer_id_foreign" foreign key ("customer_id") references "customer" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "customer_lifecycle_event" cascade;`);
  }

}
