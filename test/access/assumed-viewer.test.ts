/**
 * A session's later requests run on its viewer as last resolved, checked by the database in the
 * round trip that opens the request (with its first reads), so a signed-in list costs one round
 * trip in all. What a client gets must not change: grants, memberships and sessions changed
 * between two requests (here straight in the database, so that nothing in the server is told)
 * take effect on the very next request, reads made under the old grants are never answered, and
 * a mutation refused by the new grants writes nothing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startTestApi, type TestApi } from '../support/api';
import {
  CreateCustomerDocument,
  CreateRoleDocument,
  CsrProjectsNestedDocument,
  CustomersDocument,
  DealsDocument,
  DeleteRoleDocument,
  MeDocument,
  RemoveMemberDocument,
  UpdateMemberRolesDocument,
  UpdateRoleDocument,
} from '../__generated__/graphql';

let api: TestApi;
let acme: string;

before(async () => {
  api = await startTestApi();
  [{ id: acme }] = await api.sql<{ id: string }>(`select id from tenancy_organization where slug = 'acme'`);
});
after(() => api.close());

/** The session an access token belongs to (its `sid` claim). */
const sessionOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { sid: string }).sid;

const codeOf = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code;

/** Replaces grants of an acme role, in the database only. */
const regrant = (role: string, remove: string[], add: string[]) =>
  api.sql(
    `update access_role set permissions = array(select unnest(permissions) except select unnest($3::text[])) || $4::text[]
      where organization_id = $1 and name = $2`,
    [acme, role, remove, add],
  );

/**
 * The database round trips the server makes during `fn` (node-postgres query calls, the commits
 * of finished requests left out), each as the texts of the statements it carries.
 */
async function roundTripsDuring<T>(fn: () => Promise<T>): Promise<{ value: T; roundTrips: string[][] }> {
  const query = pg.Client.prototype.query;
  const roundTrips: string[][] = [];
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    // A pipeline's statements are private to it; the test reads them all the same.
    const [q] = args as [string | { text?: string; statements?: { text: string }[] }];
    const texts = typeof q === 'string' ? q.split(';').map((t) => t.trim()).filter(Boolean) : q.statements ? q.statements.map((s) => s.text) : [q.text ?? ''];
    const ownStatements = texts.filter((t) => t !== 'commit');
    if (ownStatements.length && !ownStatements.some((t) => t.includes('rate_limit'))) roundTrips.push(ownStatements);
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  try {
    return { value: await fn(), roundTrips };
  } finally {
    pg.Client.prototype.query = query;
  }
}

test('a session’s later list requests check the caller, read the page and what its nodes load in one round trip', async () => {
  const token = await api.login('csr_manager');
  const first = await roundTripsDuring(() => api.gql(CsrProjectsNestedDocument, { first: 5 }, token));
  const later = await roundTripsDuring(() => api.gql(CsrProjectsNestedDocument, { first: 5 }, token));
  assert.deepEqual(later.value.data, first.value.data);
  assert.ok(later.value.data!.projects.edges.some((e) => e.node.milestones.length && e.node.partner));
  // The session's first request resolves its caller before anything runs; then the page goes with its partners and milestones.
  assert.equal(first.roundTrips.length, 2, JSON.stringify(first.roundTrips));
  // Later ones: all of it in one round trip, the lookup (which checks the caller) first.
  assert.equal(later.roundTrips.length, 1, JSON.stringify(later.roundTrips));
  const [texts] = later.roundTrips;
  const at = (pattern: string) => texts.findIndex((t) => t.includes(pattern));
  assert.equal(texts[0], 'begin');
  assert.equal(at('app_open_request'), 1, texts.join(' | '));
  assert.ok(at('from "csr_project"') > 1 && at('from "csr_partner"') > 1 && at('from "csr_milestone"') > 1, texts.join(' | '));
});

test('grants changed between two requests of a session apply to the next one: reads made under the old grants are not answered', async () => {
  const token = await api.login('member');
  assert.equal((await api.gql(CustomersDocument, { first: 2 }, token)).data!.customers.edges.length, 2);
  assert.equal(codeOf(await api.gql(DealsDocument, { first: 2 }, token)), 'FORBIDDEN');

  await regrant('Member', ['customer:read'], ['deal:read']);
  const customers = await api.gql(CustomersDocument, { first: 2 }, token);
  assert.equal(codeOf(customers), 'FORBIDDEN');
  assert.equal(customers.data, null);
  const deals = await api.gql(DealsDocument, { first: 2 }, token);
  assert.equal(deals.errors, undefined, JSON.stringify(deals.errors));
  assert.equal(deals.data!.deals.edges.length, 2);

  // And back: each change is seen by the first request after it.
  await regrant('Member', ['deal:read'], ['customer:read']);
  assert.equal(codeOf(await api.gql(DealsDocument, { first: 2 }, token)), 'FORBIDDEN');
  assert.equal((await api.gql(CustomersDocument, { first: 2 }, token)).data!.customers.edges.length, 2);
});

test('a mutation refused by grants removed since the session’s last request writes nothing', async () => {
  const token = await api.login('sales');
  const name = (n: number) => `Assumed viewer ${n} ${Date.now()}`;
  const created = await api.gql(CreateCustomerDocument, { input: { name: name(1), industry: 'Retail' } }, token);
  assert.equal(created.errors, undefined, JSON.stringify(created.errors));

  await regrant('Sales', ['customer:write'], []);
  const refused = await api.gql(CreateCustomerDocument, { input: { name: name(2), industry: 'Retail' } }, token);
  assert.equal(codeOf(refused), 'FORBIDDEN');
  assert.deepEqual(await api.sql('select 1 from crm_customer where name = $1', [name(2)]), []);

  await regrant('Sales', [], ['customer:write']);
  const again = await api.gql(CreateCustomerDocument, { input: { name: name(3), industry: 'Retail' } }, token);
  assert.equal(again.errors, undefined, JSON.stringify(again.errors));
});

test('a membership suspended or a session revoked since the last request: the next one is refused with 401 and no data', async () => {
  const token = await api.login('support');
  assert.ok((await api.gql(MeDocument, {}, token)).data!.me.id);
  assert.equal((await api.gql(CustomersDocument, { first: 1 }, token)).data!.customers.edges.length, 1);
  const [{ id: membership }] = await api.sql<{ id: string }>(
    `update tenancy_membership set status = 'suspended' where organization_id = $1 and user_id = (select user_id from identity_session where id = $2) returning id`,
    [acme, sessionOf(token)],
  );
  for (const res of [await api.gql(CustomersDocument, { first: 1 }, token), await api.gql(MeDocument, {}, token)]) {
    assert.equal(res.status, 401);
    assert.equal(codeOf(res), 'UNAUTHENTICATED');
    assert.equal(res.data ?? null, null);
  }
  await api.sql(`update tenancy_membership set status = 'active' where id = $1`, [membership]);
  assert.equal((await api.gql(CustomersDocument, { first: 1 }, token)).data!.customers.edges.length, 1);

  await api.sql('update identity_session set revoked_at = now() where id = $1', [sessionOf(token)]);
  const revoked = await api.gql(CustomersDocument, { first: 1 }, token);
  assert.equal(revoked.status, 401);
  assert.equal(codeOf(revoked), 'UNAUTHENTICATED');
});

test('roles given, changed and taken through the API apply to the member’s next request', async () => {
  const admin = await api.login('admin');
  const editor = await api.login('editor');
  const ok = (res: { errors?: unknown }) => assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  const [{ membership, editorRole }] = await api.sql<{ membership: string; editorRole: string }>(
    `select m.id as membership, r.id as "editorRole" from tenancy_membership m
       join identity_session s on s.user_id = m.user_id and s.id = $2
       join access_role r on r.organization_id = m.organization_id and r.key = 'editor'
      where m.organization_id = $1`,
    [acme, sessionOf(editor)],
  );
  assert.equal(codeOf(await api.gql(CustomersDocument, { first: 1 }, editor)), 'FORBIDDEN');

  const created = await api.gql(CreateRoleDocument, { input: { key: 'customer_reader', name: 'Customer reader', permissions: ['customer:read'] } }, admin);
  ok(created);
  const role = created.data!.createRole.id;
  ok(await api.gql(UpdateMemberRolesDocument, { membershipId: membership, roleIds: [editorRole, role] }, admin));
  assert.equal((await api.gql(CustomersDocument, { first: 1 }, editor)).data!.customers.edges.length, 1);

  ok(await api.gql(UpdateRoleDocument, { id: role, input: { permissions: ['deal:read'] } }, admin));
  assert.equal(codeOf(await api.gql(CustomersDocument, { first: 1 }, editor)), 'FORBIDDEN');
  assert.equal((await api.gql(DealsDocument, { first: 1 }, editor)).data!.deals.edges.length, 1);

  ok(await api.gql(UpdateMemberRolesDocument, { membershipId: membership, roleIds: [editorRole] }, admin));
  assert.equal(codeOf(await api.gql(DealsDocument, { first: 1 }, editor)), 'FORBIDDEN');
  ok(await api.gql(DeleteRoleDocument, { id: role }, admin));

  // Removed from the organization: the membership and its role assignments go together.
  ok(await api.gql(RemoveMemberDocument, { membershipId: membership }, admin));
  const removed = await api.gql(MeDocument, {}, editor);
  assert.equal(removed.status, 401);
  assert.equal(codeOf(removed), 'UNAUTHENTICATED');
});

test('the grants version changes with every change that can change a membership’s grants, and only then', async () => {
  const token = await api.login('auditor');
  const [{ membership, role, user }] = await api.sql<{ membership: string; role: string; user: string }>(
    `select m.id as membership, ra.role_id as role, m.user_id as user from tenancy_membership m
       join identity_session s on s.user_id = m.user_id and s.id = $2
       join access_role_assignment ra on ra.membership_id = m.id
      where m.organization_id = $1`,
    [acme, sessionOf(token)],
  );
  const roleId = async (key: string) => (await api.sql<{ id: string }>('select id from access_role where organization_id = $1 and key = $2', [acme, key]))[0].id;
  const [other, third] = [await roleId('supervisor'), await roleId('member')];
  const version = async () => (await api.sql<{ v: string }>('select grants_version as v from tenancy_membership where id = $1', [membership]))[0].v;
  const changes = async (what: string, sql: string, params: unknown[], expected: boolean) => {
    const before = await version();
    await api.sql(sql, params);
    assert.equal((await version()) !== before, expected, what);
  };
  await changes('a held role renamed', `update access_role set name = name || ' ' where id = $1`, [role], false);
  await changes('a held role’s permissions written unchanged', 'update access_role set permissions = permissions where id = $1', [role], false);
  await changes('a role not held given a permission', `update access_role set permissions = permissions || '{deal:read}' where id = $1`, [other], false);
  await changes('a held role given a permission', `update access_role set permissions = permissions || '{deal:read}' where id = $1`, [role], true);
  const assign = 'insert into access_role_assignment (id, created_at, updated_at, organization_id, membership_id, role_id) values (gen_random_uuid(), now(), now(), $1, $2, $3)';
  await changes('a role assigned', assign, [acme, membership, other], true);
  await changes('an assignment moved to another role', 'update access_role_assignment set role_id = $3 where membership_id = $1 and role_id = $2', [membership, other, third], true);
  await changes('an assignment taken away', 'delete from access_role_assignment where membership_id = $1 and role_id = $2', [membership, third], true);
  const [{ id: temporary }] = await api.sql<{ id: string }>(
    `insert into access_role (id, created_at, updated_at, organization_id, key, name, permissions, is_system)
     values (gen_random_uuid(), now(), now(), $1, 'temporary', 'Temporary', '{deal:read}', false) returning id`,
    [acme],
  );
  await changes('a role assigned', assign, [acme, membership, temporary], true);
  await changes('a held role deleted (its assignments with it)', 'delete from access_role where id = $1', [temporary], true);

  // app_open_request leaves the grants out while the version given is the membership's.
  const open = (v: string | null) =>
    api.sql<{ viewer_grants_version: string; viewer_permissions: string | null }>('select * from app_open_request($1, $2, $3, $4, $5, $6, $7)', [
      acme, user, '', sessionOf(token), user, acme, v,
    ]);
  const current = await version();
  const [same] = await open(current);
  assert.equal(same.viewer_grants_version, current);
  assert.equal(same.viewer_permissions, null);
  for (const v of [null, String(BigInt(current) - 1n)]) assert.ok((await open(v))[0].viewer_permissions?.includes('audit:read'), `version ${v}`);
});
