import { Migration } from '@mikro-orm/migrations';

/**
 * Staff sign in with their org's OpenID Connect provider: one provider per org, and one org per
 * issuer and audience (a token names its org through them; the unique index also serves the
 * lookup by issuer).
 */
export class Migration20261208090000_staff_identity_provider extends Migration {

  override name = 'Migration20261208090000_staff_identity_provider';

  override up(): void | Promise<void> {
    this.addSql(`create table "staff_identity_provider" ("id" bigserial primary key, "org_id" bigint not null, "issuer" varchar(500) not null, "audience" varchar(200) not null, "allowed_email_domains" jsonb not null, "role_claim" varchar(100) not null, "role_mapping" jsonb not null, "default_role" text null, "created_at" timestamptz(3) not null, "updated_at" timestamptz(3) not null);`);
    this.addSql(`alter table "staff_identity_provider" add constraint "staff_identity_provider_org_id_unique" unique ("org_id");`);
    this.addSql(`alter table "staff_identity_provider" add constraint "staff_identity_provider_issuer_audience_unique" unique ("issuer", "audience");`);
    this.addSql(`alter table "staff_identity_provider" add constraint "staff_identity_provider_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
    this.addSql(`alter table "staff_identity_provider" add constraint "staff_identity_provider_default_role_check" check ("default_role" in ('ADMIN', 'MEMBER_CARE', 'INTEGRATION', 'VIEWER'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "staff_identity_provider" cascade;`);
  }

}
