import { Migration } from '@mikro-orm/migrations';

/**
 * `smsSend`: an SMS records the sender asked for and why another was used, its priority, recipient,
 * encoding and segments, and the times of its delivery states. Every new column is nullable, so the
 * interactions recorded before stay as they were. Orgs get a cap on an SMS's segments (6 by default).
 */
export class Migration20261207120000_sms_send extends Migration {

  override name = 'Migration20261207120000_sms_send';

  override up(): void | Promise<void> {
    this.addSql(`alter table "interaction"
      add "requested_sender_id" varchar(100) null,
      add "sender_fallback" text null,
      add "priority" text null,
      add "recipient" varchar(254) null,
      add "encoding" text null,
      add "content_length" int null,
      add "segments" int null,
      add "queued_at" timestamptz(3) null,
      add "failed_at" timestamptz(3) null,
      add "failure_reason" varchar(500) null;`);
    this.addSql(`alter table "interaction" add constraint "interaction_sender_fallback_check" check ("sender_fallback" in ('NONE_GIVEN', 'NOT_CONFIGURED'));`);
    this.addSql(`alter table "interaction" add constraint "interaction_priority_check" check ("priority" in ('TRANS', 'BULK'));`);
    this.addSql(`alter table "interaction" add constraint "interaction_encoding_check" check ("encoding" in ('GSM_7', 'UCS_2'));`);
    this.addSql(`alter table "org" add "sms_max_segments" int not null default 6;`);
    this.addSql(`alter table "org" add constraint "org_sms_max_segments_range" check (sms_max_segments >= 1 and sms_max_segments <= 20);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "org" drop constraint "org_sms_max_segments_range";`);
    this.addSql(`alter table "org" drop column "sms_max_segments";`);
    this.addSql(`alter table "interaction"
      drop column "requested_sender_id", drop column "sender_fallback", drop column "priority", drop column "recipient",
      drop column "encoding", drop column "content_length", drop column "segments", drop column "queued_at",
      drop column "failed_at", drop column "failure_reason";`);
  }

}
