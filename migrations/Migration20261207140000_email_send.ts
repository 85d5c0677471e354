import { Migration } from '@mikro-orm/migrations';

/**
 * `emailSend`: an email records its HTML part and a summary of its attachments; their bytes get a
 * table of their own, kept per org. The new interaction columns are nullable, so the interactions
 * recorded before stay as they were. Orgs get a cap on an email's attachment bytes (512 KiB by
 * default; at most 768 KiB, whose base64 still fits the 1 MB request body).
 */
export class Migration20261207140000_email_send extends Migration {

  override name = 'Migration20261207140000_email_send';

  override up(): void | Promise<void> {
    this.addSql(`alter table "interaction" add "html" text null, add "attachments" jsonb null;`);
    this.addSql(`create table "interaction_attachment" (
      "id" bigserial primary key,
      "org_id" bigint not null,
      "interaction_id" bigint not null,
      "position" int not null,
      "file_name" varchar(255) not null,
      "content_type" varchar(100) not null,
      "size_bytes" int not null,
      "data" bytea not null,
      constraint "interaction_attachment_org_id_interaction_id_position_unique" unique ("org_id", "interaction_id", "position"));`);
    this.addSql(`alter table "interaction_attachment" add constraint "interaction_attachment_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
    this.addSql(`alter table "interaction_attachment" add constraint "interaction_attachment_interaction_id_foreign" foreign key ("interaction_id") references "interaction" ("id");`);
    this.addSql(`alter table "org" add "email_max_attachment_bytes" int not null default 524288;`);
    this.addSql(`alter table "org" add constraint "org_email_max_attachment_bytes_range" check (email_max_attachment_bytes >= 1 and email_max_attachment_bytes <= 786432);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "org" drop constraint "org_email_max_attachment_bytes_range";`);
    this.addSql(`alter table "org" drop column "email_max_attachment_bytes";`);
    this.addSql(`drop table "interaction_attachment";`);
    this.addSql(`alter table "interaction" drop column "html", drop column "attachments";`);
  }

}
