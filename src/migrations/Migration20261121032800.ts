import { Migration } from '@mikro-orm/migrations';

export class Migration20261121032800 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "crm_stage_kind" as enum ('open', 'won', 'lost');`);
    this.addSql(`create type "crm_employment_type" as enum ('full_time', 'part_time', 'contract', 'intern');`);
    this.addSql(`create type "crm_customer_type" as enum ('individual', 'business');`);
    this.addSql(`create type "crm_customer_status" as enum ('active', 'inactive', 'prospect', 'vip');`);
    this.addSql(`create type "crm_lead_source" as enum ('website', 'referral', 'social_media', 'email_campaign', 'cold_call', 'event', 'partner');`);
    this.addSql(`create type "crm_lead_status" as enum ('new', 'contacted', 'qualified', 'unqualified', 'converted', 'lost');`);
    this.addSql(`create type "crm_deal_priority" as enum ('low', 'medium', 'high', 'urgent');`);
    this.addSql(`create type "crm_deal_status" as enum ('open', 'won', 'lost');`);
    this.addSql(`create type "crm_quotation_status" as enum ('draft', 'sent', 'accepted', 'rejected', 'expired');`);
    this.addSql(`create type "crm_activity_type" as enum ('task', 'call', 'meeting', 'email', 'note');`);
    this.addSql(`create table "crm_pipeline" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "name" text not null, "description" text null, "is_default" boolean not null default false, constraint "crm_pipeline_pkey" primary key ("id"));`);
    this.addSql(`create index "crm_pipeline_organization_id_index" on "crm_pipeline" ("organization_id");`);
    this.addSql(`create unique index "crm_pipeline_one_default" on "crm_pipeline" ("organization_id") where "is_default";`);

    this.addSql(`create table "crm_pipeline_stage" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "pipeline_id" uuid not null, "name" text not null, "position" smallint not null, "probability" smallint not null, "kind" "crm_stage_kind" not null default 'open', constraint "crm_pipeline_stage_pkey" primary key ("id"));`);
    this.addSql(`create index "crm_pipeline_stage_organization_id_index" on "crm_pipeline_stage" ("organization_id");`);
    this.addSql(`create index "crm_pipeline_stage_pipeline_id_index" on "crm_pipeline_stage" ("pipeline_id");`);
    this.addSql(`alter table "crm_pipeline_stage" add constraint "crm_pipeline_stage_pipeline_id_position_unique" unique ("pipeline_id", "position");`);

    this.addSql(`create table "crm_employee" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "code" text not null, "first_name" text not null, "last_name" text not null, "email" text null, "phone" text null, "department" text null, "designation" text null, "salary" numeric(18,2) null, "employment_type" "crm_employment_type" not null default 'full_time', "user_id" uuid null, "is_active" boolean not null default true, constraint "crm_employee_pkey" primary key ("id"));`);
    this.addSql(`create index "crm_employee_organization_id_index" on "crm_employee" ("organization_id");`);
    this.addSql(`create index "crm_employee_user_id_index" on "crm_employee" ("user_id");`);
    this.addSql(`alter table "crm_employee" add constraint "crm_employee_organization_id_code_unique" unique ("organization_id", "code");`);

    this.addSql(`create table "crm_sales_target" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "name" text not null, "employee_id" uuid null, "period_start" date not null, "period_end" date not null, "amount" numeric(18,2) not null, "currency" text not null default 'USD', constraint "crm_sales_target_pkey" primary key ("id"));`);
    this.addSql(`create index "crm_sales_target_organization_id_index" on "crm_sales_target" ("organization_id");`);
    this.addSql(`create index "crm_sales_target_employee_id_index" on "crm_sales_target" ("employee_id");`);

    this.addSql(`create table "crm_customer" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "name" text not null, "customer_type" "crm_customer_type" not null default 'individual', "company_name" text null, "email" text null, "phone" text null, "website" text null, "address_line" text null, "city" text null, "state" text null, "postal_code" text null, "country" text null, "status" "crm_customer_status" not null default 'prospect', "industry" text null, "rating" smallint null, "notes" text null, "assigned_employee_id" uuid null, "source_lead_id" uuid null, "created_by_id" uuid null, "deleted_at" timestamptz null, constraint "crm_customer_pkey" primary key ("id"));`);
    this.addSql(`create index "crm_customer_organization_id_index" on "crm_customer" ("organization_id");`);
    this.addSql(`create index "crm_customer_assigned_employee_id_index" on "crm_customer" ("assigned_employee_id");`);
    this.addSql(`create index "crm_customer_organization_id_status_index" on "crm_customer" ("organization_id", "status");`);

    this.addSql(`create table "crm_lead" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "name" text not null, "company" text null, "job_title" text null, "email" text null, "phone" text null, "source" "crm_lead_source" not null default 'website', "status" "crm_lead_status" not null default 'new', "score" smallint not null default 0, "estimated_value" numeric(18,2) null, "currency" text not null default 'USD', "notes" text null, "assigned_employee_id" uuid null, "created_by_id" uuid null, "converted_at" timestamptz null, "converted_by_id" uuid null, "converted_customer_id" uuid null, "converted_deal_id" uuid null, "deleted_at" timestamptz null, constraint "crm_lead_pkey" primary key ("id"));`);
    this.addSql(`create index "crm_lead_organization_id_index" on "crm_lead" ("organization_id");`);
    this.addSql(`create index "crm_lead_assigned_employee_id_index" on "crm_lead" ("assigned_employee_id");`);
    this.addSql(`create index "crm_lead_created_by_id_index" on "crm_lead" ("created_by_id");`);
    this.addSql(`create index "crm_lead_organization_id_status_index" on "crm_lead" ("organization_id", "status");`);

    this.addSql(`create table "crm_contact" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "customer_id" uuid null, "first_name" text not null, "last_name" text not null, "email" text null, "phone" text null, "job_title" text null, "is_primary" boolean not null default false, "created_by_id" uuid null, "deleted_at" timestamptz null, constraint "crm_contact_pkey" primary key ("id"));`);
    this.addSql(`create index "crm_contact_organization_id_index" on "crm_contact" ("organization_id");`);
    this.addSql(`create index "crm_contact_customer_id_index" on "crm_contact" ("customer_id");`);

    this.addSql(`create table "crm_deal" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "title" text not null, "description" text null, "customer_id" uuid null, "lead_id" uuid null, "contact_id" uuid null, "pipeline_id" uuid not null, "stage_id" uuid not null, "assigned_employee_id" uuid null, "value" numeric(18,2) not null, "currency" text not null default 'USD', "probability" smallint not null default 0, "priority" "crm_deal_priority" not null default 'medium', "status" "crm_deal_status" not null default 'open', "expected_close_date" date null, "actual_close_date" date null, "lost_reason" text null, "created_by_id" uuid null, "deleted_at" timestamptz null, constraint "crm_deal_pkey" primary key ("id"));`);
    this.addSql(`create index "crm_deal_organization_id_index" on "crm_deal" ("organization_id");`);
    this.addSql(`create index "crm_deal_customer_id_index" on "crm_deal" ("customer_id");`);
    this.addSql(`create index "crm_deal_lead_id_index" on "crm_deal" ("lead_id");`);
    this.addSql(`create index "crm_deal_pipeline_id_index" on "crm_deal" ("pipeline_id");`);
    this.addSql(`create index "crm_deal_assigned_employee_id_index" on "crm_deal" ("assigned_employee_id");`);
    this.addSql(`create index "crm_deal_created_by_id_index" on "crm_deal" ("created_by_id");`);
    this.addSql(`create index "crm_deal_organization_id_stage_id_index" on "crm_deal" ("organization_id", "stage_id");`);
    this.addSql(`create index "crm_deal_organization_id_created_at_id_index" on "crm_deal" ("organization_id", "created_at", "id");`);

    this.addSql(`create table "crm_quotation" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "number" int not null, "title" text not null, "customer_id" uuid null, "deal_id" uuid null, "assigned_employee_id" uuid null, "currency" text not null default 'USD', "status" "crm_quotation_status" not null default 'draft', "valid_until" date null, "subtotal" numeric(18,2) not null default '0', "tax_total" numeric(18,2) not null default '0', "total" numeric(18,2) not null default '0', "notes" text null, "sent_at" timestamptz null, "decided_at" timestamptz null, "created_by_id" uuid null, constraint "crm_quotation_pkey" primary key ("id"));`);
    this.addSql(`create index "crm_quotation_organization_id_index" on "crm_quotation" ("organization_id");`);
    this.addSql(`create index "crm_quotation_customer_id_index" on "crm_quotation" ("customer_id");`);
    this.addSql(`create index "crm_quotation_deal_id_index" on "crm_quotation" ("deal_id");`);
    this.addSql(`create index "crm_quotation_assigned_employee_id_index" on "crm_quotation" ("assigned_employee_id");`);
    this.addSql(`create index "crm_quotation_created_by_id_index" on "crm_quotation" ("created_by_id");`);
    this.addSql(`alter table "crm_quotation" add constraint "crm_quotation_organization_id_number_unique" unique ("organization_id", "number");`);

    this.addSql(`create table "crm_quotation_item" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "quotation_id" uuid not null, "position" smallint not null, "description" text not null, "quantity" numeric(18,4) not null, "unit_price" numeric(18,2) not null, "tax_rate" numeric(5,2) not null default '0', "subtotal" numeric(18,2) not null, "tax" numeric(18,2) not null, "total" numeric(18,2) not null, constraint "crm_quotation_item_pkey" primary key ("id"));`);
    this.addSql(`create index "crm_quotation_item_organization_id_index" on "crm_quotation_item" ("organization_id");`);
    this.addSql(`create index "crm_quotation_item_quotation_id_index" on "crm_quotation_item" ("quotation_id");`);

    this.addSql(`create table "crm_activity" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "type" "crm_activity_type" not null, "subject" text not null, "description" text null, "due_at" timestamptz null, "completed_at" timestamptz null, "lead_id" uuid null, "deal_id" uuid null, "contact_id" uuid null, "customer_id" uuid null, "assigned_employee_id" uuid null, "created_by_id" uuid null, constraint "crm_activity_pkey" primary key ("id"));`);
    this.addSql(`create index "crm_activity_organization_id_index" on "crm_activity" ("organization_id");`);
    this.addSql(`create index "crm_activity_lead_id_index" on "crm_activity" ("lead_id");`);
    this.addSql(`create index "crm_activity_deal_id_index" on "crm_activity" ("deal_id");`);
    this.addSql(`create index "crm_activity_contact_id_index" on "crm_activity" ("contact_id");`);
    this.addSql(`create index "crm_activity_customer_id_index" on "crm_activity" ("customer_id");`);
    this.addSql(`create index "crm_activity_assigned_employee_id_index" on "crm_activity" ("assigned_employee_id");`);
    this.addSql(`create index "crm_activity_created_by_id_index" on "crm_activity" ("created_by_id");`);

    this.addSql(`create table "crm_vendor" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "name" text not null, "company_name" text null, "email" text null, "phone" text null, "industry" text null, "rating" smallint null, "assigned_employee_id" uuid null, constraint "crm_vendor_pkey" primary key ("id"));`);
    this.addSql(`create index "crm_vendor_organization_id_index" on "crm_vendor" ("organization_id");`);
    this.addSql(`create index "crm_vendor_assigned_employee_id_index" on "crm_vendor" ("assigned_employee_id");`);

    this.addSql(`alter table "crm_pipeline" add constraint "crm_pipeline_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "crm_pipeline_stage" add constraint "crm_pipeline_stage_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "crm_pipeline_stage" add constraint "crm_pipeline_stage_pipeline_id_foreign" foreign key ("pipeline_id") references "crm_pipeline" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "crm_employee" add constraint "crm_employee_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "crm_employee" add constraint "crm_employee_user_id_foreign" foreign key ("user_id") references "identity_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "crm_sales_target" add constraint "crm_sales_target_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "crm_sales_target" add constraint "crm_sales_target_employee_id_foreign" foreign key ("employee_id") references "crm_employee" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "crm_customer" add constraint "crm_customer_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "crm_customer" add constraint "crm_customer_assigned_employee_id_foreign" foreign key ("assigned_employee_id") references "crm_employee" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "crm_customer" add constraint "crm_customer_created_by_id_foreign" foreign key ("created_by_id") references "identity_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "crm_lead" add constraint "crm_lead_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "crm_lead" add constraint "crm_lead_assigned_employee_id_foreign" foreign key ("assigned_employee_id") references "crm_employee" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "crm_lead" add constraint "crm_lead_created_by_id_foreign" foreign key ("created_by_id") references "identity_user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "crm_lead" add constraint "crm_lead_converted_by_id_foreign" foreign key ("converted_by_id") references "identity_user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "crm_lead" add constraint "crm_lead_converted_customer_id_foreign" foreign key ("converted_customer_id") references "crm_customer" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "crm_contact" add constraint "crm_contact_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "crm_contact" add constraint "crm_contact_customer_id_foreign" foreign key ("customer_id") references "crm_customer" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "crm_contact" add constraint "crm_contact_created_by_id_foreign" foreign key ("created_by_id") references "identity_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "crm_deal" add constraint "crm_deal_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "crm_deal" add constraint "crm_deal_customer_id_foreign" foreign key ("customer_id") references "crm_customer" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "crm_deal" add constraint "crm_deal_lead_id_foreign" foreign key ("lead_id") references "crm_lead" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "crm_deal" add constraint "crm_deal_contact_id_foreign" foreign key ("contact_id") references "crm_contact" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "crm_deal" add constraint "crm_deal_pipeline_id_foreign" foreign key ("pipeline_id") references "crm_pipeline" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "crm_deal" add constraint "crm_deal_stage_id_foreign" foreign key ("stage_id") references "crm_pipeline_stage" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "crm_deal" add constraint "crm_deal_assigned_employee_id_foreign" foreign key ("assigned_employee_id") references "crm_employee" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "crm_deal" add constraint "crm_deal_created_by_id_foreign" foreign key ("created_by_id") references "identity_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "crm_quotation" add constraint "crm_quotation_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "crm_quotation" add constraint "crm_quotation_customer_id_foreign" foreign key ("customer_id") references "crm_customer" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "crm_quotation" add constraint "crm_quotation_deal_id_foreign" foreign key ("deal_id") references "crm_deal" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "crm_quotation" add constraint "crm_quotation_assigned_employee_id_foreign" foreign key ("assigned_employee_id") references "crm_employee" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "crm_quotation" add constraint "crm_quotation_created_by_id_foreign" foreign key ("created_by_id") references "identity_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "crm_quotation_item" add constraint "crm_quotation_item_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "crm_quotation_item" add constraint "crm_quotation_item_quotation_id_foreign" foreign key ("quotation_id") references "crm_quotation" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "crm_activity" add constraint "crm_activity_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "crm_activity" add constraint "crm_activity_lead_id_foreign" foreign key ("lead_id") references "crm_lead" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "crm_activity" add constraint "crm_activity_deal_id_foreign" foreign key ("deal_id") references "crm_deal" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "crm_activity" add constraint "crm_activity_contact_id_foreign" foreign key ("contact_id") references "crm_contact" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "crm_activity" add constraint "crm_activity_customer_id_foreign" foreign key ("customer_id") references "crm_customer" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "crm_activity" add constraint "crm_activity_assigned_employee_id_foreign" foreign key ("assigned_employee_id") references "crm_employee" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "crm_activity" add constraint "crm_activity_created_by_id_foreign" foreign key ("created_by_id") references "identity_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "crm_vendor" add constraint "crm_vendor_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "crm_vendor" add constraint "crm_vendor_assigned_employee_id_foreign" foreign key ("assigned_employee_id") references "crm_employee" ("id") on update cascade on delete set null;`);
    this.addSql(`select app_enable_tenant_rls('crm_employee');`);
    this.addSql(`select app_enable_tenant_rls('crm_vendor');`);
    this.addSql(`select app_enable_tenant_rls('crm_customer');`);
    this.addSql(`select app_enable_tenant_rls('crm_contact');`);
    this.addSql(`select app_enable_tenant_rls('crm_lead');`);
    this.addSql(`select app_enable_tenant_rls('crm_pipeline');`);
    this.addSql(`select app_enable_tenant_rls('crm_pipeline_stage');`);
    this.addSql(`select app_enable_tenant_rls('crm_deal');`);
    this.addSql(`select app_enable_tenant_rls('crm_activity');`);
    this.addSql(`select app_enable_tenant_rls('crm_quotation');`);
    this.addSql(`select app_enable_tenant_rls('crm_quotation_item');`);
    this.addSql(`select app_enable_tenant_rls('crm_sales_target');`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "crm_pipeline_stage" drop constraint "crm_pipeline_stage_pipeline_id_foreign";`);

    this.addSql(`alter table "crm_deal" drop constraint "crm_deal_pipeline_id_foreign";`);

    this.addSql(`alter table "crm_deal" drop constraint "crm_deal_stage_id_foreign";`);

    this.addSql(`alter table "crm_sales_target" drop constraint "crm_sales_target_employee_id_foreign";`);

    this.addSql(`alter table "crm_customer" drop constraint "crm_customer_assigned_employee_id_foreign";`);

    this.addSql(`alter table "crm_lead" drop constraint "crm_lead_assigned_employee_id_foreign";`);

    this.addSql(`alter table "crm_deal" drop constraint "crm_deal_assigned_employee_id_foreign";`);

    this.addSql(`alter table "crm_quotation" drop constraint "crm_quotation_assigned_employee_id_foreign";`);

    this.addSql(`alter table "crm_activity" drop constraint "crm_activity_assigned_employee_id_foreign";`);

    this.addSql(`alter table "crm_vendor" drop constraint "crm_vendor_assigned_employee_id_foreign";`);

    this.addSql(`alter table "crm_lead" drop constraint "crm_lead_converted_customer_id_foreign";`);

    this.addSql(`alter table "crm_contact" drop constraint "crm_contact_customer_id_foreign";`);

    this.addSql(`alter table "crm_deal" drop constraint "crm_deal_customer_id_foreign";`);

    this.addSql(`alter table "crm_quotation" drop constraint "crm_quotation_customer_id_foreign";`);

    this.addSql(`alter table "crm_activity" drop constraint "crm_activity_customer_id_foreign";`);

    this.addSql(`alter table "crm_deal" drop constraint "crm_deal_lead_id_foreign";`);

    this.addSql(`alter table "crm_activity" drop constraint "crm_activity_lead_id_foreign";`);

    this.addSql(`alter table "crm_deal" drop constraint "crm_deal_contact_id_foreign";`);

    this.addSql(`alter table "crm_activity" drop constraint "crm_activity_contact_id_foreign";`);

    this.addSql(`alter table "crm_quotation" drop constraint "crm_quotation_deal_id_foreign";`);

    this.addSql(`alter table "crm_activity" drop constraint "crm_activity_deal_id_foreign";`);

    this.addSql(`alter table "crm_quotation_item" drop constraint "crm_quotation_item_quotation_id_foreign";`);

    this.addSql(`drop table if exists "crm_pipeline" cascade;`);

    this.addSql(`drop table if exists "crm_pipeline_stage" cascade;`);

    this.addSql(`drop table if exists "crm_employee" cascade;`);

    this.addSql(`drop table if exists "crm_sales_target" cascade;`);

    this.addSql(`drop table if exists "crm_customer" cascade;`);

    this.addSql(`drop table if exists "crm_lead" cascade;`);

    this.addSql(`drop table if exists "crm_contact" cascade;`);

    this.addSql(`drop table if exists "crm_deal" cascade;`);

    this.addSql(`drop table if exists "crm_quotation" cascade;`);

    this.addSql(`drop table if exists "crm_quotation_item" cascade;`);

    this.addSql(`drop table if exists "crm_activity" cascade;`);

    this.addSql(`drop table if exists "crm_vendor" cascade;`);

    this.addSql(`drop type "crm_stage_kind";`);
    this.addSql(`drop type "crm_employment_type";`);
    this.addSql(`drop type "crm_customer_type";`);
    this.addSql(`drop type "crm_customer_status";`);
    this.addSql(`drop type "crm_lead_source";`);
    this.addSql(`drop type "crm_lead_status";`);
    this.addSql(`drop type "crm_deal_priority";`);
    this.addSql(`drop type "crm_deal_status";`);
    this.addSql(`drop type "crm_quotation_status";`);
    this.addSql(`drop type "crm_activity_type";`);
  }

}
