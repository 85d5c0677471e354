import { Migration } from '@mikro-orm/migrations';

/** An org bounds the points a Loyalty Customers import may carry over for one new customer. */
export class Migration20261207023738_org_import_opening_points_cap extends Migration {

  override name = 'Migration20261207023738_org_import_opening_points_cap';

  override up(): void | Promise<void> {
    this.addSql(`alter table "org" add "import_opening_points_cap" int not null default 1000000;`);
    this.addSql(`alter table "org" add constraint "org_import_opening_points_cap_positive" check (import_opening_points_cap > 0);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "org" drop constraint "org_import_opening_points_cap_positive";`);
    this.addSql(`alter table "org" drop column "import_opening_points_cap";`);
  }

}
