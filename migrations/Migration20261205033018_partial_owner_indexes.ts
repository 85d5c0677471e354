import { Migration } from '@mikro-orm/migrations';

export class Migration20261205033018_partial_owner_indexes extends Migration {

  override name = 'Migration20261205033018_partial_owner_indexes';

  override up(): void | Promise<void> {
    this.addSql(`drop index "customer_org_id_parent_id_index";`);
    this.addSql(`create index "customer_org_id_parent_id_index" on "customer" ("org_id", "parent_id") where parent_id is not null;`);

    this.addSql(`drop index "loyalty_enrollment_customer_id_index";`);
    this.addSql(`drop index "loyalty_enrollment_group_id_index";`);
    this.addSql(`alter table "loyalty_enrollment" drop constraint "loyalty_enrollment_org_id_program_id_customer_id_unique";`);
    this.addSql(`alter table "loyalty_enrollment" drop constraint "loyalty_enrollment_org_id_program_id_group_id_unique";`);
    this.addSql(`alter table "loyalty_enrollment" add constraint "loyalty_enrollment_customer_id_program_id_org_id_unique" unique ("customer_id", "program_id", "org_id");`);
    this.addSql(`create unique index "loyalty_enrollment_group_id_program_id_org_id_unique" on "loyalty_enrollment" ("group_id", "program_id", "org_id") where group_id is not null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "customer_org_id_parent_id_index";`);
    this.addSql(`create index "customer_org_id_parent_id_index" on "customer" ("org_id", "parent_id");`);

    this.addSql(`alter table "loyalty_enrollment" drop constraint "loyalty_enrollment_customer_id_program_id_org_id_unique";`);
    this.addSql(`drop index "loyalty_enrollment_group_id_program_id_org_id_unique";`);
    this.addSql(`create index "loyalty_enrollment_customer_id_index" on "loyalty_enrollment" ("customer_id");`);
    this.addSql(`create index "loyalty_enrollment_group_id_index" on "loyalty_enrollment" ("group_id");`);
    this.addSql(`alter table "loyalty_enrollment" add constraint "loyalty_enrollment_org_id_program_id_customer_id_unique" unique ("org_id", "program_id", "customer_id");`);
    this.addSql(`alter table "loyalty_enrollment" add constraint "loyalty_enrollment_org_id_program_id_group_id_unique" unique ("org_id", "program_id", "group_id");`);

  }

}
