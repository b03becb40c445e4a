import { Migration } from '@mikro-orm/migrations';

/**
 * Row-level security, the database half of tenant isolation. Every tenant table gets RLS
 * enabled and forced (the owner too) with a policy on the per-transaction setting
 * `app.tenant_id`; no setting means no rows. Later domains call app_enable_tenant_rls()
 * for each new tenant table in their own migrations (a test checks none is missed).
 */
export class Migration20261121010000TenantRls extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace function app_current_tenant() returns uuid language sql stable as $$
      select nullif(current_setting('app.tenant_id', true), '')::uuid $$;`);
    this.addSql(`create or replace function app_current_user() returns uuid language sql stable as $$
      select nullif(current_setting('app.user_id', true), '')::uuid $$;`);
    this.addSql(`create or replace function app_enable_tenant_rls(tbl regclass) returns void language plpgsql as $$
      begin
        execute format('alter table %s enable row level security', tbl);
        execute format('alter table %s force row level security', tbl);
        execute format('drop policy if exists tenant_isolation on %s', tbl);
        execute format('create policy tenant_isolation on %s using (organization_id = app_current_tenant()) with check (organization_id = app_current_tenant())', tbl);
      end $$;`);
    for (const table of ['tenancy_membership', 'tenancy_invitation', 'access_role', 'access_role_assignment']) {
      this.addSql(`select app_enable_tenant_rls('${table}');`);
    }
    // A signed-in user sees their own memberships in every organization (to choose or switch).
    this.addSql(`create policy membership_self on tenancy_membership for select using (user_id = app_current_user());`);

    // Audit: one chain per organization plus a platform chain (organization_id null) for events
    // outside any tenant (a failed login to an unknown account, operator actions).
    this.addSql(`alter table audit_log enable row level security;`);
    this.addSql(`alter table audit_log force row level security;`);
    this.addSql(`create policy audit_read on audit_log for select using (
      organization_id = app_current_tenant()
      or (organization_id is null and current_setting('app.platform', true) = 'on'));`);
    this.addSql(`create policy audit_append on audit_log for insert with check (
      organization_id = app_current_tenant() or (organization_id is null and current_setting('app.platform', true) = 'on'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop policy if exists audit_append on audit_log;`);
    this.addSql(`drop policy if exists audit_read on audit_log;`);
    this.addSql(`alter table audit_log no force row level security;`);
    this.addSql(`alter table audit_log disable row level security;`);
    this.addSql(`drop policy if exists membership_self on tenancy_membership;`);
    for (const table of ['tenancy_membership', 'tenancy_invitation', 'access_role', 'access_role_assignment']) {
      this.addSql(`drop policy if exists tenant_isolation on ${table};`);
      this.addSql(`alter table ${table} no force row level security;`);
      this.addSql(`alter table ${table} disable row level security;`);
    }
    this.addSql(`drop function if exists app_enable_tenant_rls(regclass);`);
    this.addSql(`drop function if exists app_current_user();`);
    this.addSql(`drop function if exists app_current_tenant();`);
  }
}
