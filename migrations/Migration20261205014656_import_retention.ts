import { Migration } from '@mikro-orm/migrations';

export class Migration20261205014656_import_retention extends Migration {

  override name = 'Migration20261205014656_import_retention';

  override up(): void | Promise<void> {
    this.addSql(`alter table "import_job" add "purged_at" timestamptz(3) null, add "purged_issue_counts" jsonb null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "import_job" drop column "purged_at", drop column "purged_issue_counts";`);
  }

}
