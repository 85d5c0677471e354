import { Migration } from '@mikro-orm/migrations';

/** A card keeps the store (till) it is tagged to. */
export class Migration20261205065648_card_store extends Migration {

  override name = 'Migration20261205065648_card_store';

  override up(): void | Promise<void> {
    this.addSql(`alter table "card" add "store_id" bigint null;`);
    this.addSql(`alter table "card" add constraint "card_store_id_foreign" foreign key ("store_id") references "store" ("id") on delete set null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "card" drop constraint "card_store_id_foreign";`);

    this.addSql(`alter table "card" drop column "store_id";`);

  }

}
