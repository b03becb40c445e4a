import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestApi, errorCode, DEMO_PASSWORD, type TestApi } from '../support/api';
import {
  ChangePasswordDocument,
  LoginDocument,
  MeDocument,
  RefreshSessionDocument,
  RevokeMemberSessionsDocument,
  RevokeSessionDocument,
  SessionsDocument,
  SignUpDocument,
  SwitchOrganizationDocument,
  UpdateProfileDocument,
} from '../__generated__/graphql';

let api: TestApi;
before(async () => {
  api = await startTestApi();
});
after(async () => {
  await api.close();
});

/** A fresh session (not the harness' cached token): these tests revoke sessions. */
async function signIn(email: string, password = DEMO_PASSWORD, organizationSlug?: string) {
  const res = await api.gql(LoginDocument, { input: { email, password, organizationSlug } });
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  return res.data!.login;
}

const orgId = async (slug: string) => (await api.sql<{ id: string }>('select id from tenancy_organization where slug = $1', [slug]))[0].id;
const userId = async (email: string) => (await api.sql<{ id: string }>('select id from identity_user where email = $1', [email]))[0].id;
async function addMembership(email: string, slug: string, status = 'active') {
  await api.sql(
    `insert into tenancy_membership (id, created_at, updated_at, organization_id, user_id, status) values ($1, now(), now(), $2, $3, $4)`,
    [randomUUID(), await orgId(slug), await userId(email), status],
  );
}
const auditRows = (action: string, resourceId?: string) =>
  api.sql<{ organization_id: string | null; user_id: string | null; changes: Record<string, unknown> | null }>(
    `select organization_id, user_id, changes from audit_log where action = $1 ${resourceId ? 'and resource_id = $2' : ''} order by created_at`,
    resourceId ? [action, resourceId] : [action],
  );

describe('changePassword', () => {
  test('refuses the unauthenticated, a wrong current password (recorded) and a weak new password', async () => {
    const input = { currentPassword: DEMO_PASSWORD, newPassword: 'N3w!Password' };
    assert.equal(errorCode(await api.gql(ChangePasswordDocument, { input })), 'UNAUTHENTICATED');

    const { accessToken, user } = await signIn('recipient@acme.test');
    const wrong = await api.gql(ChangePasswordDocument, { input: { ...input, currentPassword: 'Wrong!Pass1' } }, accessToken);
    assert.equal(errorCode(wrong), 'BAD_USER_INPUT');
    assert.equal(wrong.errors![0].extensions!.field, 'currentPassword');
    const failures = await auditRows('auth.password_change_failed', user.id);
    assert.equal(failures.length, 1);
    assert.equal(failures[0].changes!.reason, 'bad_current_password');

    const weak = await api.gql(ChangePasswordDocument, { input: { ...input, newPassword: 'password' } }, accessToken);
    assert.equal(errorCode(weak), 'BAD_USER_INPUT');
    assert.equal(weak.errors![0].extensions!.field, 'newPassword');

    const same = await api.gql(ChangePasswordDocument, { input: { ...input, newPassword: DEMO_PASSWORD } }, accessToken);
    assert.equal(errorCode(same), 'BAD_USER_INPUT');
    assert.equal(same.errors![0].extensions!.field, 'newPassword');
    // Nothing changed: the old password still signs in.
    await signIn('recipient@acme.test');
  });

  test('wrong current passwords count towards the lockout', async () => {
    const email = 'owner@globex.test';
    const { accessToken } = await signIn(email);
    const input = { currentPassword: 'Wrong!Pass1', newPassword: 'N3w!Password' };
    for (let i = 0; i < 5; i++) {
      assert.equal(errorCode(await api.gql(ChangePasswordDocument, { input }, accessToken)), 'BAD_USER_INPUT');
    }
    const locked = await api.gql(ChangePasswordDocument, { input: { ...input, currentPassword: DEMO_PASSWORD } }, accessToken);
    assert.equal(locked.errors![0].extensions!.reason, 'ACCOUNT_LOCKED');
    const login = await api.gql(LoginDocument, { input: { email, password: DEMO_PASSWORD } });
    assert.equal(login.errors![0].extensions!.reason, 'ACCOUNT_LOCKED');
  });

  test('changes the password, keeps the current session and signs out the others', async () => {
    const email = 'me.officer@acme.test';
    const current = await signIn(email);
    const other = await signIn(email);
    const before = (await api.sql<{ password_changed_at: Date }>('select password_changed_at from identity_user where email = $1', [email]))[0];

    const res = await api.gql(ChangePasswordDocument, { input: { currentPassword: DEMO_PASSWORD, newPassword: 'Fresh!Pass2026' } }, current.accessToken);
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    assert.equal(res.data!.changePassword, true);

    assert.equal((await api.gql(MeDocument, {}, current.accessToken)).data!.me.email, email);
    assert.equal(errorCode(await api.gql(MeDocument, {}, other.accessToken)), 'UNAUTHENTICATED');
    assert.equal(errorCode(await api.gql(RefreshSessionDocument, { refreshToken: other.refreshToken })), 'UNAUTHENTICATED');
    assert.equal(errorCode(await api.gql(LoginDocument, { input: { email, password: DEMO_PASSWORD } })), 'UNAUTHENTICATED');
    await signIn(email, 'Fresh!Pass2026');

    const after = (await api.sql<{ password_changed_at: Date; password_history: string[] }>(
      'select password_changed_at, password_history from identity_user where email = $1',
      [email],
    ))[0];
    assert.ok(after.password_changed_at > before.password_changed_at);
    assert.equal(after.password_history.length, 1);
    const audit = await auditRows('auth.password_change', current.user.id);
    assert.equal(audit.length, 1);
    assert.equal(audit[0].organization_id, current.organization!.id);
    assert.equal(audit[0].changes!.revokedSessions, 1);
  });

  test('refuses the last 5 passwords, but not older ones', async () => {
    const email = 'supervisor@globex.test';
    const { accessToken } = await signIn(email);
    const passwords = [DEMO_PASSWORD, 'First!Pass1', 'Second!Pass2', 'Third!Pass3', 'Fourth!Pass4', 'Fifth!Pass5', 'Sixth!Pass6'];
    const change = (currentPassword: string, newPassword: string) =>
      api.gql(ChangePasswordDocument, { input: { currentPassword, newPassword } }, accessToken);
    for (let i = 1; i < passwords.length; i++) {
      const res = await change(passwords[i - 1], passwords[i]);
      assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    }
    // History now holds Fifth..First (newest first); the demo password fell out of it.
    const [{ password_history }] = await api.sql<{ password_history: string[] }>('select password_history from identity_user where email = $1', [email]);
    assert.equal(password_history.length, 5);
    for (const reused of ['Sixth!Pass6', 'First!Pass1', 'Third!Pass3']) {
      const res = await change('Sixth!Pass6', reused);
      assert.equal(errorCode(res), 'BAD_USER_INPUT', reused);
      assert.equal(res.errors![0].extensions!.field, 'newPassword');
    }
    assert.equal((await change('Sixth!Pass6', DEMO_PASSWORD)).data?.changePassword, true);
  });
});

describe('updateProfile', () => {
  test('changes the given fields only and audits the diff', async () => {
    const { accessToken, user } = await signIn('analyst@globex.test');
    const res = await api.gql(UpdateProfileDocument, { input: { firstName: 'Ada', phone: '+234 801 234 5678' } }, accessToken);
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    assert.equal(res.data!.updateProfile.firstName, 'Ada');
    assert.equal(res.data!.updateProfile.phone, '+234 801 234 5678');
    const me = (await api.gql(MeDocument, {}, accessToken)).data!.me;
    assert.equal(me.firstName, 'Ada');
    assert.equal(me.lastName, user.lastName);

    const [audit] = await auditRows('user.profile_update', user.id);
    assert.deepEqual(Object.keys(audit.changes!).sort(), ['firstName', 'phone']);
    assert.deepEqual(audit.changes!.firstName, { from: user.firstName, to: 'Ada' });
    assert.deepEqual(audit.changes!.phone, { from: null, to: '+234 801 234 5678' });

    const cleared = await api.gql(UpdateProfileDocument, { input: { phone: null } }, accessToken);
    assert.equal(cleared.data!.updateProfile.phone, null);
    assert.equal(cleared.data!.updateProfile.firstName, 'Ada');
  });

  test('refuses the unauthenticated and bad input', async () => {
    assert.equal(errorCode(await api.gql(UpdateProfileDocument, { input: { firstName: 'X' } })), 'UNAUTHENTICATED');
    const token = await api.login('member', 'globex');
    const empty = await api.gql(UpdateProfileDocument, { input: { firstName: '' } }, token);
    assert.equal(errorCode(empty), 'BAD_USER_INPUT');
    assert.equal(empty.errors![0].extensions!.field, 'firstName');
    const nulled = await api.gql(UpdateProfileDocument, { input: { lastName: null } }, token);
    assert.equal(errorCode(nulled), 'BAD_USER_INPUT');
    assert.equal(nulled.errors![0].extensions!.field, 'lastName');
    const phone = await api.gql(UpdateProfileDocument, { input: { phone: 'call me maybe' } }, token);
    assert.equal(errorCode(phone), 'BAD_USER_INPUT');
    assert.equal(phone.errors![0].extensions!.field, 'phone');
  });
});

describe('switchOrganization', () => {
  test('opens a new session in another organization of the user, audited there', async () => {
    const email = 'support@globex.test';
    await addMembership(email, 'acme');
    const start = await signIn(email, DEMO_PASSWORD, 'globex');
    const acmeId = await orgId('acme');
    const res = await api.gql(SwitchOrganizationDocument, { organizationId: acmeId }, start.accessToken);
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const payload = res.data!.switchOrganization;
    assert.equal(payload.organization!.slug, 'acme');
    assert.notEqual(payload.refreshToken, start.refreshToken);
    assert.equal((await api.gql(MeDocument, {}, payload.accessToken)).data!.me.email, email);
    // The previous session stays signed in to globex.
    assert.equal((await api.gql(MeDocument, {}, start.accessToken)).data!.me.email, email);
    const refreshed = await api.gql(RefreshSessionDocument, { refreshToken: payload.refreshToken });
    assert.equal(refreshed.data!.refreshSession.organization!.slug, 'acme');

    const audit = await auditRows('auth.switch_organization');
    assert.equal(audit.length, 1);
    assert.equal(audit[0].organization_id, acmeId);
    assert.equal(audit[0].user_id, start.user.id);
    // The next login without a slug lands in the organization switched to.
    assert.equal((await signIn(email)).organization!.slug, 'acme');
  });

  test('anything but an active membership in an active organization is the same NOT_FOUND', async () => {
    const email = 'finance.officer@acme.test';
    const { accessToken } = await signIn(email);
    // A suspended organization the user belongs to, and one with a suspended membership.
    const suspended = await api.gql(SignUpDocument, {
      input: { organizationName: 'Hooli', organizationSlug: 'hooli', email: 'gavin@hooli.test', password: 'Str0ng!Passw0rd', firstName: 'Gavin', lastName: 'Belson' },
    });
    assert.equal(suspended.errors, undefined, JSON.stringify(suspended.errors));
    await addMembership(email, 'hooli');
    await api.sql(`update tenancy_organization set status = 'suspended' where slug = 'hooli'`);
    await addMembership(email, 'globex', 'suspended');

    const attempts = [await orgId('globex'), await orgId('hooli'), randomUUID(), 'not-an-id'];
    const messages = new Set<string>();
    for (const organizationId of attempts) {
      const res = await api.gql(SwitchOrganizationDocument, { organizationId }, accessToken);
      assert.equal(errorCode(res), 'NOT_FOUND', organizationId);
      messages.add(res.errors![0].message);
    }
    assert.equal(messages.size, 1);
    // A user of one organization only cannot reach the other.
    const other = await api.gql(SwitchOrganizationDocument, { organizationId: await orgId('globex') }, await api.login('sales', 'acme'));
    assert.equal(errorCode(other), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(SwitchOrganizationDocument, { organizationId: await orgId('acme') })), 'UNAUTHENTICATED');
  });
});

describe('sessions', () => {
  test('lists the caller’s live sessions, marking the current one; revoking one signs it out', async () => {
    const email = 'csr.manager@acme.test';
    const first = await signIn(email);
    const second = await signIn(email);
    const third = await signIn(email);
    await api.gql(RevokeSessionDocument, { id: (await sessionIds(third.accessToken)).current }, third.accessToken);

    const list = await api.gql(SessionsDocument, {}, second.accessToken);
    assert.equal(list.errors, undefined, JSON.stringify(list.errors));
    const nodes = list.data!.sessions.edges.map((e) => e.node);
    assert.equal(nodes.length, 2);
    assert.equal(list.data!.sessions.totalCount, 2);
    assert.equal(nodes.filter((n) => n.current).length, 1);
    const other = nodes.find((n) => !n.current)!;
    assert.equal(other.organizationId, first.organization!.id);

    const paged = await api.gql(SessionsDocument, { first: 1 }, second.accessToken);
    assert.equal(paged.data!.sessions.edges.length, 1);
    assert.equal(paged.data!.sessions.pageInfo.hasNextPage, true);
    const next = await api.gql(SessionsDocument, { first: 1, after: paged.data!.sessions.pageInfo.endCursor }, second.accessToken);
    assert.equal(next.errors, undefined, JSON.stringify(next.errors));
    assert.equal(next.data!.sessions.edges.length, 1);
    assert.equal(next.data!.sessions.pageInfo.hasNextPage, false);
    assert.notEqual(next.data!.sessions.edges[0].node.id, paged.data!.sessions.edges[0].node.id);

    const revoked = await api.gql(RevokeSessionDocument, { id: other.id }, second.accessToken);
    assert.equal(revoked.data!.revokeSession, true);
    assert.equal(errorCode(await api.gql(MeDocument, {}, first.accessToken)), 'UNAUTHENTICATED');
    assert.equal(errorCode(await api.gql(RefreshSessionDocument, { refreshToken: first.refreshToken })), 'UNAUTHENTICATED');
    assert.equal((await api.gql(MeDocument, {}, second.accessToken)).data!.me.email, email);
    assert.equal((await auditRows('auth.session_revoke', other.id)).length, 1);
  });

  test('another user’s session, an unknown id and no token are refused', async () => {
    const victim = await signIn('editor@acme.test');
    const victimSession = (await sessionIds(victim.accessToken)).current;
    const attacker = await signIn('auditor@globex.test');
    for (const id of [victimSession, randomUUID(), 'nope']) {
      assert.equal(errorCode(await api.gql(RevokeSessionDocument, { id }, attacker.accessToken)), 'NOT_FOUND', id);
    }
    assert.equal((await api.gql(MeDocument, {}, victim.accessToken)).data!.me.email, 'editor@acme.test');
    assert.equal(errorCode(await api.gql(SessionsDocument, {})), 'UNAUTHENTICATED');
    assert.equal(errorCode(await api.gql(RevokeSessionDocument, { id: victimSession })), 'UNAUTHENTICATED');
  });
});

async function sessionIds(token: string) {
  const res = await api.gql(SessionsDocument, { first: 100 }, token);
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  const nodes = res.data!.sessions.edges.map((e) => e.node);
  return { current: nodes.find((n) => n.current)!.id, all: nodes.map((n) => n.id) };
}

describe('revokeMemberSessions', () => {
  test('an admin signs a member out of every session in the organization, not elsewhere', async () => {
    const email = 'sales@globex.test';
    await addMembership(email, 'acme');
    const inGlobex = await signIn(email, DEMO_PASSWORD, 'globex');
    const inAcme1 = await signIn(email, DEMO_PASSWORD, 'acme');
    const inAcme2 = await signIn(email, DEMO_PASSWORD, 'acme');
    const admin = await signIn('admin@acme.test');

    const res = await api.gql(RevokeMemberSessionsDocument, { userId: inGlobex.user.id }, admin.accessToken);
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    assert.equal(res.data!.revokeMemberSessions, 2);
    assert.equal(errorCode(await api.gql(MeDocument, {}, inAcme1.accessToken)), 'UNAUTHENTICATED');
    assert.equal(errorCode(await api.gql(MeDocument, {}, inAcme2.accessToken)), 'UNAUTHENTICATED');
    assert.equal((await api.gql(MeDocument, {}, inGlobex.accessToken)).data!.me.email, email);

    const [audit] = await auditRows('auth.member_sessions_revoke', inGlobex.user.id);
    assert.equal(audit.organization_id, admin.organization!.id);
    assert.equal(audit.user_id, admin.user.id);
    assert.equal(audit.changes!.revokedSessions, 2);
  });

  test('refuses the unauthenticated, a role without session:revoke and a user of another organization', async () => {
    const target = await signIn('analyst@acme.test');
    assert.equal(errorCode(await api.gql(RevokeMemberSessionsDocument, { userId: target.user.id })), 'UNAUTHENTICATED');
    const denied = await api.gql(RevokeMemberSessionsDocument, { userId: target.user.id }, await api.login('member', 'acme'));
    assert.equal(errorCode(denied), 'FORBIDDEN');

    const globexAdmin = await signIn('admin@globex.test');
    for (const userId of [target.user.id, randomUUID(), 'nope']) {
      assert.equal(errorCode(await api.gql(RevokeMemberSessionsDocument, { userId }, globexAdmin.accessToken)), 'NOT_FOUND', userId);
    }
    assert.equal((await api.gql(MeDocument, {}, target.accessToken)).data!.me.email, 'analyst@acme.test');
  });
});
