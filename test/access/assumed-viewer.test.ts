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
import { CreateCustomerDocument, CsrProjectsNestedDocument, CustomersDocument, DealsDocument, MeDocument } from '../__generated__/graphql';

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
