import { Migration } from '@mikro-orm/migrations';

/**
 * Failed authentications per client address, shared by every API process (rate-limiter-flexible's
 * PostgreSQL store, in the layout it expects). A schema of its own: no entity maps it.
 */
export class Migration20261207031000_auth_failure extends Migration {

  override name = 'Migration20261207031000_auth_failure';

  override up(): void | Promise<void> {
    this.addSql(`create schema if not exists "rate_limit";`);
    this.addSql(`create table "rate_limit"."auth_failure" ("key" varchar(255) primary key, "points" integer not null default 0, "expire" bigint);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop schema "rate_limit" cascade;`);
  }

}
