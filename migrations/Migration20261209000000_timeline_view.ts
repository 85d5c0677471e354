import { Migration } from '@mikro-orm/migrations';

/**
 * Named timeline views an org configures (event types and a window of days), read as
 * `Customer.timelineView(name)`: the name is unique in its org, and the unique index serves the
 * lookup by name.
 */
export class Migration20261209000000_timeline_view extends Migration {

  override name = 'Migration20261209000000_timeline_view';

  override up(): void | Promise<void> {
    this.addSql(`create table "timeline_view" ("id" bigserial primary key, "org_id" bigint not null, "name" varchar(100) not null, "event_types" jsonb not null, "window_days" int not null, "created_at" timestamptz(3) not null);`);
    this.addSql(`alter table "timeline_view" add constraint "timeline_view_org_id_name_unique" unique ("org_id", "name");`);
    this.addSql(`alter table "timeline_view" add constraint "timeline_view_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "timeline_view" cascade;`);
  }

}
