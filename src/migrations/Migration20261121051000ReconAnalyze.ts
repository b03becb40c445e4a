import { Migration } from '@mikro-orm/migrations';

/**
 * recon_analyze_rows(): planner statistics for recon_row after a file is normalized. ANALYZE
 * needs the table's owner and the app role owns nothing, so the function runs as its owner
 * (security definer, fixed search_path) and does exactly one thing: analyze recon_row
 * (statistics only; nothing is returned). It keeps the default execute grant (the app role is
 * created after the migrations on a fresh database). Without statistics, the first pass of a run
 * over a million fresh rows is planned for a few thousand: sorts and merge joins, not hash joins.
 */
export class Migration20261121051000ReconAnalyze extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace function recon_analyze_rows() returns void language plpgsql security definer
      set search_path = pg_catalog, public as $$
      begin
        analyze public.recon_row;
      end $$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function if exists recon_analyze_rows();`);
  }
}
