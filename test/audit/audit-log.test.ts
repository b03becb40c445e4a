import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { startTestApi, errorCode, type TestApi } from '../support/api';
import {
  AuditLogsDocument,
  CreateRoleDocument,
  CurrentOrganizationDocument,
  MeDocument,
  UpdateOrganizationSettingsDocument,
  UpdateRoleDocument,
  VerifyAuditChainDocument,
} from '../__generated__/graphql';

let api: TestApi;
let admin: string;
let auditor: string;
before(async () => {
  api = await startTestApi();
  admin = await api.login('admin', 'acme');
  auditor = await api.login('auditor', 'acme');
});
after(() => api.close());

async function asOwner<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function someMutations(api: TestApi, token: string) {
  assert.equal((await api.gql(UpdateOrganizationSettingsDocument, { input: { settings: { theme: 'dark' } } }, token)).errors, undefined);
  const role = await api.gql(CreateRoleDocument, { input: { key: 'audited', name: 'Audited', permissions: ['deal:read'] } }, token);
  assert.equal(role.errors, undefined);
  assert.equal((await api.gql(UpdateRoleDocument, { id: role.data!.createRole.id, input: { permissions: ['deal:read', 'deal:write'] } }, token)).errors, undefined);
  return role.data!.createRole.id;
}

describe('auditLogs', () => {
  test('mutations are recorded with actor and changes, newest first, filterable, paged', async () => {
    const roleId = await someMutations(api, admin);
    const adminId = (await api.gql(MeDocument, {}, admin)).data!.me.id;

    const all = await api.gql(AuditLogsDocument, { first: 100 }, auditor);
    assert.equal(all.errors, undefined);
    const nodes = all.data!.auditLogs.edges.map((e) => e.node);
    const seqs = nodes.map((n) => Number(n.seq));
    assert.deepEqual(seqs, [...seqs].sort((a, b) => b - a), 'newest first');
    assert.equal(nodes[0].action, 'role.update', 'the last mutation is the newest row');
    assert.ok(nodes.some((n) => n.action === 'auth.login'), 'sign-ins are recorded');

    const update = await api.gql(AuditLogsDocument, { filter: { action: { eq: 'role.update' } } }, auditor);
    const row = update.data!.auditLogs.edges[0].node;
    assert.equal(update.data!.auditLogs.totalCount, 1);
    assert.equal(row.resourceId, roleId);
    assert.equal(row.userId, adminId);
    assert.deepEqual(row.changes, { permissions: { from: ['deal:read'], to: ['deal:read', 'deal:write'] } });
    assert.ok(!Number.isNaN(Date.parse(row.createdAt)));

    const byType = await api.gql(AuditLogsDocument, { filter: { resourceType: { eq: 'Role' }, userId: { eq: adminId } } }, auditor);
    assert.deepEqual(byType.data!.auditLogs.edges.map((e) => e.node.action), ['role.update', 'role.create']);

    const since = new Date(Date.parse(row.createdAt) + 60_000).toISOString();
    const future = await api.gql(AuditLogsDocument, { filter: { createdAt: { gte: since } } }, auditor);
    assert.equal(future.data!.auditLogs.totalCount, 0);
    const range = await api.gql(AuditLogsDocument, { filter: { createdAt: { gte: new Date(Date.now() - 3600_000).toISOString(), lte: since } } }, auditor);
    assert.equal(range.data!.auditLogs.totalCount, all.data!.auditLogs.totalCount);

    const page1 = await api.gql(AuditLogsDocument, { first: 2 }, auditor);
    const page2 = await api.gql(AuditLogsDocument, { first: 2, after: page1.data!.auditLogs.pageInfo.endCursor }, auditor);
    assert.deepEqual(
      [...page1.data!.auditLogs.edges, ...page2.data!.auditLogs.edges].map((e) => e.node.id),
      nodes.slice(0, 4).map((n) => n.id),
    );
  });

  test('the page reads the columns selected: not the hash chain, the IP or the user agent', async () => {
    const { value: res, texts } = await api.statementsDuring(() => api.gql(AuditLogsDocument, { first: 5 }, auditor));
    assert.equal(res.errors, undefined);
    const page = texts.find((t) => t.includes('from "audit_log"') && t.includes('limit'))!;
    for (const column of ['"seq"', '"action"', '"changes"', '"created_at"']) assert.ok(page.includes(column), `${column} in ${page}`);
    for (const column of ['"hash"', '"prev_hash"', '"ip"', '"user_agent"']) assert.ok(!page.includes(column), `${column} not in ${page}`);
  });

  test('each organization sees only its own trail; refused without audit:read', async () => {
    const globexAuditor = await api.login('auditor', 'globex');
    const globex = await api.gql(AuditLogsDocument, { filter: { action: { startsWith: 'role.' } } }, globexAuditor);
    assert.equal(globex.data!.auditLogs.totalCount, 0);
    assert.equal(errorCode(await api.gql(AuditLogsDocument, {}, await api.login('member', 'acme'))), 'FORBIDDEN');
    assert.equal(errorCode(await api.gql(VerifyAuditChainDocument, {}, await api.login('sales', 'acme'))), 'FORBIDDEN');
    assert.equal(errorCode(await api.gql(AuditLogsDocument, {})), 'UNAUTHENTICATED');
  });
});

describe('verifyAuditChain', () => {
  test('the chain is valid after mutations; an edited row breaks it at that row', async () => {
    const ok = await api.gql(VerifyAuditChainDocument, {}, auditor);
    assert.equal(ok.errors, undefined);
    assert.equal(ok.data!.verifyAuditChain.valid, true);
    assert.ok(ok.data!.verifyAuditChain.checkedCount >= 4);
    assert.equal(ok.data!.verifyAuditChain.brokenAtSeq, null);

    const orgId = (await api.gql(CurrentOrganizationDocument, {}, admin)).data!.organization.id;
    await asOwner(api.ownerUrl, (c) => c.query("update audit_log set action = 'nothing.happened' where organization_id = $1 and seq = 2", [orgId]));
    const broken = await api.gql(VerifyAuditChainDocument, {}, auditor);
    assert.equal(broken.data!.verifyAuditChain.valid, false);
    assert.equal(broken.data!.verifyAuditChain.brokenAtSeq, '2');
    assert.equal(broken.data!.verifyAuditChain.reason, 'row content was altered');
  });

  test('a deleted row is reported as missing (in another copy of the database)', async () => {
    const other = await startTestApi();
    try {
      const otherAdmin = await other.login('admin', 'acme');
      await someMutations(other, otherAdmin);
      assert.equal((await other.gql(VerifyAuditChainDocument, {}, otherAdmin)).data!.verifyAuditChain.valid, true);
      const orgId = (await other.gql(CurrentOrganizationDocument, {}, otherAdmin)).data!.organization.id;
      const deleted = await asOwner(other.ownerUrl, (c) => c.query('delete from audit_log where organization_id = $1 and seq = 3', [orgId]));
      assert.equal(deleted.rowCount, 1);
      const report = (await other.gql(VerifyAuditChainDocument, {}, otherAdmin)).data!.verifyAuditChain;
      assert.equal(report.valid, false);
      assert.equal(report.brokenAtSeq, '3');
      assert.equal(report.reason, 'missing row');
    } finally {
      await other.close();
    }
  });

  test('the application’s database role cannot update or delete audit rows', async () => {
    await asOwner(api.appUrl, async (c) => {
      await assert.rejects(c.query("update audit_log set action = 'x'"), (e: { code?: string }) => e.code === '42501');
      await assert.rejects(c.query('delete from audit_log'), (e: { code?: string }) => e.code === '42501');
      await assert.rejects(c.query('truncate audit_log'), (e: { code?: string }) => e.code === '42501');
    });
  });
});
