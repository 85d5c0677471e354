import { Migration } from '@mikro-orm/migrations';

export class Migration20261123180853_audit extends Migration {

  override name = 'Migration20261123180853_audit';

  override up(): void | Promise<void> {
    this.addSql(`create table "audit_entry" ("id" bigserial primary key, "org_id" bigint not null, "actor" varchar(100) not null, "action" varchar(100) not null, "subject_type" varchar(50) not null, "subject_id" bigint null, "details" jsonb not null default '{}', "created_at" timestamptz(3) not null);`);
    this.addSql(`create index "audit_entry_org_id_subject_type_subject_id_index" on "audit_entry" ("org_id", "subject_type", "subject_id");`);
    this.addSql(`create index "audit_entry_org_id_created_at_index" on "audit_entry" ("org_id", "created_at");`);

    this.addSql(`alter table "audit_entry" add constraint "audit_entry_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "audit_entry" cascade;`);
  }

}
