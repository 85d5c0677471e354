import { Migration } from '@mikro-orm/migrations';

/** How far back `couponRedeem` and `transactionAdd` may date what they record: a week unless the org says otherwise. */
export class Migration20261207025058_backdating_window extends Migration {

  override name = 'Migration20261207025058_backdating_window';

  override up(): void | Promise<void> {
    this.addSql(`alter table "org" add "backdating_window_days" int not null default 7;`);
    this.addSql(`alter table "org" add constraint "org_backdating_window_days_range" check (backdating_window_days >= 0 and backdating_window_days <= 3650);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "org" drop constraint "org_backdating_window_days_range";`);
    this.addSql(`alter table "org" drop column "backdating_window_days";`);
  }

}
