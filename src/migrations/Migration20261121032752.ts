import { Migration } from '@mikro-orm/migrations';

export class Migration20261121032752 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "recon_match_type" as enum ('one_to_one', 'one_to_many', 'many_to_one');`);
    this.addSql(`create type "recon_side" as enum ('source', 'target');`);
    this.addSql(`create type "recon_row_direction" as enum ('debit', 'credit');`);
    this.addSql(`create type "recon_job_status" as enum ('pending', 'processing', 'completed', 'failed', 'cancelled');`);
    this.addSql(`create type "recon_exception_type" as enum ('amount_mismatch', 'date_mismatch', 'missing_entry', 'duplicate', 'timing_difference', 'non_settlement');`);
    this.addSql(`create type "recon_exception_severity" as enum ('low', 'medium', 'high', 'critical');`);
    this.addSql(`create type "recon_exception_status" as enum ('open', 'in_progress', 'resolved', 'escalated', 'ignored');`);
    this.addSql(`create type "recon_rule_type" as enum ('exact', 'fuzzy', 'range', 'regex');`);
    this.addSql(`create type "recon_rule_status" as enum ('pending_approval', 'approved', 'rejected');`);
    this.addSql(`create type "recon_file_type" as enum ('bank', 'settlement', 'switch', 'card', 'gl');`);
    this.addSql(`create type "recon_file_format" as enum ('csv', 'xlsx');`);
    this.addSql(`create type "recon_file_status" as enum ('uploaded', 'mapped', 'normalized', 'processed', 'error');`);
    this.addSql(`create type "recon_approval_type" as enum ('rule_configuration', 'ledger_posting', 'user_onboarding', 'exception_resolution', 'report_generation', 'system_setting');`);
    this.addSql(`create type "recon_approval_status" as enum ('pending', 'approved', 'declined');`);
    this.addSql(`create table "recon_match" ("id" bigserial primary key, "organization_id" uuid not null, "job_id" uuid not null, "rule_id" uuid null, "pass" text not null, "type" "recon_match_type" not null, "confidence" real not null, "amount_difference" numeric(18,2) not null default '0');`);
    this.addSql(`create index "recon_match_job_id_rule_id_index" on "recon_match" ("job_id", "rule_id");`);

    this.addSql(`create table "recon_match_member" ("job_id" uuid not null, "row_id" bigint not null, "organization_id" uuid not null, "match_id" bigint not null, "side" "recon_side" not null, constraint "recon_match_member_pkey" primary key ("job_id", "row_id"));`);
    this.addSql(`create index "recon_match_member_match_id_index" on "recon_match_member" ("match_id");`);

    this.addSql(`create table "recon_row" ("id" bigserial primary key, "organization_id" uuid not null, "file_id" uuid not null, "row_number" int not null, "amount" numeric(18,2) not null, "date" date null, "value_date" date null, "reference" text null, "description" text null, "currency" text null, "channel" text null, "direction" "recon_row_direction" null);`);
    this.addSql(`create index "recon_row_file_id_row_number_index" on "recon_row" ("file_id", "row_number");`);

    this.addSql(`create table "recon_job" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "name" text not null, "source_file_ids" jsonb not null, "target_file_ids" jsonb not null, "rules" jsonb not null, "status" "recon_job_status" not null default 'pending', "progress" smallint not null default 0, "phase" text null, "total_rows" int not null default 0, "processed_rows" int not null default 0, "matched_rows" int not null default 0, "exception_rows" int not null default 0, "match_rate" numeric(5,2) null, "timings" jsonb not null, "completed_passes" jsonb not null, "processing_seconds" double precision null, "error_message" text null, "background_job_id" uuid null, "started_at" timestamptz null, "finished_at" timestamptz null, "created_by_id" uuid null, constraint "recon_job_pkey" primary key ("id"));`);
    this.addSql(`create index "recon_job_organization_id_index" on "recon_job" ("organization_id");`);
    this.addSql(`create index "recon_job_organization_id_created_at_index" on "recon_job" ("organization_id", "created_at");`);

    this.addSql(`create table "recon_exception" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "job_id" uuid not null, "row_id" bigint not null, "side" "recon_side" not null, "counterpart_row_id" bigint null, "type" "recon_exception_type" not null, "severity" "recon_exception_severity" not null, "status" "recon_exception_status" not null default 'open', "amount" numeric(18,2) not null, "amount_difference" numeric(18,2) null, "currency" text null, "transaction_date" date null, "reference" text null, "description" text not null, "suggested_action" text not null, "assigned_to_id" uuid null, "resolved_by_id" uuid null, "resolved_at" timestamptz null, "resolution_reason" text null, "approval_id" uuid null, "comments" jsonb not null, constraint "recon_exception_pkey" primary key ("id"));`);
    this.addSql(`create index "recon_exception_organization_id_index" on "recon_exception" ("organization_id");`);
    this.addSql(`create index "recon_exception_assigned_to_id_index" on "recon_exception" ("assigned_to_id");`);
    this.addSql(`create index "recon_exception_organization_id_status_severity_index" on "recon_exception" ("organization_id", "status", "severity");`);
    this.addSql(`alter table "recon_exception" add constraint "recon_exception_job_id_row_id_unique" unique ("job_id", "row_id");`);

    this.addSql(`create table "recon_rule" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "name" text not null, "type" "recon_rule_type" not null, "fields" jsonb not null, "amount_tolerance_pct" numeric(9,4) not null default '0', "amount_tolerance_abs" numeric(18,2) not null default '0', "date_tolerance_days" int not null default 0, "similarity_threshold" numeric(4,3) not null default '0.8', "regex_pattern" text null, "allow_groups" boolean not null default false, "priority" int not null default 100, "active" boolean not null default true, "status" "recon_rule_status" not null default 'pending_approval', "pending_change" jsonb null, "approval_id" uuid null, "approved_at" timestamptz null, "version" int not null default 0, "created_by_id" uuid null, constraint "recon_rule_pkey" primary key ("id"));`);
    this.addSql(`create index "recon_rule_organization_id_index" on "recon_rule" ("organization_id");`);
    this.addSql(`create index "recon_rule_organization_id_priority_index" on "recon_rule" ("organization_id", "priority");`);

    this.addSql(`create table "recon_file" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "file_id" uuid null, "name" text not null, "type" "recon_file_type" not null, "format" "recon_file_format" not null, "size" int not null, "sha256" text not null, "duplicate_of" uuid null, "headers" jsonb not null, "row_count" int null, "status" "recon_file_status" not null default 'uploaded', "error_message" text null, "normalization_job_id" uuid null, "normalized_at" timestamptz null, "uploaded_by_id" uuid null, constraint "recon_file_pkey" primary key ("id"));`);
    this.addSql(`create index "recon_file_organization_id_index" on "recon_file" ("organization_id");`);
    this.addSql(`create index "recon_file_file_id_index" on "recon_file" ("file_id");`);
    this.addSql(`create index "recon_file_uploaded_by_id_index" on "recon_file" ("uploaded_by_id");`);
    this.addSql(`create index "recon_file_organization_id_sha256_index" on "recon_file" ("organization_id", "sha256");`);

    this.addSql(`create table "recon_mapping" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "reconciliation_file_id" uuid not null, "columns" jsonb not null, "transformation" jsonb not null, "confirmed_by_id" uuid null, "confirmed_at" timestamptz null, constraint "recon_mapping_pkey" primary key ("id"));`);
    this.addSql(`create index "recon_mapping_organization_id_index" on "recon_mapping" ("organization_id");`);
    this.addSql(`alter table "recon_mapping" add constraint "recon_mapping_reconciliation_file_id_unique" unique ("reconciliation_file_id");`);

    this.addSql(`create table "recon_approval" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "type" "recon_approval_type" not null, "title" text not null, "resource_type" text not null, "resource_id" uuid null, "payload" jsonb not null, "status" "recon_approval_status" not null default 'pending', "requested_by_id" uuid null, "decided_by_id" uuid null, "decided_at" timestamptz null, "comments" jsonb not null, constraint "recon_approval_pkey" primary key ("id"));`);
    this.addSql(`create index "recon_approval_organization_id_index" on "recon_approval" ("organization_id");`);
    this.addSql(`create index "recon_approval_requested_by_id_index" on "recon_approval" ("requested_by_id");`);
    this.addSql(`create index "recon_approval_resource_type_resource_id_index" on "recon_approval" ("resource_type", "resource_id");`);
    this.addSql(`create index "recon_approval_organization_id_status_index" on "recon_approval" ("organization_id", "status");`);

    this.addSql(`alter table "recon_job" add constraint "recon_job_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "recon_job" add constraint "recon_job_created_by_id_foreign" foreign key ("created_by_id") references "identity_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "recon_exception" add constraint "recon_exception_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "recon_exception" add constraint "recon_exception_job_id_foreign" foreign key ("job_id") references "recon_job" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "recon_exception" add constraint "recon_exception_assigned_to_id_foreign" foreign key ("assigned_to_id") references "identity_user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "recon_exception" add constraint "recon_exception_resolved_by_id_foreign" foreign key ("resolved_by_id") references "identity_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "recon_rule" add constraint "recon_rule_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "recon_rule" add constraint "recon_rule_created_by_id_foreign" foreign key ("created_by_id") references "identity_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "recon_file" add constraint "recon_file_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "recon_file" add constraint "recon_file_file_id_foreign" foreign key ("file_id") references "files_file" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "recon_file" add constraint "recon_file_uploaded_by_id_foreign" foreign key ("uploaded_by_id") references "identity_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "recon_mapping" add constraint "recon_mapping_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "recon_mapping" add constraint "recon_mapping_reconciliation_file_id_foreign" foreign key ("reconciliation_file_id") references "recon_file" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "recon_mapping" add constraint "recon_mapping_confirmed_by_id_foreign" foreign key ("confirmed_by_id") references "identity_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "recon_approval" add constraint "recon_approval_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "recon_approval" add constraint "recon_approval_requested_by_id_foreign" foreign key ("requested_by_id") references "identity_user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "recon_approval" add constraint "recon_approval_decided_by_id_foreign" foreign key ("decided_by_id") references "identity_user" ("id") on update cascade on delete set null;`);

    // Trigram similarity for fuzzy matching rules.
    this.addSql(`create extension if not exists pg_trgm;`);
    this.addSql(`create extension if not exists fuzzystrmatch;`);
    // The bulk tables (rows, matches, members) carry no foreign keys (a per-row check would slow the
    // set-based writes); their owners' deletion removes them in one statement per deleted owner.
    this.addSql(`create or replace function recon_file_deleted() returns trigger language plpgsql as $$
      begin delete from recon_row where file_id = old.id; return old; end $$;`);
    this.addSql(`create trigger recon_file_deleted after delete on recon_file for each row execute function recon_file_deleted();`);
    this.addSql(`create or replace function recon_job_deleted() returns trigger language plpgsql as $$
      begin
        delete from recon_match_member where job_id = old.id;
        delete from recon_match where job_id = old.id;
        return old;
      end $$;`);
    this.addSql(`create trigger recon_job_deleted after delete on recon_job for each row execute function recon_job_deleted();`);
    for (const table of ['recon_file', 'recon_mapping', 'recon_rule', 'recon_approval', 'recon_job', 'recon_exception', 'recon_row', 'recon_match', 'recon_match_member']) {
      this.addSql(`select app_enable_tenant_rls('${table}');`);
    }
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists recon_job_deleted on recon_job;`);
    this.addSql(`drop trigger if exists recon_file_deleted on recon_file;`);
    this.addSql(`drop function if exists recon_job_deleted();`);
    this.addSql(`drop function if exists recon_file_deleted();`);
    this.addSql(`alter table "recon_exception" drop constraint "recon_exception_job_id_foreign";`);

    this.addSql(`alter table "recon_mapping" drop constraint "recon_mapping_reconciliation_file_id_foreign";`);

    this.addSql(`drop table if exists "recon_match" cascade;`);

    this.addSql(`drop table if exists "recon_match_member" cascade;`);

    this.addSql(`drop table if exists "recon_row" cascade;`);

    this.addSql(`drop table if exists "recon_job" cascade;`);

    this.addSql(`drop table if exists "recon_exception" cascade;`);

    this.addSql(`drop table if exists "recon_rule" cascade;`);

    this.addSql(`drop table if exists "recon_file" cascade;`);

    this.addSql(`drop table if exists "recon_mapping" cascade;`);

    this.addSql(`drop table if exists "recon_approval" cascade;`);

    this.addSql(`drop type "recon_match_type";`);
    this.addSql(`drop type "recon_side";`);
    this.addSql(`drop type "recon_row_direction";`);
    this.addSql(`drop type "recon_job_status";`);
    this.addSql(`drop type "recon_exception_type";`);
    this.addSql(`drop type "recon_exception_severity";`);
    this.addSql(`drop type "recon_exception_status";`);
    this.addSql(`drop type "recon_rule_type";`);
    this.addSql(`drop type "recon_rule_status";`);
    this.addSql(`drop type "recon_file_type";`);
    this.addSql(`drop type "recon_file_format";`);
    this.addSql(`drop type "recon_file_status";`);
    this.addSql(`drop type "recon_approval_type";`);
    this.addSql(`drop type "recon_approval_status";`);
  }

}
