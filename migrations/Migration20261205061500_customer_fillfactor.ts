import { Migration } from '@mikro-orm/migrations';

/**
 * Customers are updated often (profile edits, status, imports): pages keep a tenth free, so an
 * update that changes no indexed column stays on its page (a HOT update) and writes no index
 * entry. Pages filled before this keep no room until they are rewritten.
 */
export class Migration20261205061500_customer_fillfactor extends Migration {

  override name = 'Migration20261205061500_customer_fillfactor';

  override up(): void | Promise<void> {
    this.addSql(`alter table "customer" set (fillfactor = 90);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "customer" reset (fillfactor);`);
  }

}
