import { Migration } from '@mikro-orm/migrations';

export class Migration20261121012600 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "notifications_notification" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "user_id" uuid not null, "type" text not null, "title" text not null, "body" text null, "data" jsonb null, "read_at" timestamptz null, constraint "notifications_notification_pkey" primary key ("id"));`);
    this.addSql(`create index "notifications_notification_organization_id_index" on "notifications_notification" ("organization_id");`);
    this.addSql(`create index "notifications_notification_recipient_idx" on "notifications_notification" ("organization_id", "user_id", "created_at");`);

    this.addSql(`alter table "notifications_notification" add constraint "notifications_notification_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "notifications_notification" add constraint "notifications_notification_user_id_foreign" foreign key ("user_id") references "identity_user" ("id") on update cascade on delete cascade;`);
    this.addSql(`select app_enable_tenant_rls('notifications_notification');`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "notifications_notification" cascade;`);
  }

}
