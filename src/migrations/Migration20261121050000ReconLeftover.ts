import { Migration } from '@mikro-orm/migrations';

/**
 * recon_leftover: the rows a run's first pass left unmatched, read by the later passes and the
 * exceptions instead of anti-joining every row of the files against the members. Removed with
 * its job like the matches and members (no foreign keys on the bulk tables).
 */
export class Migration20261121050000ReconLeftover extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "recon_leftover" ("job_id" uuid not null, "row_id" bigint not null, "organization_id" uuid not null, "side" "recon_side" not null, "file_id" uuid not null, "amount" numeric(18,2) not null, "date" date null, "reference" text null, "description" text null, "currency" text null, "channel" text null, constraint "recon_leftover_pkey" primary key ("job_id", "row_id"));`);
    this.addSql(`create or replace function recon_job_deleted() returns trigger language plpgsql as $$
      begin
        delete from recon_match_member where job_id = old.id;
        delete from recon_match where job_id = old.id;
        delete from recon_leftover where job_id = old.id;
        return old;
      end $$;`);
    this.addSql(`select app_enable_tenant_rls('recon_leftover');`);
  }

  override async down(): Promise<void> {
    this.addSql(`create or replace function recon_job_deleted() returns trigger language plpgsql as $$
      begin
        delete from recon_match_member where job_id = old.id;
        delete from recon_match where job_id = old.id;
        return old;
      end $$;`);
    this.addSql(`drop table if exists "recon_leftover" cascade;`);
  }
}
