/**
 * The database half of tenant isolation: every table with an organization_id has row-level
 * security enabled and forced, and the role the server connects as sees nothing without a
 * tenant, only its tenant's rows with one, owns no table and cannot bypass RLS.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { startTestApi, type TestApi } from '../support/api';
import { APP_ROLE } from '../../src/core/db/database';
import { LoginDocument } from '../__generated__/graphql';

let api: TestApi;
let owner: Client;
let appDb: Client;
let tenantTables: string[];

before(async () => {
  api = await startTestApi();
  owner = new Client({ connectionString: api.ownerUrl });
  appDb = new Client({ connectionString: api.appUrl });
  await Promise.all([owner.connect(), appDb.connect()]);
  const { rows } = await owner.query<{ table_name: string }>(
    `select c.table_name from information_schema.columns c
     join information_schema.tables t on t.table_name = c.table_name and t.table_schema = c.table_schema
     where c.table_schema = 'public' and c.column_name = 'organization_id' and t.table_type = 'BASE TABLE'
       and c.table_name not in ('identity_session')
     order by 1`,
  );
  tenantTables = rows.map((r) => r.table_name);
});
after(async () => {
  await Promise.all([owner.end(), appDb.end()]);
  await api.close();
});

test('every tenant table has row-level security enabled and forced', async () => {
  assert.ok(tenantTables.length >= 5, `found ${tenantTables.join(', ')}`);
  const { rows } = await owner.query<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
    'select relname, relrowsecurity, relforcerowsecurity from pg_class where relname = any($1)',
    [tenantTables],
  );
  for (const r of rows) {
    assert.ok(r.relrowsecurity && r.relforcerowsecurity, `${r.relname}: RLS enabled=${r.relrowsecurity} forced=${r.relforcerowsecurity}`);
  }
});

test('the app role owns no table and cannot bypass RLS', async () => {
  const { rows } = await owner.query('select rolsuper, rolbypassrls from pg_roles where rolname = $1', [APP_ROLE]);
  assert.deepEqual(rows[0], { rolsuper: false, rolbypassrls: false });
  const owned = await owner.query(`select tablename from pg_tables where schemaname = 'public' and tableowner = $1`, [APP_ROLE]);
  assert.equal(owned.rowCount, 0);
  const who = await appDb.query('select current_user');
  assert.equal(who.rows[0].current_user, APP_ROLE);
});

test('with no tenant set, a raw SELECT on the app role returns no rows from any tenant table', async () => {
  // A failed sign-in writes to the platform audit chain: those rows must stay hidden too.
  await api.gql(LoginDocument, { input: { email: 'nobody@acme.test', password: 'Wrong-password-1!' } });
  const platformRows = await owner.query('select count(*)::int as n from audit_log where organization_id is null');
  assert.ok(platformRows.rows[0].n > 0);
  for (const table of tenantTables) {
    const total = await owner.query(`select count(*)::int as n from ${table}`);
    const seen = await appDb.query(`select count(*)::int as n from ${table}`);
    assert.equal(seen.rows[0].n, 0, `${table}: app role saw ${seen.rows[0].n} of ${total.rows[0].n} rows`);
  }
});

test('with a tenant set, the app role sees only that tenant’s rows and cannot write into another', async () => {
  const orgs = await owner.query<{ id: string; slug: string }>('select id, slug from tenancy_organization order by slug');
  const acme = orgs.rows.find((o) => o.slug === 'acme')!.id;
  const globex = orgs.rows.find((o) => o.slug === 'globex')!.id;
  await appDb.query('begin');
  try {
    await appDb.query("select set_config('app.tenant_id', $1, true)", [acme]);
    for (const table of tenantTables) {
      const { rows } = await appDb.query(`select count(*) filter (where organization_id <> $1)::int as foreign from ${table}`, [acme]);
      assert.equal(rows[0].foreign, 0, `${table} leaked another tenant's rows`);
    }
    const roles = await appDb.query('select count(*)::int as n from access_role');
    assert.ok(roles.rows[0].n > 0);
    await assert.rejects(
      appDb.query(
        "insert into access_role (id, created_at, updated_at, organization_id, key, name, permissions, is_system) values (gen_random_uuid(), now(), now(), $1, 'x', 'x', '{}', false)",
        [globex],
      ),
      /row-level security/,
    );
  } finally {
    await appDb.query('rollback');
  }
  await appDb.query('begin');
  try {
    await appDb.query("select set_config('app.tenant_id', $1, true)", [acme]);
    const updated = await appDb.query('update access_role set name = name where organization_id = $1', [globex]);
    assert.equal(updated.rowCount, 0);
  } finally {
    await appDb.query('rollback');
  }
});

test('the audit log is append-only for the app role', async () => {
  await assert.rejects(appDb.query('delete from audit_log'), /permission denied/);
  await assert.rejects(appDb.query("update audit_log set action = 'x'"), /permission denied/);
  await assert.rejects(appDb.query('truncate audit_log'), /permission denied/);
});
