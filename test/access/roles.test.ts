import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, errorCode, type TestApi } from '../support/api';
import {
  AuditLogsDocument,
  CreateRoleDocument,
  DeleteRoleDocument,
  MembersDocument,
  PermissionCatalogDocument,
  RolesDocument,
  UpdateMemberRolesDocument,
  UpdateRoleDocument,
} from '../__generated__/graphql';

let api: TestApi;
let admin: string;
before(async () => {
  api = await startTestApi();
  admin = await api.login('admin', 'acme');
});
after(() => api.close());

async function roleId(token: string, key: string): Promise<string> {
  const res = await api.gql(RolesDocument, {}, token);
  return res.data!.roles.find((r) => r.key === key)!.id;
}

describe('roles and the permission catalog', () => {
  test('members with role:read see their organization’s roles and the catalog', async () => {
    const member = await api.login('member', 'acme');
    const roles = await api.gql(RolesDocument, {}, member);
    assert.equal(roles.errors, undefined);
    assert.equal(roles.data!.roles.length, 13);
    assert.ok(roles.data!.roles.every((r) => r.isSystem));
    const catalog = await api.gql(PermissionCatalogDocument, {}, member);
    const audit = catalog.data!.permissionCatalog.find((p) => p.key === 'audit:read')!;
    assert.equal(audit.ownable, false);
    assert.equal(catalog.data!.permissionCatalog.find((p) => p.key === 'lead:read')!.ownable, true);
  });

  test('refused without role:read', async () => {
    const recipient = await api.login('recipient', 'acme');
    assert.equal(errorCode(await api.gql(RolesDocument, {}, recipient)), 'FORBIDDEN');
    assert.equal(errorCode(await api.gql(PermissionCatalogDocument, {}, recipient)), 'FORBIDDEN');
  });
});

describe('custom roles', () => {
  test('create, update, delete; visible only in their organization', async () => {
    const created = await api.gql(CreateRoleDocument, { input: { key: 'reviewer', name: 'Reviewer', permissions: ['lead:read:own', 'deal:read', 'lead:read:own'] } }, admin);
    assert.equal(created.errors, undefined);
    const role = created.data!.createRole;
    assert.equal(role.isSystem, false);
    assert.deepEqual(role.permissions, ['deal:read', 'lead:read:own']);

    const globexAdmin = await api.login('admin', 'globex');
    assert.equal((await api.gql(RolesDocument, {}, globexAdmin)).data!.roles.some((r) => r.key === 'reviewer'), false);
    assert.equal(errorCode(await api.gql(UpdateRoleDocument, { id: role.id, input: { name: 'Mine' } }, globexAdmin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(DeleteRoleDocument, { id: role.id }, globexAdmin)), 'NOT_FOUND');
    // The same key is free in another organization.
    assert.equal((await api.gql(CreateRoleDocument, { input: { key: 'reviewer', name: 'Reviewer', permissions: [] } }, globexAdmin)).errors, undefined);

    const updated = await api.gql(UpdateRoleDocument, { id: role.id, input: { name: 'Deal reviewer', permissions: ['deal:read', 'deal:write'] } }, admin);
    assert.equal(updated.errors, undefined);
    assert.equal(updated.data!.updateRole.name, 'Deal reviewer');
    assert.deepEqual(updated.data!.updateRole.permissions, ['deal:read', 'deal:write']);

    assert.equal((await api.gql(DeleteRoleDocument, { id: role.id }, admin)).data!.deleteRole, true);
    assert.equal((await api.gql(RolesDocument, {}, admin)).data!.roles.some((r) => r.key === 'reviewer'), false);
  });

  test('refuses unknown grants, bad keys, duplicate keys, system roles and callers without role:write', async () => {
    for (const grant of ['lead:fly', 'audit:read:own', 'nope', 'deal:read:all:x']) {
      const res = await api.gql(CreateRoleDocument, { input: { key: 'bad_grant', name: 'Bad', permissions: [grant] } }, admin);
      assert.equal(errorCode(res), 'BAD_USER_INPUT', grant);
      assert.equal(res.errors![0].extensions!.field, 'permissions');
    }
    const badKey = await api.gql(CreateRoleDocument, { input: { key: 'Bad Key', name: 'Bad', permissions: [] } }, admin);
    assert.equal(errorCode(badKey), 'BAD_USER_INPUT');
    assert.equal(badKey.errors![0].extensions!.field, 'key');

    const dup = await api.gql(CreateRoleDocument, { input: { key: 'sales', name: 'Sales 2', permissions: [] } }, admin);
    assert.equal(errorCode(dup), 'CONFLICT');

    const salesId = await roleId(admin, 'sales');
    assert.equal(errorCode(await api.gql(UpdateRoleDocument, { id: salesId, input: { permissions: ['audit:read'] } }, admin)), 'FORBIDDEN');
    assert.equal(errorCode(await api.gql(DeleteRoleDocument, { id: salesId }, admin)), 'FORBIDDEN');

    const member = await api.login('member', 'acme');
    assert.equal(errorCode(await api.gql(CreateRoleDocument, { input: { key: 'sneaky', name: 'Sneaky', permissions: ['audit:read'] } }, member)), 'FORBIDDEN');
  });

  test('a custom role’s grant takes effect for its member; a held role cannot be deleted', async () => {
    const member = await api.login('member', 'acme');
    assert.equal(errorCode(await api.gql(AuditLogsDocument, {}, member)), 'FORBIDDEN');

    const created = await api.gql(CreateRoleDocument, { input: { key: 'audit_reader', name: 'Audit reader', permissions: ['audit:read'] } }, admin);
    const customId = created.data!.createRole.id;
    const list = await api.gql(MembersDocument, { first: 100 }, admin);
    const membership = list.data!.members.edges.find((e) => e.node.user.email === 'member@acme.test')!.node;
    const assigned = await api.gql(UpdateMemberRolesDocument, { membershipId: membership.id, roleIds: [await roleId(admin, 'member'), customId] }, admin);
    assert.equal(assigned.errors, undefined);

    const logs = await api.gql(AuditLogsDocument, { filter: { action: { eq: 'role.create' } } }, member);
    assert.equal(logs.errors, undefined);
    assert.ok(logs.data!.auditLogs.totalCount >= 1);

    assert.equal(errorCode(await api.gql(DeleteRoleDocument, { id: customId }, admin)), 'CONFLICT');
    // Taking the grant away takes effect at once too.
    await api.gql(UpdateRoleDocument, { id: customId, input: { permissions: [] } }, admin);
    assert.equal(errorCode(await api.gql(AuditLogsDocument, {}, member)), 'FORBIDDEN');
  });
});
