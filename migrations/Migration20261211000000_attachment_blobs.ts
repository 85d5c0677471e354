import { Migration } from '@mikro-orm/migrations';

/**
 * An email attachment's bytes are kept once per org and content (`attachment_blob`, keyed by the
 * SHA-256 of the bytes); each attachment of a message names its blob. A campaign that sends the
 * same brochure to 10,000 customers stores it once instead of 10,000 times, and a worker that
 * already holds a blob need not read it again (a blob never changes). Blobs are never shared
 * between orgs. Attachments recorded before move into blobs here.
 */
export class Migration20261211000000_attachment_blobs extends Migration {

  override name = 'Migration20261211000000_attachment_blobs';

  override up(): void | Promise<void> {
    this.addSql(`create table "attachment_blob" (
      "org_id" bigint not null,
      "sha256" varchar(64) not null,
      "size_bytes" int not null,
      "data" bytea not null,
      "created_at" timestamptz(3) not null default now(),
      constraint "attachment_blob_pkey" primary key ("org_id", "sha256"));`);
    this.addSql(`alter table "attachment_blob" add constraint "attachment_blob_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
    this.addSql(`alter table "interaction_attachment" add "sha256" varchar(64) null;`);
    this.addSql(`insert into "attachment_blob" ("org_id", "sha256", "size_bytes", "data")
      select distinct on (org_id, encode(sha256(data), 'hex')) org_id, encode(sha256(data), 'hex'), size_bytes, data from "interaction_attachment";`);
    this.addSql(`update "interaction_attachment" set "sha256" = encode(sha256(data), 'hex');`);
    this.addSql(`alter table "interaction_attachment" alter column "sha256" set not null, drop column "data";`);
    this.addSql(`alter table "interaction_attachment" add constraint "interaction_attachment_org_id_sha256_foreign" foreign key ("org_id", "sha256") references "attachment_blob" ("org_id", "sha256") on update cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "interaction_attachment" drop constraint "interaction_attachment_org_id_sha256_foreign";`);
    this.addSql(`alter table "interaction_attachment" add "data" bytea null;`);
    this.addSql(`update "interaction_attachment" a set "data" = b."data" from "attachment_blob" b where b."org_id" = a."org_id" and b."sha256" = a."sha256";`);
    this.addSql(`alter table "interaction_attachment" alter column "data" set not null, drop column "sha256";`);
    this.addSql(`drop table "attachment_blob";`);
  }

}
