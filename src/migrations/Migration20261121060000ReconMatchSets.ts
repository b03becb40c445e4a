import { Migration } from '@mikro-orm/migrations';

/**
 * Matches are stored by the thousand: a recon_match_set row holds up to 1,000 matches of one pass
 * (rule and type), column by column in arrays (confidences, differences, both sides' row ids; for
 * groups, where each match's ids end). Writing ~1M matches as rows, plus ~2M indexed
 * recon_match_member rows, took most of the match phase of a 2M-row run (bench:recon); as sets it
 * is a thousand rows. A match's id is its set's id × 1000 + its place in the set. recon_job records
 * its range of set ids, which bounds a run's sets on the primary key. Rows are kept to one match
 * per run by the passes themselves: each reads only the rows no earlier pass matched (the files,
 * then recon_leftover), and the passes of one run are serialized by an advisory lock.
 */
export class Migration20261121060000ReconMatchSets extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "recon_match_set" ("id" bigserial primary key, "organization_id" uuid not null, "job_id" uuid not null, "rule_id" uuid null, "type" "recon_match_type" not null, "match_count" int not null, "confidences" real[] not null, "amount_differences" numeric(18,2)[] not null, "source_row_ids" bigint[] not null, "target_row_ids" bigint[] not null, "source_ends" int[] null, "target_ends" int[] null);`);
    // Arrays of a thousand ids are stored out of line uncompressed: pglz took ~2 s per million matches.
    this.addSql(`alter table "recon_match_set" ${['confidences', 'amount_differences', 'source_row_ids', 'target_row_ids', 'source_ends', 'target_ends'].map((c) => `alter column "${c}" set storage external`).join(', ')};`);
    this.addSql(`select app_enable_tenant_rls('recon_match_set');`);
    this.addSql(`alter table "recon_job" add column "first_match_set_id" bigint null, add column "last_match_set_id" bigint null;`);
    // Existing matches: one set each (ids in order, so each set's ends are its own counts).
    this.addSql(`with m as (
        select m.*, nextval('recon_match_set_id_seq') as set_id,
               coalesce((select array_agg(row_id order by row_id) from recon_match_member mm where mm.match_id = m.id and mm.side = 'source'), '{}') as sources,
               coalesce((select array_agg(row_id order by row_id) from recon_match_member mm where mm.match_id = m.id and mm.side = 'target'), '{}') as targets
          from recon_match m),
      s as (insert into recon_match_set (id, organization_id, job_id, rule_id, type, match_count, confidences, amount_differences, source_row_ids, target_row_ids, source_ends, target_ends)
        select set_id, organization_id, job_id, rule_id, type, 1, array[confidence], array[amount_difference], sources, targets,
               case when cardinality(sources) = 1 then null else array[cardinality(sources)] end,
               case when cardinality(targets) = 1 then null else array[cardinality(targets)] end
          from m)
      update recon_job j set first_match_set_id = r.lo, last_match_set_id = r.hi
        from (select job_id, min(set_id) as lo, max(set_id) as hi from m group by job_id) r where r.job_id = j.id;`);
    this.addSql(`drop table "recon_match_member";`);
    this.addSql(`drop table "recon_match";`);
    // recon_row takes ids a million at a time: a backend-local cache spares each nextval its lock.
    this.addSql(`alter sequence "recon_row_id_seq" cache 1000;`);
    this.addSql(`create or replace function recon_job_deleted() returns trigger language plpgsql as $$
      begin
        delete from recon_match_set where id between old.first_match_set_id and old.last_match_set_id and job_id = old.id;
        delete from recon_leftover where job_id = old.id;
        return old;
      end $$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`create table "recon_match" ("id" bigserial primary key, "organization_id" uuid not null, "job_id" uuid not null, "rule_id" uuid null, "pass" text not null, "type" "recon_match_type" not null, "confidence" real not null, "amount_difference" numeric(18,2) not null default '0');`);
    this.addSql(`create index "recon_match_job_id_rule_id_index" on "recon_match" ("job_id", "rule_id");`);
    this.addSql(`create table "recon_match_member" ("job_id" uuid not null, "row_id" bigint not null, "organization_id" uuid not null, "match_id" bigint not null, "side" "recon_side" not null, constraint "recon_match_member_pkey" primary key ("job_id", "row_id"));`);
    this.addSql(`create index "recon_match_member_match_id_index" on "recon_match_member" ("match_id");`);
    this.addSql(`select app_enable_tenant_rls('recon_match');`);
    this.addSql(`select app_enable_tenant_rls('recon_match_member');`);
    this.addSql(`with m as (
        select s.organization_id, s.job_id, s.rule_id, s.type, u.i, u.confidence, u.difference, nextval('recon_match_id_seq') as id,
               case when s.source_ends is null then s.source_row_ids[u.i:u.i] else s.source_row_ids[coalesce(s.source_ends[u.i - 1], 0) + 1:s.source_ends[u.i]] end as sources,
               case when s.target_ends is null then s.target_row_ids[u.i:u.i] else s.target_row_ids[coalesce(s.target_ends[u.i - 1], 0) + 1:s.target_ends[u.i]] end as targets
          from recon_match_set s cross join lateral unnest(s.confidences, s.amount_differences) with ordinality as u(confidence, difference, i)),
      x as (insert into recon_match (id, organization_id, job_id, rule_id, pass, type, confidence, amount_difference)
        select id, organization_id, job_id, rule_id, coalesce(rule_id::text, '') || ':' || case type when 'one_to_one' then 'pairs' else type::text end,
               type, confidence, difference from m)
      insert into recon_match_member (job_id, row_id, organization_id, match_id, side)
        select job_id, unnest(sources), organization_id, id, 'source'::recon_side from m
        union all select job_id, unnest(targets), organization_id, id, 'target'::recon_side from m;`);
    this.addSql(`drop table "recon_match_set";`);
    this.addSql(`alter sequence "recon_row_id_seq" cache 1;`);
    this.addSql(`alter table "recon_job" drop column "first_match_set_id", drop column "last_match_set_id";`);
    this.addSql(`create or replace function recon_job_deleted() returns trigger language plpgsql as $$
      begin
        delete from recon_match_member where job_id = old.id;
        delete from recon_match where job_id = old.id;
        delete from recon_leftover where job_id = old.id;
        return old;
      end $$;`);
  }
}
