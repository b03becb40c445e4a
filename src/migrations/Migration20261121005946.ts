import { Migration } from '@mikro-orm/migrations';

export class Migration20261121005946 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "organization_status" as enum ('active', 'inactive', 'suspended', 'trial');`);
    this.addSql(`create type "user_status" as enum ('active', 'inactive', 'suspended', 'pending');`);
    this.addSql(`create type "membership_status" as enum ('active', 'suspended');`);
    this.addSql(`create type "user_token_purpose" as enum ('password_reset', 'email_verification');`);
    this.addSql(`create table "tenancy_organization" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "name" text not null, "slug" text not null, "domain" text null, "status" "organization_status" not null default 'active', "subscription_tier" text not null default 'free', "quotas" jsonb not null, "settings" jsonb not null, "branding" jsonb not null, "contact_email" text null, "contact_phone" text null, "address" jsonb null, constraint "tenancy_organization_pkey" primary key ("id"));`);
    this.addSql(`alter table "tenancy_organization" add constraint "tenancy_organization_slug_unique" unique ("slug");`);

    this.addSql(`create table "audit_log" ("id" uuid not null, "organization_id" uuid null, "seq" bigint not null, "user_id" uuid null, "action" text not null, "resource_type" text null, "resource_id" text null, "changes" jsonb null, "ip" text null, "user_agent" text null, "request_id" text null, "prev_hash" text not null, "hash" text not null, "created_at" timestamptz not null, constraint "audit_log_pkey" primary key ("id"));`);
    this.addSql(`alter table "audit_log" add constraint "audit_log_organization_id_seq_unique" unique ("organization_id", "seq");`);
    this.addSql(`create index audit_log_org_created_idx on audit_log (organization_id, created_at desc);`);
    this.addSql(`create unique index audit_log_platform_seq_unique on audit_log (seq) where organization_id is null;`);

    this.addSql(`create table "access_role" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "key" text not null, "name" text not null, "description" text null, "permissions" text[] not null, "is_system" boolean not null default false, constraint "access_role_pkey" primary key ("id"));`);
    this.addSql(`create index "access_role_organization_id_index" on "access_role" ("organization_id");`);
    this.addSql(`alter table "access_role" add constraint "access_role_organization_id_key_unique" unique ("organization_id", "key");`);

    this.addSql(`create table "identity_user" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "email" text not null, "password_hash" text not null, "first_name" text not null, "last_name" text not null, "phone" text null, "status" "user_status" not null default 'active', "email_verified_at" timestamptz null, "last_login_at" timestamptz null, "failed_login_attempts" int not null default 0, "locked_until" timestamptz null, "password_changed_at" timestamptz not null, "password_history" jsonb not null, "is_platform_operator" boolean not null default false, "last_organization_id" uuid null, constraint "identity_user_pkey" primary key ("id"));`);
    this.addSql(`create unique index identity_user_email_unique on identity_user (lower(email));`);

    this.addSql(`create table "identity_session" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "user_id" uuid not null, "organization_id" uuid null, "ip" text null, "user_agent" text null, "last_used_at" timestamptz not null, "expires_at" timestamptz not null, "revoked_at" timestamptz null, "revoked_reason" text null, constraint "identity_session_pkey" primary key ("id"));`);
    this.addSql(`create index "identity_session_user_id_index" on "identity_session" ("user_id");`);

    this.addSql(`create table "identity_refresh_token" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "session_id" uuid not null, "token_hash" text not null, "expires_at" timestamptz not null, "rotated_at" timestamptz null, constraint "identity_refresh_token_pkey" primary key ("id"));`);
    this.addSql(`create index "identity_refresh_token_session_id_index" on "identity_refresh_token" ("session_id");`);
    this.addSql(`alter table "identity_refresh_token" add constraint "identity_refresh_token_token_hash_unique" unique ("token_hash");`);

    this.addSql(`create table "tenancy_membership" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "user_id" uuid not null, "status" "membership_status" not null default 'active', constraint "tenancy_membership_pkey" primary key ("id"));`);
    this.addSql(`create index "tenancy_membership_organization_id_index" on "tenancy_membership" ("organization_id");`);
    this.addSql(`create index "tenancy_membership_user_id_index" on "tenancy_membership" ("user_id");`);
    this.addSql(`alter table "tenancy_membership" add constraint "tenancy_membership_organization_id_user_id_unique" unique ("organization_id", "user_id");`);

    this.addSql(`create table "access_role_assignment" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "membership_id" uuid not null, "role_id" uuid not null, constraint "access_role_assignment_pkey" primary key ("id"));`);
    this.addSql(`create index "access_role_assignment_organization_id_index" on "access_role_assignment" ("organization_id");`);
    this.addSql(`create index "access_role_assignment_membership_id_index" on "access_role_assignment" ("membership_id");`);
    this.addSql(`create index "access_role_assignment_role_id_index" on "access_role_assignment" ("role_id");`);
    this.addSql(`alter table "access_role_assignment" add constraint "access_role_assignment_membership_id_role_id_unique" unique ("membership_id", "role_id");`);

    this.addSql(`create table "tenancy_invitation" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" uuid not null, "email" text not null, "role_ids" text[] not null, "invited_by_id" uuid null, "token_hash" text not null, "expires_at" timestamptz not null, "accepted_at" timestamptz null, "accepted_by_id" uuid null, "revoked_at" timestamptz null, constraint "tenancy_invitation_pkey" primary key ("id"));`);
    this.addSql(`create index "tenancy_invitation_organization_id_index" on "tenancy_invitation" ("organization_id");`);
    this.addSql(`alter table "tenancy_invitation" add constraint "tenancy_invitation_token_hash_unique" unique ("token_hash");`);

    this.addSql(`create table "identity_user_token" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "user_id" uuid not null, "purpose" "user_token_purpose" not null, "token_hash" text not null, "expires_at" timestamptz not null, "used_at" timestamptz null, constraint "identity_user_token_pkey" primary key ("id"));`);
    this.addSql(`create index "identity_user_token_user_id_index" on "identity_user_token" ("user_id");`);
    this.addSql(`alter table "identity_user_token" add constraint "identity_user_token_token_hash_unique" unique ("token_hash");`);

    this.addSql(`alter table "audit_log" add constraint "audit_log_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete no action;`);

    this.addSql(`alter table "access_role" add constraint "access_role_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "identity_session" add constraint "identity_session_user_id_foreign" foreign key ("user_id") references "identity_user" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "identity_session" add constraint "identity_session_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "identity_refresh_token" add constraint "identity_refresh_token_session_id_foreign" foreign key ("session_id") references "identity_session" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "tenancy_membership" add constraint "tenancy_membership_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "tenancy_membership" add constraint "tenancy_membership_user_id_foreign" foreign key ("user_id") references "identity_user" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "access_role_assignment" add constraint "access_role_assignment_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "access_role_assignment" add constraint "access_role_assignment_membership_id_foreign" foreign key ("membership_id") references "tenancy_membership" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "access_role_assignment" add constraint "access_role_assignment_role_id_foreign" foreign key ("role_id") references "access_role" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "tenancy_invitation" add constraint "tenancy_invitation_organization_id_foreign" foreign key ("organization_id") references "tenancy_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "tenancy_invitation" add constraint "tenancy_invitation_invited_by_id_foreign" foreign key ("invited_by_id") references "identity_user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "tenancy_invitation" add constraint "tenancy_invitation_accepted_by_id_foreign" foreign key ("accepted_by_id") references "identity_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "identity_user_token" add constraint "identity_user_token_user_id_foreign" foreign key ("user_id") references "identity_user" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "audit_log" drop constraint "audit_log_organization_id_foreign";`);

    this.addSql(`alter table "access_role" drop constraint "access_role_organization_id_foreign";`);

    this.addSql(`alter table "identity_session" drop constraint "identity_session_organization_id_foreign";`);

    this.addSql(`alter table "tenancy_membership" drop constraint "tenancy_membership_organization_id_foreign";`);

    this.addSql(`alter table "access_role_assignment" drop constraint "access_role_assignment_organization_id_foreign";`);

    this.addSql(`alter table "tenancy_invitation" drop constraint "tenancy_invitation_organization_id_foreign";`);

    this.addSql(`alter table "access_role_assignment" drop constraint "access_role_assignment_role_id_foreign";`);

    this.addSql(`alter table "identity_session" drop constraint "identity_session_user_id_foreign";`);

    this.addSql(`alter table "tenancy_membership" drop constraint "tenancy_membership_user_id_foreign";`);

    this.addSql(`alter table "tenancy_invitation" drop constraint "tenancy_invitation_invited_by_id_foreign";`);

    this.addSql(`alter table "tenancy_invitation" drop constraint "tenancy_invitation_accepted_by_id_foreign";`);

    this.addSql(`alter table "identity_user_token" drop constraint "identity_user_token_user_id_foreign";`);

    this.addSql(`alter table "identity_refresh_token" drop constraint "identity_refresh_token_session_id_foreign";`);

    this.addSql(`alter table "access_role_assignment" drop constraint "access_role_assignment_membership_id_foreign";`);

    this.addSql(`drop table if exists "tenancy_organization" cascade;`);

    this.addSql(`drop table if exists "audit_log" cascade;`);

    this.addSql(`drop table if exists "access_role" cascade;`);

    this.addSql(`drop table if exists "identity_user" cascade;`);

    this.addSql(`drop table if exists "identity_session" cascade;`);

    this.addSql(`drop table if exists "identity_refresh_token" cascade;`);

    this.addSql(`drop table if exists "tenancy_membership" cascade;`);

    this.addSql(`drop table if exists "access_role_assignment" cascade;`);

    this.addSql(`drop table if exists "tenancy_invitation" cascade;`);

    this.addSql(`drop table if exists "identity_user_token" cascade;`);

    this.addSql(`drop type "organization_status";`);
    this.addSql(`drop type "user_status";`);
    this.addSql(`drop type "membership_status";`);
    this.addSql(`drop type "user_token_purpose";`);
  }

}
