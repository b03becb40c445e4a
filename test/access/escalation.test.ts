/**
 * Nobody hands out more than they hold: custom roles and role assignment stay within the caller's
 * own grants, and only an owner gives or takes the owner role.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, errorCode, type GqlResult, type TestApi } from '../support/api';
import {
  AuditLogsDocument,
  CreateRoleDocument,
  MembersDocument,
  RemoveMemberDocument,
  RolesDocument,
  SuspendMemberDocument,
  UpdateMemberRolesDocument,
  UpdateRoleDocument,
} from '../__generated__/graphql';

let api: TestApi;
let admin: string;
/** member@acme with an extra custom role: role:write and member:update, but only a few other grants. */
let manager: string;
let roles: Map<string, string>;
let memberships: Map<string, { id: string; roles: string[] }>;

const MANAGER_GRANTS = ['role:read', 'role:write', 'member:read', 'member:update', 'deal:read', 'lead:read:own'];

async function loadRoles(): Promise<Map<string, string>> {
  const res = await api.gql(RolesDocument, {}, admin);
  return new Map(res.data!.roles.map((r) => [r.key, r.id]));
}

async function loadMembers(): Promise<Map<string, { id: string; roles: string[] }>> {
  const res = await api.gql(MembersDocument, { first: 100 }, admin);
  return new Map(res.data!.members.edges.map((e) => [e.node.user.email.replace('@acme.test', ''), { id: e.node.id, roles: e.node.roles.map((r) => r.key).sort() }]));
}

function assertRefused(res: GqlResult<unknown>, permission: string) {
  assert.equal(errorCode(res), 'FORBIDDEN', JSON.stringify(res.errors));
  assert.equal(res.errors![0].extensions!.permission, permission);
  assert.match(res.errors![0].message, new RegExp(permission));
}

before(async () => {
  api = await startTestApi();
  admin = await api.login('admin', 'acme');
  const created = await api.gql(CreateRoleDocument, { input: { key: 'role_manager', name: 'Role manager', permissions: MANAGER_GRANTS } }, admin);
  assert.equal(created.errors, undefined);
  roles = await loadRoles();
  memberships = await loadMembers();
  const assigned = await api.gql(
    UpdateMemberRolesDocument,
    { membershipId: memberships.get('member')!.id, roleIds: [roles.get('member')!, roles.get('role_manager')!] },
    admin,
  );
  assert.equal(assigned.errors, undefined);
  manager = await api.login('member', 'acme');
});
after(() => api.close());

describe('custom roles stay within the caller’s grants', () => {
  test('creates a role from grants it holds; `x:y:own` is covered by `x:y`', async () => {
    const res = await api.gql(CreateRoleDocument, { input: { key: 'deal_viewer', name: 'Deal viewer', permissions: ['deal:read:own', 'lead:read:own', 'customer:read'] } }, manager);
    assert.equal(res.errors, undefined);
    assert.deepEqual(res.data!.createRole.permissions, ['customer:read', 'deal:read:own', 'lead:read:own']);
  });

  test('refuses a grant it does not hold, naming it, and creates nothing', async () => {
    assertRefused(await api.gql(CreateRoleDocument, { input: { key: 'auditor_2', name: 'Auditor 2', permissions: ['deal:read', 'audit:read'] } }, manager), 'audit:read');
    // Holding `lead:read:own` does not cover `lead:read`.
    assertRefused(await api.gql(CreateRoleDocument, { input: { key: 'lead_reader', name: 'Lead reader', permissions: ['lead:read'] } }, manager), 'lead:read');
    const keys = [...(await loadRoles()).keys()];
    assert.ok(!keys.includes('auditor_2') && !keys.includes('lead_reader'));
  });

  test('updates a role within its grants; refuses to add more or to touch a role beyond them', async () => {
    const own = (await api.gql(CreateRoleDocument, { input: { key: 'reader_x', name: 'Reader', permissions: ['deal:read'] } }, manager)).data!.createRole;
    const ok = await api.gql(UpdateRoleDocument, { id: own.id, input: { name: 'Reader X', permissions: ['deal:read', 'member:read'] } }, manager);
    assert.equal(ok.errors, undefined);
    assert.deepEqual(ok.data!.updateRole.permissions, ['deal:read', 'member:read']);

    assertRefused(await api.gql(UpdateRoleDocument, { id: own.id, input: { permissions: ['deal:read', 'deal:write'] } }, manager), 'deal:write');

    const strong = (await api.gql(CreateRoleDocument, { input: { key: 'strong', name: 'Strong', permissions: ['audit:read', 'deal:read'] } }, admin)).data!.createRole;
    assertRefused(await api.gql(UpdateRoleDocument, { id: strong.id, input: { permissions: ['deal:read'] } }, manager), 'audit:read');
    assertRefused(await api.gql(UpdateRoleDocument, { id: strong.id, input: { name: 'Renamed' } }, manager), 'audit:read');

    const after = (await api.gql(RolesDocument, {}, admin)).data!.roles;
    assert.deepEqual(after.find((r) => r.key === 'reader_x')!.permissions, ['deal:read', 'member:read']);
    assert.equal(after.find((r) => r.key === 'strong')!.name, 'Strong');
  });

  test('a refusal is recorded as a failed authorization', async () => {
    assertRefused(await api.gql(CreateRoleDocument, { input: { key: 'sneaky', name: 'Sneaky', permissions: ['campaign:read'] } }, manager), 'campaign:read');
    const logs = await api.gql(AuditLogsDocument, { filter: { action: { eq: 'authorization.denied' }, resourceType: { eq: 'Role' } } }, admin);
    assert.ok(logs.data!.auditLogs.edges.some((e) => (e.node.changes as { required?: string }).required === 'campaign:read'));
  });
});

describe('role assignment stays within the caller’s grants', () => {
  test('assigns and removes a role it could have made itself', async () => {
    const viewer = (await api.gql(CreateRoleDocument, { input: { key: 'viewer_y', name: 'Viewer', permissions: ['deal:read:own'] } }, admin)).data!.createRole;
    const support = memberships.get('support')!;
    const added = await api.gql(UpdateMemberRolesDocument, { membershipId: support.id, roleIds: [roles.get('support')!, viewer.id] }, manager);
    assert.equal(added.errors, undefined);
    assert.deepEqual(added.data!.updateMemberRoles.roles.map((r) => r.key).sort(), ['support', 'viewer_y']);
    const removed = await api.gql(UpdateMemberRolesDocument, { membershipId: support.id, roleIds: [roles.get('support')!] }, manager);
    assert.equal(removed.errors, undefined);
  });

  test('refuses to give or take a role with a grant it does not hold, itself included', async () => {
    const support = memberships.get('support')!;
    assertRefused(await api.gql(UpdateMemberRolesDocument, { membershipId: support.id, roleIds: [roles.get('support')!, roles.get('sales')!] }, manager), 'activity:read:own');
    // Taking a role away needs its grants too (support holds ticket:read and more).
    assertRefused(await api.gql(UpdateMemberRolesDocument, { membershipId: support.id, roleIds: [roles.get('member')!] }, manager), 'activity:read');
    const self = memberships.get('member')!;
    assertRefused(
      await api.gql(UpdateMemberRolesDocument, { membershipId: self.id, roleIds: [roles.get('member')!, roles.get('role_manager')!, roles.get('auditor')!] }, manager),
      'approval:read',
    );
    const now = await loadMembers();
    assert.deepEqual(now.get('support')!.roles, ['support']);
    assert.deepEqual(now.get('member')!.roles, ['member', 'role_manager']);
  });

  test('an admin (holding every grant) can assign admin, but only an owner gives or takes the owner role', async () => {
    const editor = memberships.get('editor')!;
    const promoted = await api.gql(UpdateMemberRolesDocument, { membershipId: editor.id, roleIds: [roles.get('admin')!] }, admin);
    assert.equal(promoted.errors, undefined);
    assert.deepEqual(promoted.data!.updateMemberRoles.roles.map((r) => r.key), ['admin']);

    assertRefused(await api.gql(UpdateMemberRolesDocument, { membershipId: editor.id, roleIds: [roles.get('admin')!, roles.get('owner')!] }, admin), 'owner');
    // Not even to themselves.
    const self = memberships.get('admin')!;
    assertRefused(await api.gql(UpdateMemberRolesDocument, { membershipId: self.id, roleIds: [roles.get('owner')!] }, admin), 'owner');

    const owner = await api.login('owner', 'acme');
    const second = await api.gql(UpdateMemberRolesDocument, { membershipId: editor.id, roleIds: [roles.get('admin')!, roles.get('owner')!] }, owner);
    assert.equal(second.errors, undefined);
    // With two owners, taking the role from one is still the owners' call.
    assertRefused(await api.gql(UpdateMemberRolesDocument, { membershipId: editor.id, roleIds: [roles.get('admin')!] }, admin), 'owner');
    const demoted = await api.gql(UpdateMemberRolesDocument, { membershipId: editor.id, roleIds: [roles.get('admin')!] }, owner);
    assert.equal(demoted.errors, undefined);
    assert.deepEqual((await loadMembers()).get('editor')!.roles, ['admin']);
  });
});

describe('suspending and removing members stays within the caller’s grants', () => {
  test('a remover holding few grants cannot suspend or remove a member with more; can one within them', async () => {
    const remover = await api.gql(CreateRoleDocument, { input: { key: 'remover', name: 'Remover', permissions: ['member:read', 'member:remove'] } }, admin);
    const watcher = await api.gql(CreateRoleDocument, { input: { key: 'watcher', name: 'Watcher', permissions: ['member:read'] } }, admin);
    const current = await loadMembers();
    await api.gql(UpdateMemberRolesDocument, { membershipId: current.get('editor')!.id, roleIds: [remover.data!.createRole.id] }, admin);
    await api.gql(UpdateMemberRolesDocument, { membershipId: current.get('support')!.id, roleIds: [watcher.data!.createRole.id] }, admin);
    const token = await api.login('editor', 'acme');

    // The auditor holds approval:read and audit:read, which the remover does not (the first is named).
    assertRefused(await api.gql(SuspendMemberDocument, { membershipId: current.get('auditor')!.id }, token), 'approval:read');
    assertRefused(await api.gql(RemoveMemberDocument, { membershipId: current.get('auditor')!.id }, token), 'approval:read');
    assert.equal((await loadMembers()).has('auditor'), true);

    const removed = await api.gql(RemoveMemberDocument, { membershipId: current.get('support')!.id }, token);
    assert.equal(removed.errors, undefined, JSON.stringify(removed.errors));
    assert.equal((await loadMembers()).has('support'), false);
  });
});
