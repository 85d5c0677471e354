import { Migration } from '@mikro-orm/migrations';

export class Migration20261205025836_import_merge_batch_guarded extends Migration {

  override name = 'Migration20261205025836_import_merge_batch_guarded';

  override up(): void | Promise<void> {
    this.addSql(`alter table "import_merge_batch" add "guarded" boolean not null default false;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "import_merge_batch" drop column "guarded";`);
  }

}
