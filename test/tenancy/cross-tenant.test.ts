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
  CsrApproveExpenseDocument,
  CsrApproveMilestoneDocument,
  CsrBudgetDocument,
  CsrBudgetsDocument,
  CsrChangeDisbursementStatusDocument,
  CsrChangeProjectStatusDocument,
  CsrChangeSurveyStatusDocument,
  CsrCreateExpenseDocument,
  CsrCreateMilestoneDocument,
  CsrCreateSurveyDocument,
  CsrDisbursementsDocument,
  CsrExpenseDocument,
  CsrExpensesDocument,
  CsrKpiDocument,
  CsrKpisDocument,
  CsrLinkPartnerMemberDocument,
  CsrMilestoneDocument,
  CsrMilestonesDocument,
  CsrPartnersDocument,
  CsrProjectDocument,
  CsrProjectsDocument,
  CsrRecordKpiMeasurementDocument,
  CsrSetBudgetAllocationDocument,
  CsrSubmitSurveyResponseDocument,
  CsrSurveyDocument,
  CsrSurveysDocument,
  CsrUpdateMilestoneProgressDocument,
  CsrUpdatePartnerDocument,
  CsrUpdateProjectDocument,
  ActivityDocument,
  BulkDeleteCustomersDocument,
  ContactDocument,
  ContactsDocument,
  ConvertLeadDocument,
  CreateActivityDocument,
  CreateQuotationDocument,
  CreateSalesTargetDocument,
  CreateVendorDocument,
  CustomerDocument,
  CustomersDocument,
  DealDocument,
  DealsDocument,
  DeleteEmployeeDocument,
  DeleteSalesTargetDocument,
  DeleteVendorDocument,
  EmployeeDocument,
  EmployeesDocument,
  LeadDocument,
  LeadsDocument,
  MoveDealToStageDocument,
  PipelineDocument,
  PipelinesDocument,
  QuotationDocument,
  QuotationsDocument,
  SalesTargetDocument,
  SalesTargetsDocument,
  SendQuotationDocument,
  UpdateActivityDocument,
  UpdateContactDocument,
  UpdateCustomerDocument,
  UpdateDealDocument,
  UpdateEmployeeDocument,
  UpdateLeadDocument,
  UpdateQuotationDocument,
  UpdateSalesTargetDocument,
  UpdateVendorDocument,
  VendorDocument,
  CreateDealDocument,
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
  ConvAddParticipantsDocument,
  ConvConversationDocument,
  ConvConversationsDocument,
  ConvDeleteDocument,
  ConvEditDocument,
  ConvMarkReadDocument,
  ConvMessagesDocument,
  ConvPostDocument,
  ConvStartDocument,
} from '../__generated__/graphql';
import { uploadFile } from '../recon/support';
import { seeded } from '../csr/support';

let api: TestApi;
let acme: { admin: string; membershipId: string; roleId: string; customRoleId: string; invitationId: string; fileId: string; notificationId: string; jobId: string; auditIds: string[] };
let globex: { admin: string; membershipId: string; roleId: string };
let csrA: Awaited<ReturnType<typeof seeded>> & { disbursement: string; responseId: string; measurementId: string; partnerMember: string; expense: string };
let csrG: Awaited<ReturnType<typeof seeded>>;
/** Acme's CRM rows (seeded, or created by acme's admin below). */
let crm: Record<'employee' | 'vendor' | 'customer' | 'contact' | 'lead' | 'pipeline' | 'stage' | 'deal' | 'activity' | 'quotation' | 'target', string>;

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
  const acmeCsr = await seeded(api, 'acme');
  const first = async (sql: string) => (await api.sql<{ id: string }>(sql, [acmeCsr.orgId]))[0].id;
  csrA = {
    ...acmeCsr,
    disbursement: await first('select id from csr_disbursement where organization_id = $1'),
    responseId: await first('select id from csr_survey_response where organization_id = $1'),
    measurementId: await first('select id from csr_kpi_measurement where organization_id = $1'),
    partnerMember: await first('select id from csr_partner_member where organization_id = $1'),
    expense: await first(`select id from csr_expense where organization_id = $1 and status = 'submitted'`),
  };
  csrG = await seeded(api, 'globex');
  const acmeRow = async (table: string, extra = '') =>
    (await api.sql<{ id: string }>(`select t.id from ${table} t join tenancy_organization o on o.id = t.organization_id where o.slug = 'acme' ${extra} limit 1`))[0].id;
  const lead = await acmeRow('crm_lead');
  const customer = await acmeRow('crm_customer');
  const deal = await acmeRow('crm_deal', "and t.status = 'open'");
  const quotation = await api.gql(CreateQuotationDocument, { input: { title: 'Acme quote', items: [{ description: 'x', quantity: '1', unitPrice: '5' }] } }, acmeAdmin);
  crm = {
    employee: await acmeRow('crm_employee'),
    vendor: (await api.gql(CreateVendorDocument, { input: { name: 'Acme supplier' } }, acmeAdmin)).data!.createVendor.id,
    customer,
    contact: await acmeRow('crm_contact'),
    lead,
    pipeline: await acmeRow('crm_pipeline'),
    stage: await acmeRow('crm_pipeline_stage'),
    deal,
    activity: (await api.gql(CreateActivityDocument, { input: { type: 'NOTE', subject: 'Acme note', customerId: customer } }, acmeAdmin)).data!.createActivity.id,
    quotation: quotation.data!.createQuotation.id,
    target: (await api.gql(CreateSalesTargetDocument, { input: { name: 'Acme target', periodStart: '2030-01-01', periodEnd: '2030-12-31', amount: '10' } }, acmeAdmin)).data!.createSalesTarget.id,
  };
  await setupRecon();
  await setupConversations();
});

// A conversation of acme's about its schools project, with a message.
let conv: { id: string; messageId: string; adminUserId: string };
async function setupConversations() {
  const started = (await api.gql(ConvStartDocument, { input: { subject: 'Acme talk', projectId: csrA.schools, participantIds: [] } }, acme.admin)).data!.startConversation;
  const message = (await api.gql(ConvPostDocument, { input: { conversationId: started.id, body: 'Acme only' } }, acme.admin)).data!.postMessage;
  const [admin] = await api.sql<{ id: string }>(`select id from identity_user where email = 'admin@acme.test'`);
  conv = { id: started.id, messageId: message.id, adminUserId: admin.id };
}
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
  const [row, left] = await api.sql<{ id: string }>(
    `insert into recon_row (organization_id, file_id, row_number, amount, reference) values ($1, $2, 2, 10, 'R1'), ($1, $2, 3, 11, 'R2') returning id`,
    [orgId, file.id],
  );
  await api.sql(
    `insert into recon_leftover (job_id, row_id, organization_id, side, file_id, amount, reference) values ($1, $2, $3, 'source', $4, 11, 'R2')`,
    [job.id, left.id, orgId, file.id],
  );
  const [set] = await api.sql<{ id: string }>(
    `insert into recon_match_set (organization_id, job_id, type, match_count, confidences, amount_differences, source_row_ids, target_row_ids)
     values ($1, $2, 'one_to_one', 1, '{1}', '{0}', $3, '{}') returning id`,
    [orgId, job.id, `{${row.id}}`],
  );
  await api.sql(`update recon_job set first_match_set_id = $2, last_match_set_id = $2, completed_passes = '["x:pairs"]' where id = $1`, [job.id, set.id]);
  const [exception] = await api.sql<{ id: string }>(
    `insert into recon_exception (id, created_at, updated_at, organization_id, job_id, row_id, side, type, severity, status, amount, description, suggested_action, comments)
     select gen_random_uuid(), now(), now(), $1, $2, r.id, 'source', 'missing_entry', 'low', 'open', 11, 'Missing', 'Find it', '[]'
       from recon_row r where r.file_id = $3 and r.row_number = 3 returning id`,
    [orgId, job.id, file.id],
  );
  recon = { fileId: file.id, ruleId: rule.id, approvalId: rule.approvalId!, jobId: job.id, exceptionId: exception.id };
}

const cases: Record<string, () => Promise<void>> = {
  async Employee() {
    const listed = (await api.gql(EmployeesDocument, { first: 100 }, globex.admin)).data!.employees.edges.map((e) => e.node.id);
    assert.ok(!listed.includes(crm.employee));
    assert.equal(errorCode(await api.gql(EmployeeDocument, { id: crm.employee }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(UpdateEmployeeDocument, { id: crm.employee, input: { code: 'X' } }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(DeleteEmployeeDocument, { id: crm.employee }, globex.admin)), 'NOT_FOUND');
    // Nor can globex assign acme's employee to its own records.
    assert.equal(errorCode(await api.gql(CreateVendorDocument, { input: { name: 'x', assignedEmployeeId: crm.employee } }, globex.admin)), 'NOT_FOUND');
  },
  async Vendor() {
    assert.equal(errorCode(await api.gql(VendorDocument, { id: crm.vendor }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(UpdateVendorDocument, { id: crm.vendor, input: { name: 'Taken' } }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(DeleteVendorDocument, { id: crm.vendor }, globex.admin)), 'NOT_FOUND');
  },
  async Customer() {
    const listed = (await api.gql(CustomersDocument, { first: 100, includeDeleted: true }, globex.admin)).data!.customers.edges.map((e) => e.node.id);
    assert.ok(!listed.includes(crm.customer));
    assert.equal(errorCode(await api.gql(CustomerDocument, { id: crm.customer }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(UpdateCustomerDocument, { id: crm.customer, input: { name: 'Taken' } }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(BulkDeleteCustomersDocument, { ids: [crm.customer] }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(CreateDealDocument, { input: { title: 'x', value: '1', customerId: crm.customer } }, globex.admin)), 'NOT_FOUND');
  },
  async Contact() {
    const listed = (await api.gql(ContactsDocument, { first: 100 }, globex.admin)).data!.contacts.edges.map((e) => e.node.id);
    assert.ok(!listed.includes(crm.contact));
    assert.equal(errorCode(await api.gql(ContactDocument, { id: crm.contact }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(UpdateContactDocument, { id: crm.contact, input: { email: 'x@y.test' } }, globex.admin)), 'NOT_FOUND');
  },
  async Lead() {
    const listed = (await api.gql(LeadsDocument, { first: 100, includeDeleted: true }, globex.admin)).data!.leads.edges.map((e) => e.node.id);
    assert.ok(!listed.includes(crm.lead));
    assert.equal(errorCode(await api.gql(LeadDocument, { id: crm.lead }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(UpdateLeadDocument, { id: crm.lead, input: { score: 1 } }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(ConvertLeadDocument, { id: crm.lead }, globex.admin)), 'NOT_FOUND');
  },
  async Pipeline() {
    const listed = (await api.gql(PipelinesDocument, {}, globex.admin)).data!.pipelines.edges.map((e) => e.node.id);
    assert.ok(!listed.includes(crm.pipeline));
    assert.equal(errorCode(await api.gql(PipelineDocument, { id: crm.pipeline }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(CreateDealDocument, { input: { title: 'x', value: '1', pipelineId: crm.pipeline } }, globex.admin)), 'NOT_FOUND');
  },
  async PipelineStage() {
    const stages = (await api.gql(PipelinesDocument, {}, globex.admin)).data!.pipelines.edges.flatMap((e) => e.node.stages.map((s) => s.id));
    assert.ok(!stages.includes(crm.stage));
    const globexDeal = (await api.gql(DealsDocument, { first: 1, filter: { status: { eq: 'OPEN' } } }, globex.admin)).data!.deals.edges[0].node.id;
    assert.equal(errorCode(await api.gql(MoveDealToStageDocument, { id: globexDeal, stageId: crm.stage }, globex.admin)), 'NOT_FOUND');
  },
  async Deal() {
    const listed = (await api.gql(DealsDocument, { first: 100, includeDeleted: true }, globex.admin)).data!.deals.edges.map((e) => e.node.id);
    assert.ok(!listed.includes(crm.deal));
    assert.equal(errorCode(await api.gql(DealDocument, { id: crm.deal }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(UpdateDealDocument, { id: crm.deal, input: { title: 'Taken' } }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(MoveDealToStageDocument, { id: crm.deal, stageId: crm.stage }, globex.admin)), 'NOT_FOUND');
  },
  async Activity() {
    assert.equal(errorCode(await api.gql(ActivityDocument, { id: crm.activity }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(UpdateActivityDocument, { id: crm.activity, input: { subject: 'x' } }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(CreateActivityDocument, { input: { type: 'NOTE', subject: 'x', customerId: crm.customer } }, globex.admin)), 'NOT_FOUND');
  },
  async Quotation() {
    const listed = (await api.gql(QuotationsDocument, { first: 100 }, globex.admin)).data!.quotations.edges.map((e) => e.node.id);
    assert.ok(!listed.includes(crm.quotation));
    assert.equal(errorCode(await api.gql(QuotationDocument, { id: crm.quotation }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(SendQuotationDocument, { id: crm.quotation }, globex.admin)), 'NOT_FOUND');
  },
  async QuotationItem() {
    // Items are reached through their quotation only: replacing acme's items is refused.
    assert.equal(errorCode(await api.gql(UpdateQuotationDocument, { id: crm.quotation, input: { items: [] } }, globex.admin)), 'NOT_FOUND');
    const [{ count }] = await api.sql<{ count: string }>('select count(*) from crm_quotation_item where quotation_id = $1', [crm.quotation]);
    assert.equal(count, '1');
  },
  async SalesTarget() {
    const listed = (await api.gql(SalesTargetsDocument, { first: 100 }, globex.admin)).data!.salesTargets.edges.map((e) => e.node.id);
    assert.ok(!listed.includes(crm.target));
    assert.equal(errorCode(await api.gql(SalesTargetDocument, { id: crm.target }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(UpdateSalesTargetDocument, { id: crm.target, input: { amount: '1' } }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(DeleteSalesTargetDocument, { id: crm.target }, globex.admin)), 'NOT_FOUND');
  },
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
  async Partner() {
    const listed = (await api.gql(CsrPartnersDocument, { first: 100 }, globex.admin)).data!.partners.edges.map((e) => e.node.id);
    assert.ok(listed.length > 0 && !listed.includes(csrA.sunrise));
    assert.equal(errorCode(await api.gql(CsrUpdatePartnerDocument, { id: csrA.sunrise, input: { name: 'Taken over' } }, globex.admin)), 'NOT_FOUND');
  },
  async PartnerMember() {
    // Linking globex's user to acme's partner, or acme's user to globex's partner.
    const [gUser] = await api.sql<{ id: string }>(`select id from identity_user where email = 'recipient@globex.test'`);
    assert.equal(errorCode(await api.gql(CsrLinkPartnerMemberDocument, { partnerId: csrA.sunrise, userId: gUser.id }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(CsrLinkPartnerMemberDocument, { partnerId: csrG.sunrise, userId: csrA.recipientUser }, globex.admin)), 'NOT_FOUND');
    const [link] = await api.sql<{ partner_id: string }>('select partner_id from csr_partner_member where id = $1', [csrA.partnerMember]);
    assert.equal(link.partner_id, csrA.sunrise);
  },
  async Project() {
    const listed = (await api.gql(CsrProjectsDocument, { first: 100 }, globex.admin)).data!.projects.edges.map((e) => e.node.id);
    assert.ok(listed.length > 0 && !listed.includes(csrA.schools));
    assert.equal(errorCode(await api.gql(CsrProjectDocument, { id: csrA.schools }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(CsrUpdateProjectDocument, { id: csrA.schools, input: { title: 'Taken over' } }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(CsrChangeProjectStatusDocument, { id: csrA.camps, status: 'ACTIVE' }, globex.admin)), 'NOT_FOUND');
  },
  async Milestone() {
    const listed = (await api.gql(CsrMilestonesDocument, { first: 100 }, globex.admin)).data!.milestones.edges.map((e) => e.node.id);
    assert.ok(!listed.includes(csrA.classroom));
    assert.equal(errorCode(await api.gql(CsrMilestoneDocument, { id: csrA.classroom }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(CsrUpdateMilestoneProgressDocument, { id: csrA.classroom, completionPercentage: 100 }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(CsrApproveMilestoneDocument, { id: csrA.classroom }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(CsrCreateMilestoneDocument, { input: { projectId: csrA.schools, title: 'x' } }, globex.admin)), 'NOT_FOUND');
  },
  async Budget() {
    const listed = (await api.gql(CsrBudgetsDocument, { first: 100 }, globex.admin)).data!.budgets.edges.map((e) => e.node.id);
    assert.ok(!listed.includes(csrA.budget));
    assert.equal(errorCode(await api.gql(CsrBudgetDocument, { id: csrA.budget }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(CsrSetBudgetAllocationDocument, { input: { budgetId: csrA.budget, sector: 'OTHER', allocated: '1.00' } }, globex.admin)), 'NOT_FOUND');
  },
  async BudgetAllocation() {
    const budgets = (await api.gql(CsrBudgetsDocument, { first: 100 }, globex.admin)).data!.budgets.edges;
    for (const b of budgets) for (const a of b.node.allocations) assert.notEqual(a.id, csrA.education);
    assert.equal(errorCode(await api.gql(CsrCreateExpenseDocument, { input: { projectId: csrG.schools, allocationId: csrA.education, amount: '1.00', category: 'x', expenseDate: '2026-01-01' } }, globex.admin)), 'NOT_FOUND');
  },
  async Expense() {
    const listed = (await api.gql(CsrExpensesDocument, { first: 100 }, globex.admin)).data!.expenses.edges.map((e) => e.node.id);
    assert.ok(!listed.includes(csrA.expense));
    assert.equal(errorCode(await api.gql(CsrExpenseDocument, { id: csrA.expense }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(CsrApproveExpenseDocument, { id: csrA.expense }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(CsrCreateExpenseDocument, { input: { projectId: csrA.schools, allocationId: csrG.education, amount: '1.00', category: 'x', expenseDate: '2026-01-01' } }, globex.admin)), 'NOT_FOUND');
  },
  async Disbursement() {
    const listed = (await api.gql(CsrDisbursementsDocument, { first: 100 }, globex.admin)).data!.disbursements.edges.map((e) => e.node.id);
    assert.ok(listed.length > 0 && !listed.includes(csrA.disbursement));
    assert.equal(errorCode(await api.gql(CsrChangeDisbursementStatusDocument, { id: csrA.disbursement, status: 'CANCELLED' }, globex.admin)), 'NOT_FOUND');
  },
  async Survey() {
    const listed = (await api.gql(CsrSurveysDocument, { first: 100 }, globex.admin)).data!.surveys.edges.map((e) => e.node.id);
    assert.ok(!listed.includes(csrA.survey));
    assert.equal(errorCode(await api.gql(CsrSurveyDocument, { id: csrA.survey }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(CsrChangeSurveyStatusDocument, { id: csrA.survey, status: 'CLOSED' }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(CsrCreateSurveyDocument, { input: { projectId: csrA.schools, title: 'x', questions: [{ key: 'a', label: 'A', type: 'TEXT' }] } }, globex.admin)), 'NOT_FOUND');
  },
  async SurveyResponse() {
    assert.equal(errorCode(await api.gql(CsrSubmitSurveyResponseDocument, { input: { surveyId: csrA.survey, answers: { satisfaction: 1, enrolled: false } } }, globex.admin)), 'NOT_FOUND');
    const own = (await api.gql(CsrSurveyDocument, { id: csrG.survey }, globex.admin)).data!.survey.responses.edges.map((e) => e.node.id);
    assert.ok(own.length > 0 && !own.includes(csrA.responseId));
  },
  async Kpi() {
    const listed = (await api.gql(CsrKpisDocument, { first: 100 }, globex.admin)).data!.kpis.edges.map((e) => e.node.id);
    assert.ok(!listed.includes(csrA.kpi));
    assert.equal(errorCode(await api.gql(CsrKpiDocument, { id: csrA.kpi }, globex.admin)), 'NOT_FOUND');
  },
  async KpiMeasurement() {
    assert.equal(errorCode(await api.gql(CsrRecordKpiMeasurementDocument, { input: { kpiId: csrA.kpi, value: '999', measuredOn: '2030-01-01' } }, globex.admin)), 'NOT_FOUND');
    const own = (await api.gql(CsrKpiDocument, { id: csrG.kpi }, globex.admin)).data!.kpi.measurements.map((m) => m.id);
    assert.ok(own.length > 0 && !own.includes(csrA.measurementId));
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
    // Its rows and matches (recon_row, recon_match_set, recon_leftover) are reached only through the job.
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
  async Conversation() {
    const listed = (await api.gql(ConvConversationsDocument, { first: 100 }, globex.admin)).data!.conversations.edges.map((e) => e.node.id);
    assert.ok(!listed.includes(conv.id));
    assert.equal(errorCode(await api.gql(ConvConversationDocument, { id: conv.id }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(ConvMarkReadDocument, { conversationId: conv.id }, globex.admin)), 'NOT_FOUND');
    // Nor can globex open a conversation on acme's project.
    assert.equal(errorCode(await api.gql(ConvStartDocument, { input: { subject: 'x', projectId: csrA.schools, participantIds: [] } }, globex.admin)), 'NOT_FOUND');
  },
  async ConversationParticipant() {
    assert.equal(errorCode(await api.gql(ConvAddParticipantsDocument, { conversationId: conv.id, participantIds: [conv.adminUserId] }, globex.admin)), 'NOT_FOUND');
    // acme's admin is no member of globex: not a participant of globex's conversations either.
    const res = await api.gql(ConvStartDocument, { input: { subject: 'x', participantIds: [conv.adminUserId] } }, globex.admin);
    assert.equal(errorCode(res), 'BAD_USER_INPUT');
    const participants = (await api.gql(ConvConversationDocument, { id: conv.id }, acme.admin)).data!.conversation.participants;
    assert.deepEqual(participants.map((p) => p.userId), [conv.adminUserId]);
  },
  async Message() {
    assert.equal(errorCode(await api.gql(ConvMessagesDocument, { conversationId: conv.id }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(ConvPostDocument, { input: { conversationId: conv.id, body: 'hi' } }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(ConvEditDocument, { id: conv.messageId, body: 'taken' }, globex.admin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(ConvDeleteDocument, { id: conv.messageId }, globex.admin)), 'NOT_FOUND');
    const messages = (await api.gql(ConvMessagesDocument, { conversationId: conv.id }, acme.admin)).data!.messages.edges;
    assert.deepEqual(messages.map((e) => [e.node.body, e.node.deletedAt]), [['Acme only', null]]);
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
  const [schools] = await api.sql<{ title: string; actual_expenditure: string }>('select title, actual_expenditure::text from csr_project where id = $1', [csrA.schools]);
  assert.deepEqual(schools, { title: 'Rural Schools Program', actual_expenditure: '50000.00' });
  const [kpi] = await api.sql<{ current: string }>('select current::text from csr_kpi where id = $1', [csrA.kpi]);
  assert.equal(kpi.current, '200.0000');
  const [m] = await api.sql<{ completion_percentage: number }>('select completion_percentage from csr_milestone where id = $1', [csrA.classroom]);
  assert.equal(m.completion_percentage, 60);
});
