/**
 * The API half of tenant isolation, entity by entity: an admin of globex (holding every
 * permission there) can neither read nor write acme's rows. The first test fails when a tenant
 * entity is added without a case here.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, errorCode, DEMO_PASSWORD, type TestApi } from '../support/api';
import { allEntities } from '../../src/entities';
import { TenantEntity } from '../../src/core/orm/base-entities';
import {
  AuditLogsDocument,
  BackgroundJobDocument,
  BackgroundJobsDocument,
  ChangePasswordDocument,
  MarkNotificationReadDocument,
  NotificationsDocument,
  CreateUploadDocument,
  DeleteFileDocument,
  FileDocument,
  FilesDocument,
  CreateRoleDocument,
  DeleteRoleDocument,
  InvitationsDocument,
  InviteMemberDocument,
  MembersDocument,
  RemoveMemberDocument,
  ResendInvitationDocument,
  RevokeInvitationDocument,
  RolesDocument,
  SuspendMemberDocument,
  UpdateMemberRolesDocument,
  UpdateRoleDocument,
  ApprovalDocument,
  ApprovalsDocument,
  ApproveRequestDocument,
  AssignExceptionDocument,
  BulkAssignExceptionsDocument,
  CancelReconciliationDocument,
  CommentOnApprovalDocument,
  CreateMatchingRuleDocument,
  CreateReconciliationFileDocument,
  DeclineRequestDocument,
  DeleteReconciliationFileDocument,
  GenerateReconciliationReportDocument,
  MatchingRuleDocument,
  MatchingRulesDocument,
  ReconciliationExceptionDocument,
  ReconciliationExceptionsDocument,
  ReconciliationFileDocument,
  ReconciliationFilesDocument,
  ReconciliationJobDocument,
  ReconciliationMatchesDocument,
  ReconciliationRuleStatisticsDocument,
  ResolveExceptionDocument,
  SaveMappingDocument,
  StartReconciliationDocument,
  SuggestMappingDocument,
  UnmatchedRowsDocument,
  UpdateMatchingRuleDocument,
} from '../__generated__/graphql';
import { uploadFile } from '../recon/support';

let api: TestApi;
let acme: { admin: string; membershipId: string; roleId: string; customRoleId: string; invitationId: string; fileId: string; notificationId: string; jobId: string; auditIds: string[] };
let globex: { admin: string; membershipId: string; roleId: string };

before(async () => {
  api = await startTestApi();
  const acmeAdmin = await api.login('admin', 'acme');
  const custom = await api.gql(CreateRoleDocument, { input: { key: 'acme_only', name: 'Acme only', permissions: ['member:read'] } }, acmeAdmin);
  const memberRole = (await api.gql(RolesDocument, {}, acmeAdmin)).data!.roles.find((r) => r.key === 'member')!;
  const upload = await api.gql(CreateUploadDocument, { input: { name: 'plan.csv', mimeType: 'text/csv', size: 12 } }, acmeAdmin);
  const invitation = await api.gql(InviteMemberDocument, { input: { email: 'newcomer@example.test', roleIds: [memberRole.id] } }, acmeAdmin);
  const ids = async (org: string) =>
    (
      await api.sql<{ membership_id: string; role_id: string }>(
        `select m.id as membership_id, r.id as role_id from tenancy_membership m
           join tenancy_organization o on o.id = m.organization_id
           join identity_user u on u.id = m.user_id
           join access_role r on r.organization_id = o.id and r.key = 'member'
          where o.slug = $1 and u.email = $2`,
        [org, `member@${org}.test`],
      )
    )[0];
  const a = await ids('acme');
  const g = await ids('globex');
  // A password change notifies its user: an acme notification to aim at.
  const acmeMember = await api.login('member', 'acme');
  await api.gql(ChangePasswordDocument, { input: { currentPassword: DEMO_PASSWORD, newPassword: 'N3w!Password-2026' } }, acmeMember);
  const [notification] = await api.sql<{ id: string }>(
    `select n.id from notifications_notification n join tenancy_organization o on o.id = n.organization_id where o.slug = 'acme'`,
  );
  // A finished job of acme's (as the job runner records it).
  const [job] = await api.sql<{ id: string }>(
    `insert into background_job (id, created_at, updated_at, organization_id, type, job_key, status, progress, attempts, max_attempts, payload_summary, queued_at, finished_at)
     select gen_random_uuid(), now(), now(), o.id, 'export-report', 'cross-tenant-fixture', 'completed', 100, 1, 1, '{}', now(), now()
       from tenancy_organization o where o.slug = 'acme' returning id`,
  );
  const audit = await api.sql<{ id: string }>(`select a.id from audit_log a join tenancy_organization o on o.id = a.organization_id where o.slug = 'acme'`);
  acme = {
    admin: acmeAdmin,
    membershipId: a.membership_id,
    roleId: a.role_id,
    customRoleId: custom.data!.createRole.id,
    invitationId: invitation.data!.inviteMember.id,
    fileId: upload.data!.createUpload.file.id,
    notificationId: notification.id,
    jobId: job.id,
    auditIds: audit.map((r) => r.id),
  };
  globex = { admin: await api.login('admin', 'globex'), membershipId: g.membership_id, roleId: g.role_id };
  await setupRecon();
});
after(() => api.close());

// Reconciliation fixtures of acme: a registered file with a mapping, a rule and its approval, a run with a match and an exception.
let recon: { fileId: string; ruleId: string; approvalId: string; jobId: string; exceptionId: string };
async function setupRecon() {
  const { fileId: uploaded } = await uploadFile(api, acme.admin, 'bank.csv', Buffer.from('Date,Ref,Amount\n2026-01-01,R1,10.00\n'));
  const file = (await api.gql(CreateReconciliationFileDocument, { input: { fileId: uploaded, type: 'BANK' } }, acme.admin)).data!.createReconciliationFile;
  await api.gql(SaveMappingDocument, { input: { reconciliationFileId: file.id, columns: [{ sourceColumn: 'Ref', targetField: 'REFERENCE' }, { sourceColumn: 'Amount', targetField: 'AMOUNT' }] } }, acme.admin);
  const rule = (await api.gql(CreateMatchingRuleDocument, { input: { name: 'Acme exact', type: 'EXACT', fields: ['REFERENCE'] } }, acme.admin)).data!.createMatchingRule;
  const [{ id: orgId }] = await api.sql<{ id: string }>(`select id from tenancy_organization where slug = 'acme'`);
  const [job] = await api.sql<{ id: string }>(
    `insert into recon_job (id, created_at, updated_at, organization_id, name, source_file_ids, target_file_ids, rules, status, timings, completed_passes)
     values (gen_random_uuid(), now(), now(), $1, 'Acme run', $2, '[]', '[]', 'completed', '{}', '[]') returning id`,
    [orgId, JSON.stringify([file.id])],
  );
  const [row] = await api.sql<{ id: string }>(
    `insert into recon_row (organization_id, file_id, row_number, amount, reference) values ($1, $2, 2, 10, 'R1'), ($1, $2, 3, 11, 'R2') returning id`,
    [orgId, file.id],
  );
  const [match] = await api.sql<{ id: string }>(`insert into recon_match (organization_id, job_id, pass, type, confidence) values ($1, $2, 'x:pairs', 'one_to_one', 1) returning id`, [orgId, job.id]);
  await api.sql(`insert into recon_match_member (job_id, row_id, organization_id, match_id, side) values ($1, $2, $3, $4, 'source')`, [job.id, row.id, orgId, match.id]);
  const [exception] = await api.sql<{ id: string }>(
    `insert into recon_exception (id, created_at, updated_at, organization_id, job_id, row_id, side, type, severity, status, amount, description, suggested_action, comments)
     select gen_random_uuid(), now(), now(), $1, $2, r.id, 'source', 'missing_entry', 'low', 'open', 11, 'Missing', 'Find it', '[]'
       from recon_row r where r.file_id = $3 and r.row_number = 3 returning id`,
    [orgId, job.id, file.id],
  );
  recon = { fileId: file.id, ruleId: rule.id, approvalId: rule.approvalId!, jobId: job.id, exceptionId: exception.id };
}

const cases: Record<string, () => Promise<void>> = {
  async Role() {
    const roles = (await api.gql(RolesDocument, {}, globex.admin)).data!.roles.map((r) => r.id);
    assert.ok(!roles.includes(acme.roleId) && !roles.includes(acme.customRoleId));
    assert.equal(errorCode(await api.gql(UpdateRoleDocument, { id: acme.customRoleId, input: { name: 'Taken over' } }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(DeleteRoleDocument, { id: acme.customRoleId }, globex.admin)), 'NOT_FOUND');
  },
  async Membership() {
    const members = (await api.gql(MembersDocument, { first: 100 }, globex.admin)).data!.members.edges.map((e) => e.node.id);
    assert.ok(!members.includes(acme.membershipId));
    assert.equal(errorCode(await api.gql(UpdateMemberRolesDocument, { membershipId: acme.membershipId, roleIds: [globex.roleId] }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(SuspendMemberDocument, { membershipId: acme.membershipId }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(RemoveMemberDocument, { membershipId: acme.membershipId }, globex.admin)), 'NOT_FOUND');
  },
  async RoleAssignment() {
    // Assigning acme's role to a globex member, or globex's role to an acme member.
    assert.equal(errorCode(await api.gql(UpdateMemberRolesDocument, { membershipId: globex.membershipId, roleIds: [acme.roleId] }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(UpdateMemberRolesDocument, { membershipId: acme.membershipId, roleIds: [globex.roleId] }, globex.admin)), 'NOT_FOUND');
    const members = (await api.gql(MembersDocument, { first: 100 }, globex.admin)).data!.members.edges;
    for (const m of members) for (const r of m.node.roles) assert.notEqual(r.id, acme.roleId);
  },
  async Invitation() {
    const invitations = (await api.gql(InvitationsDocument, { first: 100 }, globex.admin)).data!.invitations.edges.map((e) => e.node.id);
    assert.ok(!invitations.includes(acme.invitationId));
    assert.equal(errorCode(await api.gql(RevokeInvitationDocument, { id: acme.invitationId }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(ResendInvitationDocument, { id: acme.invitationId }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(InviteMemberDocument, { input: { email: 'x@example.test', roleIds: [acme.roleId] } }, globex.admin)), 'NOT_FOUND');
  },
  async File() {
    const listed = (await api.gql(FilesDocument, { first: 100 }, globex.admin)).data!.files.edges.map((e) => e.node.id);
    assert.ok(!listed.includes(acme.fileId));
    assert.equal(errorCode(await api.gql(FileDocument, { id: acme.fileId }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(DeleteFileDocument, { id: acme.fileId }, globex.admin)), 'NOT_FOUND');
  },
  async Notification() {
    const own = (await api.gql(NotificationsDocument, { first: 100 }, globex.admin)).data!.notifications.edges.map((e) => e.node.id);
    assert.ok(!own.includes(acme.notificationId));
    assert.equal(errorCode(await api.gql(MarkNotificationReadDocument, { id: acme.notificationId }, globex.admin)), 'NOT_FOUND');
  },
  async BackgroundJob() {
    const listed = (await api.gql(BackgroundJobsDocument, { first: 100 }, globex.admin)).data!.backgroundJobs.edges.map((e) => e.node.id);
    assert.ok(!listed.includes(acme.jobId));
    assert.equal(errorCode(await api.gql(BackgroundJobDocument, { id: acme.jobId }, globex.admin)), 'NOT_FOUND');
    assert.equal((await api.gql(BackgroundJobDocument, { id: acme.jobId }, acme.admin)).data!.backgroundJob.id, acme.jobId);
  },
  async AuditLog() {
    const logs = (await api.gql(AuditLogsDocument, { first: 100 }, globex.admin)).data!.auditLogs.edges.map((e) => e.node.id);
    assert.ok(logs.length > 0);
    for (const id of acme.auditIds) assert.ok(!logs.includes(id));
  },
  async ReconciliationFile() {
    const listed = (await api.gql(ReconciliationFilesDocument, { first: 100 }, globex.admin)).data!.reconciliationFiles.edges.map((e) => e.node.id);
    assert.ok(!listed.includes(recon.fileId));
    assert.equal(errorCode(await api.gql(ReconciliationFileDocument, { id: recon.fileId }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(SuggestMappingDocument, { fileId: recon.fileId }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(DeleteReconciliationFileDocument, { id: recon.fileId }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(StartReconciliationDocument, { input: { sourceFileIds: [recon.fileId], targetFileIds: [acme.fileId] } }, globex.admin)), 'NOT_FOUND');
    // Nor register acme's uploaded File as its own.
    const [uploaded] = await api.sql<{ file_id: string }>('select file_id from recon_file where id = $1', [recon.fileId]);
    assert.equal(errorCode(await api.gql(CreateReconciliationFileDocument, { input: { fileId: uploaded.file_id, type: 'BANK' } }, globex.admin)), 'NOT_FOUND');
  },
  async DataMapping() {
    const input = { reconciliationFileId: recon.fileId, columns: [{ sourceColumn: 'Amount', targetField: 'AMOUNT' as const }, { sourceColumn: 'Ref', targetField: 'REFERENCE' as const }] };
    assert.equal(errorCode(await api.gql(SaveMappingDocument, { input }, globex.admin)), 'NOT_FOUND');
    const mapping = (await api.gql(ReconciliationFileDocument, { id: recon.fileId }, acme.admin)).data!.reconciliationFile.mapping;
    assert.deepEqual(mapping!.columns.map((c) => c.sourceColumn), ['Ref', 'Amount']);
  },
  async MatchingRule() {
    const listed = (await api.gql(MatchingRulesDocument, { first: 100 }, globex.admin)).data!.matchingRules.edges.map((e) => e.node.id);
    assert.ok(!listed.includes(recon.ruleId));
    assert.equal(errorCode(await api.gql(MatchingRuleDocument, { id: recon.ruleId }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(UpdateMatchingRuleDocument, { id: recon.ruleId, input: { priority: 1 } }, globex.admin)), 'NOT_FOUND');
  },
  async Approval() {
    const listed = (await api.gql(ApprovalsDocument, { first: 100 }, globex.admin)).data!.approvals.edges.map((e) => e.node.id);
    assert.ok(!listed.includes(recon.approvalId));
    assert.equal(errorCode(await api.gql(ApprovalDocument, { id: recon.approvalId }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(ApproveRequestDocument, { id: recon.approvalId }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(DeclineRequestDocument, { id: recon.approvalId }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(CommentOnApprovalDocument, { id: recon.approvalId, comment: 'hi' }, globex.admin)), 'NOT_FOUND');
    assert.equal((await api.gql(ApprovalDocument, { id: recon.approvalId }, acme.admin)).data!.approval.status, 'PENDING');
  },
  async ReconciliationJob() {
    // Its rows, matches and members (recon_row, recon_match, recon_match_member) are reached only through the job.
    assert.equal(errorCode(await api.gql(ReconciliationJobDocument, { id: recon.jobId }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(CancelReconciliationDocument, { id: recon.jobId }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(ReconciliationMatchesDocument, { jobId: recon.jobId }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(UnmatchedRowsDocument, { jobId: recon.jobId, side: 'SOURCE' }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(ReconciliationRuleStatisticsDocument, { jobId: recon.jobId }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(GenerateReconciliationReportDocument, { jobId: recon.jobId, format: 'CSV' }, globex.admin)), 'NOT_FOUND');
    const matches = (await api.gql(ReconciliationMatchesDocument, { jobId: recon.jobId }, acme.admin)).data!.reconciliationMatches;
    assert.equal(matches.totalCount, 1);
    assert.equal(matches.edges[0].node.rows[0].reference, 'R1');
    assert.deepEqual((await api.gql(UnmatchedRowsDocument, { jobId: recon.jobId, side: 'SOURCE' }, acme.admin)).data!.unmatchedRows.edges.map((e) => e.node.reference), ['R2']);
  },
  async ReconciliationException() {
    const listed = (await api.gql(ReconciliationExceptionsDocument, { first: 100 }, globex.admin)).data!.reconciliationExceptions.edges.map((e) => e.node.id);
    assert.ok(!listed.includes(recon.exceptionId));
    assert.equal(errorCode(await api.gql(ReconciliationExceptionDocument, { id: recon.exceptionId }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(AssignExceptionDocument, { id: recon.exceptionId, userId: null }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(ResolveExceptionDocument, { id: recon.exceptionId, reason: 'mine now' }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(BulkAssignExceptionsDocument, { ids: [recon.exceptionId], userId: null }, globex.admin)), 'NOT_FOUND');
    assert.equal((await api.gql(ReconciliationExceptionDocument, { id: recon.exceptionId }, acme.admin)).data!.reconciliationException.status, 'OPEN');
  },
};

test('every tenant entity has a cross-tenant case', () => {
  const tenantEntities = allEntities.filter((e) => e.prototype instanceof TenantEntity || e.name === 'AuditLog').map((e) => e.name).sort();
  assert.deepEqual(Object.keys(cases).sort(), tenantEntities);
});

for (const [entity, run] of Object.entries(cases)) {
  test(`globex cannot read or write acme's ${entity} rows`, run);
}

test('acme’s rows are untouched after globex’s attempts', async () => {
  const roles = (await api.gql(RolesDocument, {}, acme.admin)).data!.roles;
  assert.equal(roles.find((r) => r.id === acme.customRoleId)?.name, 'Acme only');
  const invitations = (await api.gql(InvitationsDocument, { first: 100 }, acme.admin)).data!.invitations.edges;
  assert.equal(invitations.find((e) => e.node.id === acme.invitationId)?.node.revokedAt, null);
  const members = (await api.gql(MembersDocument, { first: 100 }, acme.admin)).data!.members.edges;
  assert.equal(members.find((e) => e.node.id === acme.membershipId)?.node.status, 'ACTIVE');
  assert.equal((await api.gql(FileDocument, { id: acme.fileId }, acme.admin)).data!.file.id, acme.fileId);
});
