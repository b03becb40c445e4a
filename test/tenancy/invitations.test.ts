import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, errorCode, DEMO_PASSWORD, type TestApi } from '../support/api';
import {
  AcceptInvitationDocument,
  NotificationsDocument,
  InvitationsDocument,
  InviteMemberDocument,
  LoginDocument,
  MeDocument,
  MembersDocument,
  ResendInvitationDocument,
  RevokeInvitationDocument,
  RolesDocument,
  SwitchOrganizationDocument,
  UpdateOrganizationDocument,
} from '../__generated__/graphql';

let api: TestApi;
let acmeAdmin: string;
let globexAdmin: string;
let acmeRoles: Map<string, string>;
let globexRoles: Map<string, string>;
before(async () => {
  api = await startTestApi({ workers: true });
  acmeAdmin = await api.login('admin', 'acme');
  globexAdmin = await api.login('admin', 'globex');
  acmeRoles = await roleIds(acmeAdmin);
  globexRoles = await roleIds(globexAdmin);
});
after(async () => {
  await api.close();
});

const orgId = async (slug: string) => (await api.sql<{ id: string }>('select id from tenancy_organization where slug = $1', [slug]))[0].id;

async function roleIds(token: string): Promise<Map<string, string>> {
  const res = await api.gql(RolesDocument, {}, token);
  return new Map(res.data!.roles.map((r) => [r.key, r.id]));
}

/** The token of the last invitation email sent to `email`. */
async function invitationToken(email: string): Promise<string> {
  await api.drainJobs();
  const rows = await api.sql<{ data: { token: string } }>(
    "select data from messaging_recorded_message where recipient = $1 and template = 'invitation' order by created_at desc limit 1",
    [email],
  );
  assert.ok(rows[0], `no invitation email to ${email}`);
  return rows[0].data.token;
}

async function invite(email: string, roles: string[], token = acmeAdmin, roleMap = acmeRoles) {
  const res = await api.gql(InviteMemberDocument, { input: { email, roleIds: roles.map((k) => roleMap.get(k)!) } }, token);
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  return res.data!.inviteMember;
}

const newcomer = { firstName: 'Nia', lastName: 'Newcomer', password: 'Welcome!2026' };

describe('inviteMember', () => {
  test('invites an address with roles: emailed token carries the organization, stored hashed, listed as pending, audited', async () => {
    const inv = await invite('New.Hire@Example.com', ['sales', 'support']);
    assert.equal(inv.email, 'new.hire@example.com');
    assert.equal(inv.status, 'PENDING');
    assert.deepEqual(inv.roles.map((r) => r.key).sort(), ['sales', 'support']);
    assert.equal(inv.invitedBy!.email, 'admin@acme.test');
    const ttl = new Date(inv.expiresAt).getTime() - Date.now();
    assert.ok(ttl > 6.9 * 86400_000 && ttl <= 7 * 86400_000, 'expires in 7 days');

    const acme = await orgId('acme');
    await api.drainJobs();
    const [mail] = await api.sql<{ subject: string; body: string; data: { token: string; link: string } }>(
      "select subject, body, data from messaging_recorded_message where recipient = 'new.hire@example.com' and template = 'invitation'",
    );
    assert.ok(mail.subject.includes('Acme Corporation'));
    assert.ok(mail.data.token.startsWith(`${acme}.`));
    assert.ok(mail.body.includes(mail.data.link));
    assert.ok(mail.data.link.startsWith(`${api.app.config.publicUrl}/accept-invitation?token=`));
    const [row] = await api.sql<{ token_hash: string }>('select token_hash from tenancy_invitation where id = $1', [inv.id]);
    assert.notEqual(row.token_hash, mail.data.token);
    assert.ok(!row.token_hash.includes(mail.data.token.split('.')[1]));

    const list = await api.gql(InvitationsDocument, { filter: { status: 'PENDING' } }, acmeAdmin);
    assert.ok(list.data!.invitations.edges.some((e) => e.node.id === inv.id));
    const [audit] = await api.sql<{ organization_id: string; changes: { email: string } }>(
      "select organization_id, changes from audit_log where action = 'invitation.create' and resource_id = $1",
      [inv.id],
    );
    assert.equal(audit.organization_id, acme);
    assert.equal(audit.changes.email, 'new.hire@example.com');
  });

  test('refusals: no token, no member:invite, another organization’s role, a member, a pending duplicate, bad input, roles above the inviter', async () => {
    const input = { email: 'someone@example.com', roleIds: [acmeRoles.get('member')!] };
    assert.equal(errorCode(await api.gql(InviteMemberDocument, { input })), 'UNAUTHENTICATED');
    assert.equal(errorCode(await api.gql(InviteMemberDocument, { input }, await api.login('sales', 'acme'))), 'FORBIDDEN');

    const foreign = await api.gql(InviteMemberDocument, { input: { ...input, roleIds: [globexRoles.get('member')!] } }, acmeAdmin);
    assert.equal(errorCode(foreign), 'NOT_FOUND');

    const member = await api.gql(InviteMemberDocument, { input: { ...input, email: 'SALES@acme.test' } }, acmeAdmin);
    assert.equal(errorCode(member), 'CONFLICT');
    assert.equal(member.errors![0].extensions!.field, 'email');

    await invite('twice@example.com', ['member']);
    const twice = await api.gql(InviteMemberDocument, { input: { ...input, email: 'twice@example.com' } }, acmeAdmin);
    assert.equal(errorCode(twice), 'CONFLICT');

    assert.equal(errorCode(await api.gql(InviteMemberDocument, { input: { ...input, email: 'nope' } }, acmeAdmin)), 'BAD_USER_INPUT');
    const none = await api.gql(InviteMemberDocument, { input: { ...input, roleIds: [] } }, acmeAdmin);
    assert.equal(errorCode(none), 'BAD_USER_INPUT');
    assert.equal(none.errors![0].extensions!.field, 'roleIds');

    // The CSR manager may invite, but cannot hand out the owner role it does not hold.
    const csr = await api.login('csr.manager', 'acme');
    const owner = await api.gql(InviteMemberDocument, { input: { ...input, roleIds: [acmeRoles.get('owner')!] } }, csr);
    assert.equal(errorCode(owner), 'FORBIDDEN');
    assert.equal((await api.sql("select count(*)::int as n from tenancy_invitation where email = 'someone@example.com'"))[0].n, 0);
  });

  test('the quota counts active members and pending invitations', async () => {
    const globex = await orgId('globex');
    const operator = (await api.gql(LoginDocument, { input: { email: 'operator@tessera.test', password: DEMO_PASSWORD } })).data!.login.accessToken;
    const [{ n }] = await api.sql<{ n: number }>(
      `select (select count(*) from tenancy_membership where organization_id = $1 and status = 'active')
            + (select count(*) from tenancy_invitation where organization_id = $1 and accepted_at is null and revoked_at is null and expires_at > now()) as n`,
      [globex],
    );
    const setQuota = (maxUsers: number) => api.gql(UpdateOrganizationDocument, { id: globex, input: { quotas: { maxUsers } } }, operator);
    assert.equal((await setQuota(Number(n) + 1)).errors, undefined);

    const first = await invite('seat.one@example.com', ['member'], globexAdmin, globexRoles);
    const full = await api.gql(InviteMemberDocument, { input: { email: 'seat.two@example.com', roleIds: [globexRoles.get('member')!] } }, globexAdmin);
    assert.equal(errorCode(full), 'CONFLICT');
    assert.match(full.errors![0].message, /quota/);

    // Revoking frees the seat.
    await api.gql(RevokeInvitationDocument, { id: first.id }, globexAdmin);
    await invite('seat.two@example.com', ['member'], globexAdmin, globexRoles);
    await setQuota(50);
  });
});

describe('invitations', () => {
  test('list refused without member:read and without a token; another organization sees none of them', async () => {
    assert.equal(errorCode(await api.gql(InvitationsDocument, {})), 'UNAUTHENTICATED');
    assert.equal(errorCode(await api.gql(InvitationsDocument, {}, await api.login('recipient', 'acme'))), 'FORBIDDEN');
    const acmeInvite = await invite('isolated@example.com', ['member']);
    const globexList = await api.gql(InvitationsDocument, { first: 100 }, globexAdmin);
    assert.ok(!globexList.data!.invitations.edges.some((e) => e.node.id === acmeInvite.id));
    const filtered = await api.gql(InvitationsDocument, { filter: { email: { eq: 'isolated@example.com' } } }, acmeAdmin);
    assert.equal(filtered.data!.invitations.totalCount, 1);
  });
});

describe('acceptInvitation', () => {
  test('creates the account (email verified), the membership with the invited roles, and signs in to the organization; single use', async () => {
    const inv = await invite('fresh@example.com', ['sales']);
    const token = await invitationToken('fresh@example.com');

    const noNames = await api.gql(AcceptInvitationDocument, { input: { token, password: newcomer.password } });
    assert.equal(errorCode(noNames), 'BAD_USER_INPUT');
    assert.equal(noNames.errors![0].extensions!.field, 'firstName');
    const weak = await api.gql(AcceptInvitationDocument, { input: { ...newcomer, token, password: 'weak' } });
    assert.equal(weak.errors![0].extensions!.field, 'password');

    const res = await api.gql(AcceptInvitationDocument, { input: { ...newcomer, token } });
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const payload = res.data!.acceptInvitation;
    assert.equal(payload.organization!.slug, 'acme');
    assert.equal(payload.user.email, 'fresh@example.com');
    assert.ok(payload.user.emailVerifiedAt);
    assert.equal((await api.gql(MeDocument, {}, payload.accessToken)).data!.me.email, 'fresh@example.com');

    const members = await api.gql(MembersDocument, { filter: { userId: { eq: payload.user.id } } }, acmeAdmin);
    assert.deepEqual(members.data!.members.edges[0].node.roles.map((r) => r.key), ['sales']);
    const listed = await api.gql(InvitationsDocument, { filter: { status: 'ACCEPTED' } }, acmeAdmin);
    assert.ok(listed.data!.invitations.edges.some((e) => e.node.id === inv.id && e.node.acceptedAt));
    // The inviter hears that the invitation was taken up.
    const heard = await api.gql(NotificationsDocument, { filter: { unread: true } }, acmeAdmin);
    const accepted = heard.data!.notifications.edges.map((e) => e.node).find((n) => n.type === 'invitation_accepted');
    assert.ok(accepted, JSON.stringify(heard));
    assert.match(accepted.title, /joined Acme/);

    const again = await api.gql(AcceptInvitationDocument, { input: { ...newcomer, token } });
    assert.equal(errorCode(again), 'BAD_USER_INPUT');
    assert.equal(again.errors![0].extensions!.field, 'token');
    await api.gql(LoginDocument, { input: { email: 'fresh@example.com', password: newcomer.password } }).then((r) => assert.equal(r.errors, undefined));

    const acme = await orgId('acme');
    const audit = await api.sql<{ organization_id: string; user_id: string; action: string }>(
      "select organization_id, user_id, action from audit_log where resource_id = $1 and action like 'invitation.accept%' order by seq",
      [inv.id],
    );
    assert.deepEqual(audit.map((a) => [a.action, a.organization_id]), [['invitation.accept', acme], ['invitation.accept_failed', acme]]);
    assert.equal(audit[0].user_id, payload.user.id);
  });

  test('an existing account must be signed in as itself; then it belongs to both organizations and switches between them', async () => {
    const email = 'member@globex.test';
    await invite(email, ['analyst']);
    const token = await invitationToken(email);

    const anonymous = await api.gql(AcceptInvitationDocument, { input: { token, password: DEMO_PASSWORD } });
    assert.equal(errorCode(anonymous), 'UNAUTHENTICATED');
    const someoneElse = await api.gql(AcceptInvitationDocument, { input: { token } }, await api.login('sales', 'globex'));
    assert.equal(errorCode(someoneElse), 'FORBIDDEN');

    const globexLogin = (await api.gql(LoginDocument, { input: { email, password: DEMO_PASSWORD } })).data!.login;
    const res = await api.gql(AcceptInvitationDocument, { input: { token } }, globexLogin.accessToken);
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const acmeSession = res.data!.acceptInvitation;
    assert.equal(acmeSession.organization!.slug, 'acme');
    assert.equal(acmeSession.user.id, globexLogin.user.id);

    const toGlobex = await api.gql(SwitchOrganizationDocument, { organizationId: globexLogin.organization!.id }, acmeSession.accessToken);
    assert.equal(toGlobex.data!.switchOrganization.organization!.slug, 'globex');
    const backToAcme = await api.gql(SwitchOrganizationDocument, { organizationId: acmeSession.organization!.id }, toGlobex.data!.switchOrganization.accessToken);
    assert.equal(backToAcme.data!.switchOrganization.organization!.slug, 'acme');
    // Analyst in acme: may read members there.
    assert.equal((await api.gql(MembersDocument, { first: 1 }, backToAcme.data!.switchOrganization.accessToken)).errors, undefined);

    const dup = await api.gql(InviteMemberDocument, { input: { email, roleIds: [acmeRoles.get('member')!] } }, acmeAdmin);
    assert.equal(errorCode(dup), 'CONFLICT');
  });

  test('a signed-in user cannot take an invitation meant for an address without an account', async () => {
    await invite('unclaimed@example.com', ['member']);
    const token = await invitationToken('unclaimed@example.com');
    const res = await api.gql(AcceptInvitationDocument, { input: { ...newcomer, token } }, await api.login('editor', 'globex'));
    assert.equal(errorCode(res), 'FORBIDDEN');
    const [{ n }] = await api.sql<{ n: number }>("select count(*)::int as n from identity_user where email = 'unclaimed@example.com'");
    assert.equal(n, 0);
  });

  test('malformed, unknown, revoked and expired tokens are refused as BAD_USER_INPUT on token', async () => {
    const acme = await orgId('acme');
    for (const token of ['no-dot-here', 'not-a-uuid.abc', `${acme}.made-up`, `${acme}.`]) {
      const res = await api.gql(AcceptInvitationDocument, { input: { ...newcomer, token } });
      assert.equal(errorCode(res), 'BAD_USER_INPUT', token);
      assert.equal(res.errors![0].extensions!.field, 'token', token);
    }

    const revoked = await invite('revoked@example.com', ['member']);
    const revokedToken = await invitationToken('revoked@example.com');
    const r = await api.gql(RevokeInvitationDocument, { id: revoked.id }, acmeAdmin);
    assert.equal(r.data!.revokeInvitation.status, 'REVOKED');
    assert.equal((await api.gql(AcceptInvitationDocument, { input: { ...newcomer, token: revokedToken } })).errors![0].extensions!.field, 'token');

    const expired = await invite('expired@example.com', ['member']);
    const expiredToken = await invitationToken('expired@example.com');
    await api.sql("update tenancy_invitation set expires_at = now() - interval '1 second' where id = $1", [expired.id]);
    assert.equal((await api.gql(AcceptInvitationDocument, { input: { ...newcomer, token: expiredToken } })).errors![0].extensions!.field, 'token');
    const expiredList = await api.gql(InvitationsDocument, { filter: { status: 'EXPIRED' } }, acmeAdmin);
    assert.deepEqual(expiredList.data!.invitations.edges.map((e) => e.node.email), ['expired@example.com']);
    const [{ n }] = await api.sql<{ n: number }>("select count(*)::int as n from identity_user where email in ('revoked@example.com', 'expired@example.com')");
    assert.equal(n, 0);
  });
});

describe('revokeInvitation / resendInvitation', () => {
  test('resend issues a new token and expiry; the old token stops working', async () => {
    const inv = await invite('resend@example.com', ['member']);
    const oldToken = await invitationToken('resend@example.com');
    await api.sql("update tenancy_invitation set expires_at = now() - interval '1 second' where id = $1", [inv.id]);

    const res = await api.gql(ResendInvitationDocument, { id: inv.id }, acmeAdmin);
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    assert.equal(res.data!.resendInvitation.status, 'PENDING');
    assert.ok(new Date(res.data!.resendInvitation.expiresAt).getTime() - Date.now() > 6.9 * 86400_000);
    const newToken = await invitationToken('resend@example.com');
    assert.notEqual(newToken, oldToken);

    assert.equal((await api.gql(AcceptInvitationDocument, { input: { ...newcomer, token: oldToken } })).errors![0].extensions!.field, 'token');
    const accepted = await api.gql(AcceptInvitationDocument, { input: { ...newcomer, token: newToken } });
    assert.equal(accepted.errors, undefined, JSON.stringify(accepted.errors));

    assert.equal(errorCode(await api.gql(ResendInvitationDocument, { id: inv.id }, acmeAdmin)), 'CONFLICT');
    assert.equal(errorCode(await api.gql(RevokeInvitationDocument, { id: inv.id }, acmeAdmin)), 'CONFLICT');
    const actions = await api.sql<{ action: string }>('select action from audit_log where resource_id = $1 order by seq', [inv.id]);
    assert.deepEqual(actions.map((a) => a.action), ['invitation.create', 'invitation.resend', 'invitation.accept']);
  });

  test('refusals: another organization’s invitation is NOT_FOUND, a revoked one cannot be revoked or resent, no permission', async () => {
    const inv = await invite('guarded@example.com', ['member']);
    assert.equal(errorCode(await api.gql(RevokeInvitationDocument, { id: inv.id }, globexAdmin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(ResendInvitationDocument, { id: inv.id }, globexAdmin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(RevokeInvitationDocument, { id: 'not-an-id' }, acmeAdmin)), 'BAD_USER_INPUT');
    assert.equal(errorCode(await api.gql(RevokeInvitationDocument, { id: inv.id }, await api.login('member', 'acme'))), 'FORBIDDEN');
    assert.equal(errorCode(await api.gql(RevokeInvitationDocument, { id: inv.id })), 'UNAUTHENTICATED');

    assert.equal((await api.gql(RevokeInvitationDocument, { id: inv.id }, acmeAdmin)).data!.revokeInvitation.status, 'REVOKED');
    assert.equal(errorCode(await api.gql(RevokeInvitationDocument, { id: inv.id }, acmeAdmin)), 'CONFLICT');
    assert.equal(errorCode(await api.gql(ResendInvitationDocument, { id: inv.id }, acmeAdmin)), 'CONFLICT');
  });
});
