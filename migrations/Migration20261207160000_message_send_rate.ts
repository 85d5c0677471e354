import { Migration } from '@mikro-orm/migrations';

/**
 * A send rate per org and channel: orgs may limit the SMS and emails handed over per second (no
 * limit by default), and each limited channel keeps a schedule of when its next message may go out.
 */
export class Migration20261207160000_message_send_rate extends Migration {

  override name = 'Migration20261207160000_message_send_rate';

  override up(): void | Promise<void> {
    this.addSql(`alter table "org" add "sms_send_rate" int null, add "email_send_rate" int null;`);
    this.addSql(`alter table "org" add constraint "org_sms_send_rate_range" check (sms_send_rate is null or (sms_send_rate >= 1 and sms_send_rate <= 10000));`);
    this.addSql(`alter table "org" add constraint "org_email_send_rate_range" check (email_send_rate is null or (email_send_rate >= 1 and email_send_rate <= 10000));`);
    this.addSql(`create table "message_send_schedule" (
      "id" bigserial primary key,
      "org_id" bigint not null,
      "channel" text check ("channel" in ('SMS', 'EMAIL')) not null,
      "next_at" timestamptz(3) not null,
      constraint "message_send_schedule_org_id_channel_unique" unique ("org_id", "channel"));`);
    this.addSql(`alter table "message_send_schedule" add constraint "message_send_schedule_org_id_foreign" foreign key ("org_id") references "org" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table "message_send_schedule";`);
    this.addSql(`alter table "org" drop constraint "org_email_send_rate_range", drop constraint "org_sms_send_rate_range";`);
    this.addSql(`alter table "org" drop column "sms_send_rate", drop column "email_send_rate";`);
  }

}
