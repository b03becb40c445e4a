import { Migration } from '@mikro-orm/migrations';

export class Migration20261121011308 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "message_channel" as enum ('email', 'sms', 'whatsapp');`);
    this.addSql(`create table "messaging_recorded_message" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "channel" "message_channel" not null, "recipient" text not null, "subject" text null, "body" text not null, "template" text not null, "data" jsonb not null, constraint "messaging_recorded_message_pkey" primary key ("id"));`);
    this.addSql(`create index "messaging_recorded_message_recipient_index" on "messaging_recorded_message" ("recipient");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "messaging_recorded_message" cascade;`);

    this.addSql(`drop type "message_channel";`);
  }

}
