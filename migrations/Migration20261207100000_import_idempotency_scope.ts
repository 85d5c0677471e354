import { Migration } from '@mikro-orm/migrations';

/**
 * Import rows now claim their idempotency keys in a scope of their own (`import:couponRedeem`), out
 * of reach of the keys clients send. Claims that imports already made move there, so a job replayed
 * after the upgrade still finds its rows done; a claim is the import's when the redemption it names
 * was made by the job that its key names (a client's claim of the same text stays a client's).
 */
export class Migration20261207100000_import_idempotency_scope extends Migration {

  override name = 'Migration20261207100000_import_idempotency_scope';

  override up(): void | Promise<void> {
    this.addSql(`update "idempotency_key" k set "scope" = 'import:' || k."scope"
      from "incentive_redemption" r
      where k."scope" = 'couponRedeem' and k."key" like 'import-job:%:row:%'
        and r."id" = k."result_id" and r."org_id" = k."org_id" and r."created_by" = split_part(k."key", ':row:', 1);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`update "idempotency_key" k set "scope" = substr(k."scope", 8)
      where k."scope" like 'import:%'
        and not exists (select 1 from "idempotency_key" c where c."org_id" = k."org_id" and c."scope" = substr(k."scope", 8) and c."key" = k."key");`);
  }

}
