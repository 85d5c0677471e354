import { Migration } from '@mikro-orm/migrations';

/** The names index served no query (the name search is a case-insensitive ILIKE) and cost every insert and rename a write. */
export class Migration20261205060000_drop_customer_name_index extends Migration {

  override name = 'Migration20261205060000_drop_customer_name_index';

  override up(): void | Promise<void> {
    this.addSql(`drop index "customer_org_id_last_name_first_name_index";`);
  }

  override down(): void | Promise<void> {
    this.addSql(`create index "customer_org_id_last_name_first_name_index" on "customer" ("org_id", "last_name", "first_name");`);
  }

}
