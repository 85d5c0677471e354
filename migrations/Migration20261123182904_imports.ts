import { Migration } from '@mikro-orm/migrations';

export class Migration20261123182904_imports extends Migration {

  override name = 'Migration20261123182904_imports';

  override up(): void | Promise<void> {
    // Per-job staging tables of imports live in a schema of their own.
    this.addSql(`create schema if not exists "import_stage";`);

    this.addSql(`create table "import_template" ("id" bigserial primary key, "org_id" bigint not null, "name" varchar(200) not null, "profile" text not null, "mapping" jsonb not null, "options" jsonb not null default '{}', "created_by" varchar(100) not null, "created_at" timestamptz(3) not null, "updated_at" timestamptz(3) not null, "deleted_at" timestamptz(3) null);`);
    this.addSql(`create unique index "import_template_org_name_unique" on "import_template" ("org_id", lower("name")) where "deleted_at" is null;`);

    this.addSql(`create table "import_file" ("id" bigserial primary key, "org_id" bigint not null, "name" varchar(300) not null, "size_bytes" bigint not null default '0', "sha256" varchar(64) null, "complete" boolean not null default false, "created_at" timestamptz(3) not null);`);

    this.addSql(`create table "import_job" ("id" bigserial primary key, "org_id" bigint not null, "template_id" bigint null, "template_name" varchar(200) not null, "profile" text not null, "mapping" jsonb not null, "options" jsonb not null default '{}', "file_id" bigint not null, "dry_run" boolean not null default false, "state" text not null default 'QUEUED', "bytes_read" bigint not null default '0', "rows_read" int not null default 0, "rows_accepted" int not null default 0, "rows_rejected" int not null default 0, "rows_corrected" int not null default 0, "rows_filtered" int not null default 0, "rows_valid" int not null default 0, "batches_total" int not null default 0, "batches_merged" int not null default 0, "attempts" int not null default 0, "failure_code" varchar(64) null, "failure_message" text null, "replayable" boolean not null default false, "phases" jsonb not null default '{}', "progress_seq" int not null default 0, "cancel_requested_at" timestamptz(3) null, "created_by" varchar(100) not null, "created_at" timestamptz(3) not null, "started_at" timestamptz(3) null, "finished_at" timestamptz(3) null, "updated_at" timestamptz(3) not null);`);
    this.addSql(`create index "import_job_org_id_created_at_index" on "import_job" ("org_id", "created_at");`);
    this.addSql(`create index "import_job_state_index" on "import_job" ("state");`);

    this.addSql(`create table "import_row_issue" ("id" bigserial primary key, "job_id" bigint not null, "row" int not null, "line" int not null, "kind" text not null, "code" varchar(64) not null, "field" varchar(100) not null default '', "value" text null, "corrected" text null, "message" text not null);`);
    this.addSql(`create index "import_row_issue_job_id_kind_id_index" on "import_row_issue" ("job_id", "kind", "id");`);
    this.addSql(`create index "import_row_issue_job_id_row_index" on "import_row_issue" ("job_id", "row");`);
    this.addSql(`alter table "import_row_issue" add constraint "import_row_issue_job_id_row_kind_code_field_unique" unique ("job_id", "row", "kind", "code", "field");`);

    this.addSql(`create table "import_merge_batch" ("id" bigserial primary key, "job_id" bigint not null, "batch" int not null, "rows_applied" int not null, "merged_at" timestamptz(3) not null);`);
    this.addSql(`alter table "import_merge_batch" add constraint "import_merge_batch_job_id_batch_unique" unique ("job_id", "batch");`);

    this.addSql(`create table "import_file_chunk" ("id" bigserial primary key, "file_id" bigint not null, "seq" int not null, "data" bytea not null);`);
    this.addSql(`alter table "import_file_chunk" add constraint "import_file_chunk_file_id_seq_unique" unique ("file_id", "seq");`);

    this.addSql(`alter table "import_template" add constraint "import_template_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
    this.addSql(`alter table "import_template" add constraint "import_template_profile_check" check ("profile" in ('LOYALTY_CUSTOMERS', 'CARDS', 'CARD_SERIES', 'COUPON_REDEMPTIONS', 'CUSTOMER_STATUS', 'ENTITY_LIFE_CYCLE', 'USER_SUBSCRIPTIONS', 'FRAUD_STATUS', 'EARNED_BADGES', 'TRANSACTIONS'));`);

    this.addSql(`alter table "import_file" add constraint "import_file_org_id_foreign" foreign key ("org_id") references "org" ("id");`);

    this.addSql(`alter table "import_job" add constraint "import_job_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
    this.addSql(`alter table "import_job" add constraint "import_job_template_id_foreign" foreign key ("template_id") references "import_template" ("id") on delete set null;`);
    this.addSql(`alter table "import_job" add constraint "import_job_file_id_foreign" foreign key ("file_id") references "import_file" ("id");`);
    this.addSql(`alter table "import_job" add constraint "import_job_profile_check" check ("profile" in ('LOYALTY_CUSTOMERS', 'CARDS', 'CARD_SERIES', 'COUPON_REDEMPTIONS', 'CUSTOMER_STATUS', 'ENTITY_LIFE_CYCLE', 'USER_SUBSCRIPTIONS', 'FRAUD_STATUS', 'EARNED_BADGES', 'TRANSACTIONS'));`);
    this.addSql(`alter table "import_job" add constraint "import_job_state_check" check ("state" in ('QUEUED', 'PARSING', 'VALIDATING', 'STAGED', 'MERGING', 'COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED', 'CANCELLED'));`);

    this.addSql(`alter table "import_row_issue" add constraint "import_row_issue_job_id_foreign" foreign key ("job_id") references "import_job" ("id") on delete cascade;`);
    this.addSql(`alter table "import_row_issue" add constraint "import_row_issue_kind_check" check ("kind" in ('ERROR', 'CORRECTION'));`);

    this.addSql(`alter table "import_merge_batch" add constraint "import_merge_batch_job_id_foreign" foreign key ("job_id") references "import_job" ("id") on delete cascade;`);

    this.addSql(`alter table "import_file_chunk" add constraint "import_file_chunk_file_id_foreign" foreign key ("file_id") references "import_file" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop schema if exists "import_stage" cascade;`);
    this.addSql(`alter table "import_job" drop constraint "import_job_template_id_foreign";`);
    this.addSql(`alter table "import_job" drop constraint "import_job_file_id_foreign";`);
    this.addSql(`alter table "import_file_chunk" drop constraint "import_file_chunk_file_id_foreign";`);
    this.addSql(`alter table "import_row_issue" drop constraint "import_row_issue_job_id_foreign";`);
    this.addSql(`alter table "import_merge_batch" drop constraint "import_merge_batch_job_id_foreign";`);

    this.addSql(`drop table if exists "import_template" cascade;`);
    this.addSql(`drop table if exists "import_file" cascade;`);
    this.addSql(`drop table if exists "import_job" cascade;`);
    this.addSql(`drop table if exists "import_row_issue" cascade;`);
    this.addSql(`drop table if exists "import_merge_batch" cascade;`);
    this.addSql(`drop table if exists "import_file_chunk" cascade;`);
  }

}
