import { Migration } from '@mikro-orm/migrations';

export class Migration20261121012125 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "file_status" as enum ('pending', 'ready', 'rejected');`);
    this.addSql(`create table "files_file" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "name" text not null, "mime_type" text not null, "declared_mime_type" text not null, "size" int not null, "sha256" text null, "storage_key" text null, "status" "file_status" not null default 'pending', "rejection_reason" text null, "uploaded_by_id" uuid null, "expires_at" timestamptz null, constraint "files_file_pkey" primary key ("id"));`);
    this.addSql(`create index "files_file_organization_id_index" on "files_file" ("organization_id");`);
    this.addSql(`create index "files_file_uploaded_by_id_index" on "files_file" ("uploaded_by_id");`);
    this.addSql(`create index "files_file_organization_id_status_index" on "files_file" ("organization_id", "status");`);

    this.addSql(`alter table "files_file" add constraint "files_file_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "files_file" add constraint "files_file_uploaded_by_id_foreign" foreign key ("uploaded_by_id") references "identity_user" ("id") on update cascade on delete set null;`);
    this.addSql(`select app_enable_tenant_rls('files_file');`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "files_file" cascade;`);

    this.addSql(`drop type "file_status";`);
  }

}
