import { Migration } from '@mikro-orm/migrations';

export class Migration20261121032727 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "csr_partner_type" as enum ('internal', 'recipient_partner', 'vendor');`);
    this.addSql(`create type "csr_sector" as enum ('education', 'health', 'infrastructure', 'agriculture', 'other');`);
    this.addSql(`create type "csr_project_status" as enum ('planning', 'active', 'on_hold', 'completed', 'cancelled');`);
    this.addSql(`create type "csr_survey_status" as enum ('draft', 'open', 'closed');`);
    this.addSql(`create type "csr_milestone_status" as enum ('pending', 'in_progress', 'completed', 'overdue', 'approved');`);
    this.addSql(`create type "csr_disbursement_status" as enum ('pending', 'released', 'cancelled');`);
    this.addSql(`create type "csr_expense_status" as enum ('submitted', 'approved', 'rejected', 'paid');`);
    this.addSql(`create table "csr_partner" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "name" text not null, "type" "csr_partner_type" not null, "contact_name" text null, "contact_email" text null, "contact_phone" text null, "address" text null, "mou_signed" boolean not null default false, "mou_date" date null, "active" boolean not null default true, constraint "csr_partner_pkey" primary key ("id"));`);
    this.addSql(`create index "csr_partner_organization_id_index" on "csr_partner" ("organization_id");`);
    this.addSql(`create index "csr_partner_organization_id_name_index" on "csr_partner" ("organization_id", "name");`);

    this.addSql(`create table "csr_project" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "title" text not null, "description" text null, "sector" "csr_sector" not null, "status" "csr_project_status" not null default 'planning', "start_date" date null, "end_date" date null, "estimated_budget" numeric(18,2) null, "actual_expenditure" numeric(18,2) not null default '0', "partner_id" uuid null, "created_by_id" uuid null, constraint "csr_project_pkey" primary key ("id"), constraint csr_project_dates_check check (end_date is null or start_date is null or end_date >= start_date));`);
    this.addSql(`create index "csr_project_organization_id_index" on "csr_project" ("organization_id");`);
    this.addSql(`create index "csr_project_partner_id_index" on "csr_project" ("partner_id");`);
    this.addSql(`create index "csr_project_organization_id_status_index" on "csr_project" ("organization_id", "status");`);
    this.addSql(`create index "csr_project_organization_id_created_at_id_index" on "csr_project" ("organization_id", "created_at", "id");`);

    this.addSql(`create table "csr_survey" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "project_id" uuid not null, "title" text not null, "description" text null, "status" "csr_survey_status" not null default 'draft', "questions" jsonb not null, "created_by_id" uuid null, constraint "csr_survey_pkey" primary key ("id"));`);
    this.addSql(`create index "csr_survey_organization_id_index" on "csr_survey" ("organization_id");`);
    this.addSql(`create index "csr_survey_project_id_index" on "csr_survey" ("project_id");`);

    this.addSql(`create table "csr_survey_response" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "survey_id" uuid not null, "respondent_id" uuid null, "answers" jsonb not null, constraint "csr_survey_response_pkey" primary key ("id"));`);
    this.addSql(`create index "csr_survey_response_organization_id_index" on "csr_survey_response" ("organization_id");`);
    this.addSql(`create index "csr_survey_response_survey_id_index" on "csr_survey_response" ("survey_id");`);

    this.addSql(`create table "csr_kpi" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "project_id" uuid not null, "name" text not null, "unit" text not null, "baseline" numeric(18,4) not null, "target" numeric(18,4) not null, "current" numeric(18,4) not null, constraint "csr_kpi_pkey" primary key ("id"), constraint csr_kpi_target_check check (target <> baseline));`);
    this.addSql(`create index "csr_kpi_organization_id_index" on "csr_kpi" ("organization_id");`);
    this.addSql(`create index "csr_kpi_project_id_index" on "csr_kpi" ("project_id");`);

    this.addSql(`create table "csr_partner_member" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "partner_id" uuid not null, "user_id" uuid not null, constraint "csr_partner_member_pkey" primary key ("id"));`);
    this.addSql(`create index "csr_partner_member_organization_id_index" on "csr_partner_member" ("organization_id");`);
    this.addSql(`create index "csr_partner_member_partner_id_index" on "csr_partner_member" ("partner_id");`);
    this.addSql(`create index "csr_partner_member_user_id_index" on "csr_partner_member" ("user_id");`);
    this.addSql(`alter table "csr_partner_member" add constraint "csr_partner_member_organization_id_user_id_unique" unique ("organization_id", "user_id");`);

    this.addSql(`create table "csr_milestone" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "project_id" uuid not null, "title" text not null, "description" text null, "due_date" date null, "completion_percentage" int not null default 0, "status" "csr_milestone_status" not null default 'pending', "notes" text null, "approved_by_id" uuid null, "approved_at" timestamptz null, constraint "csr_milestone_pkey" primary key ("id"), constraint csr_milestone_completion_check check (completion_percentage between 0 and 100));`);
    this.addSql(`create index "csr_milestone_organization_id_index" on "csr_milestone" ("organization_id");`);
    this.addSql(`create index "csr_milestone_project_id_index" on "csr_milestone" ("project_id");`);
    this.addSql(`create index "csr_milestone_organization_id_status_due_date_index" on "csr_milestone" ("organization_id", "status", "due_date");`);

    this.addSql(`create table "csr_kpi_measurement" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "kpi_id" uuid not null, "value" numeric(18,4) not null, "measured_on" date not null, "note" text null, "recorded_by_id" uuid null, constraint "csr_kpi_measurement_pkey" primary key ("id"));`);
    this.addSql(`create index "csr_kpi_measurement_organization_id_index" on "csr_kpi_measurement" ("organization_id");`);
    this.addSql(`create index "csr_kpi_measurement_kpi_id_index" on "csr_kpi_measurement" ("kpi_id");`);

    this.addSql(`create table "csr_disbursement" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "partner_id" uuid not null, "project_id" uuid null, "amount" numeric(18,2) not null, "status" "csr_disbursement_status" not null default 'pending', "reference" text null, "scheduled_date" date null, "released_at" timestamptz null, "created_by_id" uuid null, constraint "csr_disbursement_pkey" primary key ("id"), constraint csr_disbursement_amount_check check (amount > 0));`);
    this.addSql(`create index "csr_disbursement_organization_id_index" on "csr_disbursement" ("organization_id");`);
    this.addSql(`create index "csr_disbursement_partner_id_index" on "csr_disbursement" ("partner_id");`);
    this.addSql(`create index "csr_disbursement_project_id_index" on "csr_disbursement" ("project_id");`);

    this.addSql(`create table "csr_budget" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "financial_year" int not null, "total" numeric(18,2) not null, "created_by_id" uuid null, constraint "csr_budget_pkey" primary key ("id"), constraint csr_budget_total_check check (total > 0));`);
    this.addSql(`create index "csr_budget_organization_id_index" on "csr_budget" ("organization_id");`);
    this.addSql(`alter table "csr_budget" add constraint "csr_budget_organization_id_financial_year_unique" unique ("organization_id", "financial_year");`);

    this.addSql(`create table "csr_budget_allocation" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "budget_id" uuid not null, "sector" "csr_sector" not null, "allocated" numeric(18,2) not null, "spent" numeric(18,2) not null default '0', constraint "csr_budget_allocation_pkey" primary key ("id"), constraint csr_budget_allocation_spent_check check (spent >= 0 and spent <= allocated));`);
    this.addSql(`create index "csr_budget_allocation_organization_id_index" on "csr_budget_allocation" ("organization_id");`);
    this.addSql(`create index "csr_budget_allocation_budget_id_index" on "csr_budget_allocation" ("budget_id");`);
    this.addSql(`alter table "csr_budget_allocation" add constraint "csr_budget_allocation_budget_id_sector_unique" unique ("budget_id", "sector");`);

    this.addSql(`create table "csr_expense" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "project_id" uuid not null, "allocation_id" uuid not null, "amount" numeric(18,2) not null, "category" text not null, "description" text null, "expense_date" date not null, "receipt_file_id" uuid null, "status" "csr_expense_status" not null default 'submitted', "submitted_by_id" uuid null, "approved_by_id" uuid null, "approved_at" timestamptz null, "rejection_reason" text null, "paid_at" timestamptz null, constraint "csr_expense_pkey" primary key ("id"), constraint csr_expense_amount_check check (amount > 0));`);
    this.addSql(`create index "csr_expense_organization_id_index" on "csr_expense" ("organization_id");`);
    this.addSql(`create index "csr_expense_project_id_index" on "csr_expense" ("project_id");`);
    this.addSql(`create index "csr_expense_allocation_id_index" on "csr_expense" ("allocation_id");`);
    this.addSql(`create index "csr_expense_organization_id_status_index" on "csr_expense" ("organization_id", "status");`);

    this.addSql(`alter table "csr_partner" add constraint "csr_partner_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "csr_project" add constraint "csr_project_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "csr_project" add constraint "csr_project_partner_id_foreign" foreign key ("partner_id") references "csr_partner" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "csr_project" add constraint "csr_project_created_by_id_foreign" foreign key ("created_by_id") references "identity_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "csr_survey" add constraint "csr_survey_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "csr_survey" add constraint "csr_survey_project_id_foreign" foreign key ("project_id") references "csr_project" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "csr_survey" add constraint "csr_survey_created_by_id_foreign" foreign key ("created_by_id") references "identity_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "csr_survey_response" add constraint "csr_survey_response_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "csr_survey_response" add constraint "csr_survey_response_survey_id_foreign" foreign key ("survey_id") references "csr_survey" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "csr_survey_response" add constraint "csr_survey_response_respondent_id_foreign" foreign key ("respondent_id") references "identity_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "csr_kpi" add constraint "csr_kpi_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "csr_kpi" add constraint "csr_kpi_project_id_foreign" foreign key ("project_id") references "csr_project" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "csr_partner_member" add constraint "csr_partner_member_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "csr_partner_member" add constraint "csr_partner_member_partner_id_foreign" foreign key ("partner_id") references "csr_partner" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "csr_partner_member" add constraint "csr_partner_member_user_id_foreign" foreign key ("user_id") references "identity_user" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "csr_milestone" add constraint "csr_milestone_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "csr_milestone" add constraint "csr_milestone_project_id_foreign" foreign key ("project_id") references "csr_project" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "csr_milestone" add constraint "csr_milestone_approved_by_id_foreign" foreign key ("approved_by_id") references "identity_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "csr_kpi_measurement" add constraint "csr_kpi_measurement_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "csr_kpi_measurement" add constraint "csr_kpi_measurement_kpi_id_foreign" foreign key ("kpi_id") references "csr_kpi" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "csr_kpi_measurement" add constraint "csr_kpi_measurement_recorded_by_id_foreign" foreign key ("recorded_by_id") references "identity_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "csr_disbursement" add constraint "csr_disbursement_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "csr_disbursement" add constraint "csr_disbursement_partner_id_foreign" foreign key ("partner_id") references "csr_partner" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "csr_disbursement" add constraint "csr_disbursement_project_id_foreign" foreign key ("project_id") references "csr_project" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "csr_disbursement" add constraint "csr_disbursement_created_by_id_foreign" foreign key ("created_by_id") references "identity_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "csr_budget" add constraint "csr_budget_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "csr_budget" add constraint "csr_budget_created_by_id_foreign" foreign key ("created_by_id") references "identity_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "csr_budget_allocation" add constraint "csr_budget_allocation_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "csr_budget_allocation" add constraint "csr_budget_allocation_budget_id_foreign" foreign key ("budget_id") references "csr_budget" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "csr_expense" add constraint "csr_expense_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "csr_expense" add constraint "csr_expense_project_id_foreign" foreign key ("project_id") references "csr_project" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "csr_expense" add constraint "csr_expense_allocation_id_foreign" foreign key ("allocation_id") references "csr_budget_allocation" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "csr_expense" add constraint "csr_expense_receipt_file_id_foreign" foreign key ("receipt_file_id") references "files_file" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "csr_expense" add constraint "csr_expense_submitted_by_id_foreign" foreign key ("submitted_by_id") references "identity_user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "csr_expense" add constraint "csr_expense_approved_by_id_foreign" foreign key ("approved_by_id") references "identity_user" ("id") on update cascade on delete set null;`);
    this.addSql("select app_enable_tenant_rls('csr_partner');");
    this.addSql("select app_enable_tenant_rls('csr_partner_member');");
    this.addSql("select app_enable_tenant_rls('csr_project');");
    this.addSql("select app_enable_tenant_rls('csr_milestone');");
    this.addSql("select app_enable_tenant_rls('csr_budget');");
    this.addSql("select app_enable_tenant_rls('csr_budget_allocation');");
    this.addSql("select app_enable_tenant_rls('csr_expense');");
    this.addSql("select app_enable_tenant_rls('csr_disbursement');");
    this.addSql("select app_enable_tenant_rls('csr_survey');");
    this.addSql("select app_enable_tenant_rls('csr_survey_response');");
    this.addSql("select app_enable_tenant_rls('csr_kpi');");
    this.addSql("select app_enable_tenant_rls('csr_kpi_measurement');");
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "csr_project" drop constraint "csr_project_partner_id_foreign";`);

    this.addSql(`alter table "csr_partner_member" drop constraint "csr_partner_member_partner_id_foreign";`);

    this.addSql(`alter table "csr_disbursement" drop constraint "csr_disbursement_partner_id_foreign";`);

    this.addSql(`alter table "csr_survey" drop constraint "csr_survey_project_id_foreign";`);

    this.addSql(`alter table "csr_kpi" drop constraint "csr_kpi_project_id_foreign";`);

    this.addSql(`alter table "csr_milestone" drop constraint "csr_milestone_project_id_foreign";`);

    this.addSql(`alter table "csr_disbursement" drop constraint "csr_disbursement_project_id_foreign";`);

    this.addSql(`alter table "csr_expense" drop constraint "csr_expense_project_id_foreign";`);

    this.addSql(`alter table "csr_survey_response" drop constraint "csr_survey_response_survey_id_foreign";`);

    this.addSql(`alter table "csr_kpi_measurement" drop constraint "csr_kpi_measurement_kpi_id_foreign";`);

    this.addSql(`alter table "csr_budget_allocation" drop constraint "csr_budget_allocation_budget_id_foreign";`);

    this.addSql(`alter table "csr_expense" drop constraint "csr_expense_allocation_id_foreign";`);

    this.addSql(`drop table if exists "csr_partner" cascade;`);

    this.addSql(`drop table if exists "csr_project" cascade;`);

    this.addSql(`drop table if exists "csr_survey" cascade;`);

    this.addSql(`drop table if exists "csr_survey_response" cascade;`);

    this.addSql(`drop table if exists "csr_kpi" cascade;`);

    this.addSql(`drop table if exists "csr_partner_member" cascade;`);

    this.addSql(`drop table if exists "csr_milestone" cascade;`);

    this.addSql(`drop table if exists "csr_kpi_measurement" cascade;`);

    this.addSql(`drop table if exists "csr_disbursement" cascade;`);

    this.addSql(`drop table if exists "csr_budget" cascade;`);

    this.addSql(`drop table if exists "csr_budget_allocation" cascade;`);

    this.addSql(`drop table if exists "csr_expense" cascade;`);

    this.addSql(`drop type "csr_partner_type";`);
    this.addSql(`drop type "csr_sector";`);
    this.addSql(`drop type "csr_project_status";`);
    this.addSql(`drop type "csr_survey_status";`);
    this.addSql(`drop type "csr_milestone_status";`);
    this.addSql(`drop type "csr_disbursement_status";`);
    this.addSql(`drop type "csr_expense_status";`);
  }

}
