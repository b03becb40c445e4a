/**
 * The read path loads each level of a nested query in one batched statement: the number of SQL
 * statements for members { user, roles } must not grow with the number of members.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { startTestApi, type TestApi } from '../support/api';
import { MembersDocument } from '../__generated__/graphql';

let api: TestApi;

before(async () => {
  api = await startTestApi();
});
after(() => api.close());

/** Adds `n` members with one role each to acme, straight into the database. */
async function addMembers(n: number): Promise<void> {
  const db = new Client({ connectionString: api.ownerUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ org: string; role: string; hash: string }>(
      `select o.id as org, r.id as role, u.password_hash as hash from tenancy_organization o
         join access_role r on r.organization_id = o.id and r.key = 'member'
         join identity_user u on u.email = 'member@acme.test' where o.slug = 'acme'`,
    );
    const { org, role, hash } = rows[0];
    for (let i = 0; i < n; i++) {
      const user = randomUUID();
      const membership = randomUUID();
      await db.query(
        `insert into identity_user (id, created_at, updated_at, email, password_hash, first_name, last_name, status, failed_login_attempts, password_changed_at, password_history, is_platform_operator)
         values ($1, now(), now(), $2, $3, 'Bulk', 'Member', 'active', 0, now(), '[]', false)`,
        [user, `bulk-${user}@acme.test`, hash],
      );
      await db.query(`insert into tenancy_membership (id, created_at, updated_at, organization_id, user_id, status) values ($1, now(), now(), $2, $3, 'active')`, [membership, org, user]);
      await db.query(`insert into access_role_assignment (id, created_at, updated_at, organization_id, membership_id, role_id) values ($1, now(), now(), $2, $3, $4)`, [randomUUID(), org, membership, role]);
    }
  } finally {
    await db.end();
  }
}

async function countFor(first: number): Promise<{ statements: number; members: number }> {
  const token = await api.login('admin', 'acme');
  const { value: res, statements } = await api.statementsDuring(() => api.gql(MembersDocument, { first }, token));
  assert.equal(res.errors, undefined);
  return { statements, members: res.data!.members.edges.length };
}

test('members { user roles } runs the same number of statements for 5 and for 60 members', async () => {
  await api.login('admin', 'acme');
  const small = await countFor(5);
  await addMembers(60);
  const large = await countFor(60);
  assert.equal(small.members, 5);
  assert.equal(large.members, 60);
  assert.ok(large.statements > 0);
  assert.equal(large.statements, small.statements, `5 members: ${small.statements} statements, 60 members: ${large.statements}`);
  // begin, scope, viewer, page, count, user batch, assignment batch, role batch, commit
  assert.ok(large.statements <= 10, `${large.statements} statements`);
});

test('members { user }: the page reads the membership columns selected, and the users with it, only the fields selected', async () => {
  const token = await api.login('admin', 'acme');
  const { value: res, texts } = await api.statementsDuring(() => api.gql(MembersDocument, { first: 5 }, token));
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  const members = res.data!.members.edges.map((e) => e.node);
  const emails = await api.sql<{ id: string; email: string }>('select m.id, u.email from tenancy_membership m join identity_user u on u.id = m.user_id where m.id = any($1::uuid[])', [members.map((m) => m.id)]);
  assert.deepEqual(members.map((m) => m.user.email), members.map((m) => emails.find((e) => e.id === m.id)!.email));
  const page = texts.find((t) => t.includes('from "tenancy_membership"') && t.includes('limit'))!;
  assert.ok(page.includes('"user_id"') && !page.includes('"updated_at"'), page);
  const users = texts.find((t) => t.includes('from "identity_user"'))!;
  assert.ok(users.includes('page."userId"'), `users read with the page: ${users}`);
  assert.ok(users.includes('"email"') && !users.includes('"first_name"'), users);
});
