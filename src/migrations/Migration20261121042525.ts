import { Migration } from '@mikro-orm/migrations';

export class Migration20261121042525 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "conversations_conversation" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "subject" text not null, "project_id" uuid null, "created_by_id" uuid null, "last_message_at" timestamptz null, constraint "conversations_conversation_pkey" primary key ("id"));`);
    this.addSql(`create index "conversations_conversation_organization_id_index" on "conversations_conversation" ("organization_id");`);
    this.addSql(`create index "conversations_conversation_project_id_index" on "conversations_conversation" ("project_id");`);
    this.addSql(`create index "conversations_conversation_created_by_id_index" on "conversations_conversation" ("created_by_id");`);
    this.addSql(`create index "conversations_conversation_organization_id_last_me_d42ff_index" on "conversations_conversation" ("organization_id", "last_message_at");`);

    this.addSql(`create table "conversations_message" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "conversation_id" uuid not null, "author_id" uuid null, "body" text not null, "parent_message_id" uuid null, "attachment_file_ids" jsonb not null, "edited_at" timestamptz null, "deleted_at" timestamptz null, constraint "conversations_message_pkey" primary key ("id"));`);
    this.addSql(`create index "conversations_message_organization_id_index" on "conversations_message" ("organization_id");`);
    this.addSql(`create index "conversations_message_author_id_index" on "conversations_message" ("author_id");`);
    this.addSql(`create index "conversations_message_parent_message_id_index" on "conversations_message" ("parent_message_id");`);
    this.addSql(`create index "conversations_message_conversation_id_created_at_index" on "conversations_message" ("conversation_id", "created_at");`);

    this.addSql(`create table "conversations_participant" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "conversation_id" uuid not null, "user_id" uuid not null, "last_read_at" timestamptz null, constraint "conversations_participant_pkey" primary key ("id"));`);
    this.addSql(`create index "conversations_participant_organization_id_index" on "conversations_participant" ("organization_id");`);
    this.addSql(`create index "conversations_participant_conversation_id_index" on "conversations_participant" ("conversation_id");`);
    this.addSql(`create index "conversations_participant_user_id_index" on "conversations_participant" ("user_id");`);
    this.addSql(`alter table "conversations_participant" add constraint "conversations_participant_conversation_id_user_id_unique" unique ("conversation_id", "user_id");`);

    this.addSql(`alter table "conversations_conversation" add constraint "conversations_conversation_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "conversations_conversation" add constraint "conversations_conversation_project_id_foreign" foreign key ("project_id") references "csr_project" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "conversations_conversation" add constraint "conversations_conversation_created_by_id_foreign" foreign key ("created_by_id") references "identity_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "conversations_message" add constraint "conversations_message_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "conversations_message" add constraint "conversations_message_conversation_id_foreign" foreign key ("conversation_id") references "conversations_conversation" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "conversations_message" add constraint "conversations_message_author_id_foreign" foreign key ("author_id") references "identity_user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "conversations_message" add constraint "conversations_message_parent_message_id_foreign" foreign key ("parent_message_id") references "conversations_message" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "conversations_participant" add constraint "conversations_participant_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "conversations_participant" add constraint "conversations_participant_conversation_id_foreign" foreign key ("conversation_id") references "conversations_conversation" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "conversations_participant" add constraint "conversations_participant_user_id_foreign" foreign key ("user_id") references "identity_user" ("id") on update cascade on delete cascade;`);

    this.addSql(`select app_enable_tenant_rls('conversations_conversation');`);
    this.addSql(`select app_enable_tenant_rls('conversations_participant');`);
    this.addSql(`select app_enable_tenant_rls('conversations_message');`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "conversations_message" drop constraint "conversations_message_conversation_id_foreign";`);

    this.addSql(`alter table "conversations_participant" drop constraint "conversations_participant_conversation_id_foreign";`);

    this.addSql(`alter table "conversations_message" drop constraint "conversations_message_parent_message_id_foreign";`);

    this.addSql(`drop table if exists "conversations_conversation" cascade;`);

    this.addSql(`drop table if exists "conversations_message" cascade;`);

    this.addSql(`drop table if exists "conversations_participant" cascade;`);

  }

}
