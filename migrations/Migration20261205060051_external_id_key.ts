import { Migration } from '@mikro-orm/migrations';

/** External ids are keyed by (org, value): the surrogate id and its index go (one index entry less per external id written). */
export class Migration20261205060051_external_id_key extends Migration {

  override name = 'Migration20261205060051_external_id_key';

  override up(): void | Promise<void> {
    this.addSql(`alter table "customer_external_id" drop constraint "customer_external_id_org_id_value_unique";`);
    this.addSql(`alter table "customer_external_id" drop constraint "customer_external_id_pkey";`);
    this.addSql(`alter table "customer_external_id" drop column "id";`);
    this.addSql(`alter table "customer_external_id" add primary key ("org_id", "value");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "customer_external_id" drop constraint "customer_external_id_pkey";`);
    this.addSql(`alter table "customer_external_id" add "id" bigserial primary key;`);
    this.addSql(`alter table "customer_external_id" add constraint "customer_external_id_org_id_value_unique" unique ("org_id", "value");`);
  }

}
