import { Migration } from '@mikro-orm/migrations';

/**
 * The OAuth 2.0 authorization server for partner apps: its clients per org, its state (oidc-provider's
 * models), its secrets (signing and cookie keys, made on first start), the one-time passwords of
 * sign-ins and their rate limits (rate-limiter-flexible's tables, no entity), and the text of an SMS
 * or email kept apart from what member care sees (a sign-in code goes out, `content` shows it masked).
 */
export class Migration20261208000000_oauth extends Migration {

  override name = 'Migration20261208000000_oauth';

  override up(): void | Promise<void> {
    this.addSql(`create table "oauth_model" ("kind" varchar(40) not null, "id" varchar(255) not null, "payload" jsonb not null, "grant_id" varchar(255) null, "user_code" varchar(255) null, "uid" varchar(255) null, "expires_at" timestamptz(3) null, "consumed_at" timestamptz(3) null, primary key ("kind", "id"));`);
    this.addSql(`create index "oauth_model_grant_id_index" on "oauth_model" ("grant_id");`);
    this.addSql(`create index "oauth_model_user_code_index" on "oauth_model" ("user_code");`);
    this.addSql(`create index "oauth_model_uid_index" on "oauth_model" ("uid");`);
    this.addSql(`create index "oauth_model_expires_at_index" on "oauth_model" ("expires_at");`);

    this.addSql(`create table "oauth_secret" ("name" varchar(40) not null, "value" jsonb not null, "created_at" timestamptz(3) not null, primary key ("name"));`);

    this.addSql(`create table "oauth_client" ("id" bigserial primary key, "org_id" bigint not null, "client_id" varchar(64) not null, "name" varchar(200) not null, "type" text not null, "secret_hash" varchar(64) null, "redirect_uris" jsonb not null, "allowed_scopes" jsonb not null, "created_at" timestamptz(3) not null, "updated_at" timestamptz(3) not null);`);
    this.addSql(`alter table "oauth_client" add constraint "oauth_client_client_id_unique" unique ("client_id");`);

    this.addSql(`create table "oauth_otp" ("id" bigserial primary key, "org_id" bigint not null, "client_id" varchar(64) not null, "interaction_uid" varchar(255) not null, "customer_id" bigint null, "code_hash" varchar(64) not null, "attempts" int not null, "expires_at" timestamptz(3) not null, "verified_at" timestamptz(3) null, "created_at" timestamptz(3) not null);`);
    this.addSql(`alter table "oauth_otp" add constraint "oauth_otp_interaction_uid_unique" unique ("interaction_uid");`);
    this.addSql(`create index "oauth_otp_expires_at_index" on "oauth_otp" ("expires_at");`);

    this.addSql(`alter table "interaction" add "secret_content" text null;`);
    this.addSql(`create schema if not exists "rate_limit";`);
    this.addSql(`create table "rate_limit"."oauth_otp_identifier" ("key" varchar(255) primary key, "points" integer not null default 0, "expire" bigint);`);
    this.addSql(`create table "rate_limit"."oauth_otp_address" ("key" varchar(255) primary key, "points" integer not null default 0, "expire" bigint);`);

    this.addSql(`alter table "oauth_client" add constraint "oauth_client_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
    this.addSql(`alter table "oauth_client" add constraint "oauth_client_type_check" check ("type" in ('PUBLIC', 'CONFIDENTIAL'));`);

    this.addSql(`alter table "oauth_otp" add constraint "oauth_otp_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
    this.addSql(`alter table "oauth_otp" add constraint "oauth_otp_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on delete set null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "oauth_model" cascade;`);
    this.addSql(`drop table if exists "oauth_secret" cascade;`);
    this.addSql(`drop table if exists "oauth_client" cascade;`);
    this.addSql(`drop table if exists "oauth_otp" cascade;`);

    this.addSql(`alter table "interaction" drop column "secret_content";`);
    this.addSql(`drop table if exists "rate_limit"."oauth_otp_identifier";`);
    this.addSql(`drop table if exists "rate_limit"."oauth_otp_address";`);
  }

}
