import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { startTestApi, errorCode, DEMO_PASSWORD, type TestApi } from '../support/api';
import { LoginDocument, LogoutDocument, MeDocument, RefreshSessionDocument, SignUpDocument } from '../__generated__/graphql';

let api: TestApi;
before(async () => {
  api = await startTestApi();
});
after(() => api.close());

const login = (email: string, password = DEMO_PASSWORD, organizationSlug?: string) =>
  api.gql(LoginDocument, { input: { email, password, organizationSlug } });

describe('login', () => {
  test('signs in to the user’s organization and `me` answers', async () => {
    const res = await login('sales@acme.test');
    assert.equal(res.errors, undefined);
    assert.equal(res.data!.login.organization!.slug, 'acme');
    assert.equal(res.data!.login.expiresIn, 900);
    const me = await api.gql(MeDocument, {}, res.data!.login.accessToken);
    assert.equal(me.data!.me.email, 'sales@acme.test');
  });

  test('wrong password and unknown email get the same answer', async () => {
    const wrong = await login('member@acme.test', 'Wrong-password-1!');
    const unknown = await login('nobody@acme.test', 'Wrong-password-1!');
    assert.equal(errorCode(wrong), 'UNAUTHENTICATED');
    assert.equal(wrong.errors![0].message, unknown.errors![0].message);
  });

  test('bad input names the field', async () => {
    const res = await login('not-an-email');
    assert.equal(errorCode(res), 'BAD_USER_INPUT');
    assert.equal(res.errors![0].extensions!.field, 'email');
  });

  test('locks the account for 30 minutes after 5 failures, even with the right password', async () => {
    for (let i = 0; i < 5; i++) assert.equal(errorCode(await login('editor@globex.test', 'Wrong-password-1!')), 'UNAUTHENTICATED');
    const locked = await login('editor@globex.test');
    assert.equal(errorCode(locked), 'UNAUTHENTICATED');
    assert.equal(locked.errors![0].extensions!.reason, 'ACCOUNT_LOCKED');
    assert.ok(Number(locked.errors![0].extensions!.retryAfter) > 29 * 60);
  });

  test('a user who is not a member cannot sign in to another organization', async () => {
    const res = await login('sales@acme.test', DEMO_PASSWORD, 'globex');
    assert.equal(errorCode(res), 'UNAUTHENTICATED');
  });
});

describe('tokens', () => {
  test('no token, a malformed token and a forged token are refused', async () => {
    assert.equal(errorCode(await api.gql(MeDocument, {})), 'UNAUTHENTICATED');
    const forged = await api.gql(MeDocument, {}, 'eyJhbGciOiJFZERTQSJ9.e30.c2ln');
    assert.equal(errorCode(forged), 'UNAUTHENTICATED');
    assert.equal(forged.status, 401);
  });

  test('refresh rotates; replaying a rotated token revokes the whole session', async () => {
    const first = (await login('support@acme.test')).data!.login;
    const second = await api.gql(RefreshSessionDocument, { refreshToken: first.refreshToken });
    assert.equal(second.errors, undefined);
    assert.notEqual(second.data!.refreshSession.refreshToken, first.refreshToken);
    assert.equal(second.data!.refreshSession.organization!.slug, 'acme');

    const replay = await api.gql(RefreshSessionDocument, { refreshToken: first.refreshToken });
    assert.equal(errorCode(replay), 'UNAUTHENTICATED');
    // The family is gone: the newest refresh token and the access tokens no longer work.
    assert.equal(errorCode(await api.gql(RefreshSessionDocument, { refreshToken: second.data!.refreshSession.refreshToken })), 'UNAUTHENTICATED');
    assert.equal(errorCode(await api.gql(MeDocument, {}, second.data!.refreshSession.accessToken)), 'UNAUTHENTICATED');
  });

  test('logout ends the session at once', async () => {
    const { accessToken, refreshToken } = (await login('auditor@acme.test')).data!.login;
    assert.equal((await api.gql(LogoutDocument, {}, accessToken)).data!.logout, true);
    assert.equal(errorCode(await api.gql(MeDocument, {}, accessToken)), 'UNAUTHENTICATED');
    assert.equal(errorCode(await api.gql(RefreshSessionDocument, { refreshToken })), 'UNAUTHENTICATED');
  });

  test('refresh tokens are stored hashed', async () => {
    const { refreshToken } = (await login('analyst@acme.test')).data!.login;
    const db = new Client({ connectionString: api.ownerUrl });
    await db.connect();
    const { rowCount } = await db.query('select 1 from identity_refresh_token where token_hash = $1', [refreshToken]);
    await db.end();
    assert.equal(rowCount, 0);
  });
});

describe('signUp', () => {
  const input = {
    organizationName: 'Initech',
    organizationSlug: 'initech',
    email: 'founder@initech.test',
    password: 'Str0ng!Passw0rd',
    firstName: 'Bill',
    lastName: 'Lumbergh',
  };

  test('creates the organization and its owner, signed in', async () => {
    const res = await api.gql(SignUpDocument, { input });
    assert.equal(res.errors, undefined);
    assert.equal(res.data!.signUp.organization!.slug, 'initech');
    const me = await api.gql(MeDocument, {}, res.data!.signUp.accessToken);
    assert.equal(me.data!.me.email, 'founder@initech.test');
  });

  test('refuses a taken slug, a taken email and a weak password', async () => {
    const slug = await api.gql(SignUpDocument, { input: { ...input, email: 'other@initech.test' } });
    assert.equal(errorCode(slug), 'CONFLICT');
    assert.equal(slug.errors![0].extensions!.field, 'organizationSlug');
    const email = await api.gql(SignUpDocument, { input: { ...input, organizationSlug: 'initech-2' } });
    assert.equal(errorCode(email), 'CONFLICT');
    const weak = await api.gql(SignUpDocument, { input: { ...input, organizationSlug: 'initech-3', email: 'x@initech.test', password: 'password' } });
    assert.equal(errorCode(weak), 'BAD_USER_INPUT');
    assert.equal(weak.errors![0].extensions!.field, 'password');
  });
});

test('concurrent sign-ups for one slug: one wins, the others get CONFLICT, none an internal error', async () => {
  const attempts = await Promise.all(
    [1, 2, 3, 4].map((i) =>
      api.gql(SignUpDocument, {
        input: { organizationName: 'Race', organizationSlug: 'race-co', email: `racer${i}@race.test`, password: 'Str0ng!Passw0rd', firstName: 'R', lastName: `${i}` },
      }),
    ),
  );
  assert.equal(attempts.filter((r) => r.data?.signUp).length, 1);
  for (const r of attempts.filter((a) => !a.data?.signUp)) assert.equal(errorCode(r), 'CONFLICT');
});
