import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, errorCode, type TestApi } from '../support/api';
import {
  CurrentOrganizationDocument,
  MembersDocument,
  RemoveMemberDocument,
  RolesDocument,
  SuspendMemberDocument,
  UpdateMemberRolesDocument,
} from '../__generated__/graphql';

let api: TestApi;
let admin: string;
before(async () => {
  api = await startTestApi();
  admin = await api.login('admin', 'acme');
});
after(() => api.close());

type Member = { id: string; status: string; userId: string; user: { email: string }; roles: { id: string; key: string }[] };

async function members(token: string, org: 'acme' | 'globex' = 'acme'): Promise<Map<string, Member>> {
  const res = await api.gql(MembersDocument, { first: 100 }, token);
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  return new Map(res.data!.members.edges.map((e) => [e.node.user.email.replace(`@${org}.test`, ''), e.node as Member]));
}

async function roleIds(token: string): Promise<Map<string, string>> {
  const res = await api.gql(RolesDocument, {}, token);
  return new Map(res.data!.roles.map((r) => [r.key, r.id]));
}

describe('members', () => {
  test('lists the organization’s members with their user and roles, filters by status, pages', async () => {
    const list = await members(admin);
    assert.equal(list.size, 13);
    assert.deepEqual(list.get('sales')!.roles.map((r) => r.key), ['sales']);
    assert.ok([...list.keys()].every((k) => !k.includes('@')), 'no other organization’s members');

    const page = await api.gql(MembersDocument, { first: 5 }, admin);
    assert.equal(page.data!.members.edges.length, 5);
    assert.equal(page.data!.members.totalCount, 13);
    const next = await api.gql(MembersDocument, { first: 10, after: page.data!.members.pageInfo.endCursor }, admin);
    assert.equal(next.data!.members.edges.length, 8);

    const suspended = await api.gql(MembersDocument, { filter: { status: { eq: 'SUSPENDED' } } }, admin);
    assert.equal(suspended.data!.members.totalCount, 0);
  });

  test('refused without member:read and without a token', async () => {
    assert.equal(errorCode(await api.gql(MembersDocument, {}, await api.login('recipient', 'acme'))), 'FORBIDDEN');
    assert.equal(errorCode(await api.gql(MembersDocument, {})), 'UNAUTHENTICATED');
  });
});

describe('updateMemberRoles', () => {
  test('replaces a member’s roles; the change takes effect at once', async () => {
    const list = await members(admin);
    const roles = await roleIds(admin);
    const sales = list.get('sales')!;
    const res = await api.gql(UpdateMemberRolesDocument, { membershipId: sales.id, roleIds: [roles.get('sales')!, roles.get('support')!] }, admin);
    assert.equal(res.errors, undefined);
    assert.deepEqual(res.data!.updateMemberRoles.roles.map((r) => r.key).sort(), ['sales', 'support']);
  });

  test('refuses: no role, another organization’s role or member, malformed ids, the wrong role', async () => {
    const list = await members(admin);
    const roles = await roleIds(admin);
    const globexAdmin = await api.login('admin', 'globex');
    const globexRoles = await roleIds(globexAdmin);
    const globexMembers = await members(globexAdmin, 'globex');
    const support = list.get('support')!;

    const empty = await api.gql(UpdateMemberRolesDocument, { membershipId: support.id, roleIds: [] }, admin);
    assert.equal(errorCode(empty), 'BAD_USER_INPUT');
    assert.equal(empty.errors![0].extensions!.field, 'roleIds');

    const foreignRole = await api.gql(UpdateMemberRolesDocument, { membershipId: support.id, roleIds: [globexRoles.get('admin')!] }, admin);
    assert.equal(errorCode(foreignRole), 'NOT_FOUND');
    assert.equal(foreignRole.errors![0].extensions!.field, 'roleIds');

    const foreignMember = await api.gql(UpdateMemberRolesDocument, { membershipId: globexMembers.get('support')!.id, roleIds: [roles.get('member')!] }, admin);
    assert.equal(errorCode(foreignMember), 'NOT_FOUND');

    assert.equal(errorCode(await api.gql(UpdateMemberRolesDocument, { membershipId: 'x', roleIds: [roles.get('member')!] }, admin)), 'BAD_USER_INPUT');

    const member = await api.login('member', 'acme');
    assert.equal(errorCode(await api.gql(UpdateMemberRolesDocument, { membershipId: support.id, roleIds: [roles.get('admin')!] }, member)), 'FORBIDDEN');
    // Nothing changed.
    assert.deepEqual((await members(admin)).get('support')!.roles.map((r) => r.key), ['support']);
  });

  test('never takes the owner role from the last owner', async () => {
    const list = await members(admin);
    const roles = await roleIds(admin);
    const owner = list.get('owner')!;
    // The owner themselves (an admin may not take the owner role at all).
    const res = await api.gql(UpdateMemberRolesDocument, { membershipId: owner.id, roleIds: [roles.get('admin')!] }, await api.login('owner', 'acme'));
    assert.equal(errorCode(res), 'CONFLICT');
  });
});

describe('suspendMember and removeMember', () => {
  test('never the last owner; an owner is suspended or removed only by an owner', async () => {
    const owner = (await members(admin)).get('owner')!;
    const ownerToken = await api.login('owner', 'acme');
    assert.equal(errorCode(await api.gql(SuspendMemberDocument, { membershipId: owner.id }, ownerToken)), 'CONFLICT');
    assert.equal(errorCode(await api.gql(RemoveMemberDocument, { membershipId: owner.id }, ownerToken)), 'CONFLICT');
    const byAdmin = [
      await api.gql(SuspendMemberDocument, { membershipId: owner.id }, admin),
      await api.gql(RemoveMemberDocument, { membershipId: owner.id }, admin),
    ];
    for (const res of byAdmin) {
      assert.equal(errorCode(res), 'FORBIDDEN');
      assert.equal(res.errors![0].extensions!.permission, 'owner');
    }
  });

  test('a second owner makes the first one removable', async () => {
    const list = await members(admin);
    const roles = await roleIds(admin);
    // Only an owner gives or takes the owner role (test/access/escalation.test.ts).
    const owner = await api.login('owner', 'acme');
    const promote = await api.gql(UpdateMemberRolesDocument, { membershipId: list.get('admin')!.id, roleIds: [roles.get('admin')!, roles.get('owner')!] }, owner);
    assert.equal(promote.errors, undefined);
    const demote = await api.gql(UpdateMemberRolesDocument, { membershipId: list.get('owner')!.id, roleIds: [roles.get('member')!] }, owner);
    assert.equal(demote.errors, undefined);
    assert.deepEqual(demote.data!.updateMemberRoles.roles.map((r) => r.key), ['member']);
  });

  test('a suspended member’s token stops working; the filter finds them', async () => {
    const token = await api.login('analyst', 'acme');
    assert.equal((await api.gql(CurrentOrganizationDocument, {}, token)).errors, undefined);
    const analyst = (await members(admin)).get('analyst')!;
    const res = await api.gql(SuspendMemberDocument, { membershipId: analyst.id }, admin);
    assert.equal(res.data!.suspendMember.status, 'SUSPENDED');
    assert.equal(errorCode(await api.gql(SuspendMemberDocument, { membershipId: analyst.id }, admin)), 'CONFLICT');
    assert.equal(errorCode(await api.gql(CurrentOrganizationDocument, {}, token)), 'UNAUTHENTICATED');
    const suspended = await api.gql(MembersDocument, { filter: { status: { eq: 'SUSPENDED' } } }, admin);
    assert.deepEqual(suspended.data!.members.edges.map((e) => e.node.user.email), ['analyst@acme.test']);
  });

  test('a removed member is gone and their token stops working; refusals', async () => {
    const token = await api.login('auditor', 'acme');
    const list = await members(admin);
    const auditor = list.get('auditor')!;
    const globexSupport = (await members(await api.login('admin', 'globex'), 'globex')).get('support')!;
    assert.equal(errorCode(await api.gql(RemoveMemberDocument, { membershipId: globexSupport.id }, admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(RemoveMemberDocument, { membershipId: auditor.id }, await api.login('member', 'acme'))), 'FORBIDDEN');

    const res = await api.gql(RemoveMemberDocument, { membershipId: auditor.id }, admin);
    assert.equal(res.data!.removeMember, true);
    assert.equal((await members(admin)).has('auditor'), false);
    assert.equal(errorCode(await api.gql(CurrentOrganizationDocument, {}, token)), 'UNAUTHENTICATED');
    assert.equal(errorCode(await api.gql(RemoveMemberDocument, { membershipId: auditor.id }, admin)), 'NOT_FOUND');
  });
});
