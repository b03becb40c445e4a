import { Migration } from '@mikro-orm/migrations';

export class Migration20261121012432 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "background_job_status" as enum ('queued', 'running', 'completed', 'failed', 'cancelled');`);
    this.addSql(`create table "background_job" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "type" text not null, "actor_id" uuid null, "job_key" text not null, "status" "background_job_status" not null default 'queued', "progress" smallint not null default 0, "attempts" smallint not null default 0, "max_attempts" smallint not null default 1, "last_error" text null, "payload_summary" jsonb not null, "result" jsonb null, "queued_at" timestamptz not null, "started_at" timestamptz null, "finished_at" timestamptz null, constraint "background_job_pkey" primary key ("id"));`);
    this.addSql(`create index "background_job_organization_id_index" on "background_job" ("organization_id");`);
    this.addSql(`create index "background_job_actor_id_index" on "background_job" ("actor_id");`);
    this.addSql(`alter table "background_job" add constraint "background_job_job_key_unique" unique ("job_key");`);
    this.addSql(`create index "background_job_organization_id_created_at_index" on "background_job" ("organization_id", "created_at");`);

    this.addSql(`alter table "background_job" add constraint "background_job_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "background_job" add constraint "background_job_actor_id_foreign" foreign key ("actor_id") references "identity_user" ("id") on update cascade on delete set null;`);
    this.addSql(`select app_enable_tenant_rls('background_job');`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "background_job" cascade;`);

    this.addSql(`drop type "background_job_status";`);
  }

}
