/**
 * The reconciliation workflow through GraphQL: rules under maker-checker, a run in the
 * background with live progress, the matches and exceptions it produces (computed by hand from
 * the files in ./support.ts), working the exceptions, approvals of large resolutions, reports.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, errorCode, type TestApi } from '../support/api';
import { connectWs, record } from '../support/ws';
import {
  ApprovalDocument,
  ApprovalsDocument,
  ApproveRequestDocument,
  AssignExceptionDocument,
  BackgroundJobDocument,
  BulkAssignExceptionsDocument,
  BulkResolveExceptionsDocument,
  CommentOnApprovalDocument,
  CommentOnExceptionDocument,
  CreateMatchingRuleDocument,
  DeclineRequestDocument,
  EscalateExceptionDocument,
  ExceptionAgingDocument,
  FileDocument,
  GenerateReconciliationReportDocument,
  IgnoreExceptionDocument,
  MatchingRuleDocument,
  MatchingRulesDocument,
  ReconciliationExceptionsDocument,
  ReconciliationJobDocument,
  ReconciliationMatchesDocument,
  type ReconciliationMatchesQuery,
  ReconciliationProgressDocument,
  ReconciliationRuleStatisticsDocument,
  ResolveExceptionDocument,
  StartReconciliationDocument,
  UnmatchedRowsDocument,
  UpdateMatchingRuleDocument,
} from '../__generated__/graphql';
import { BANK_COLUMNS, bankCsv, mapAndNormalize, registerFile, SETTLEMENT_COLUMNS, settlementCsv } from './support';

let api: TestApi;
let analyst: string;
let supervisor: string;
let admin: string;
let auditor: string;
let bankId: string;
let settlementId: string;
let exactRuleId: string;
let rangeRuleId: string;
let jobId: string;

const userId = async (email: string) => (await api.sql<{ id: string }>('select id from identity_user where email = $1', [email]))[0].id;

before(async () => {
  api = await startTestApi({ workers: true });
  [analyst, supervisor, admin, auditor] = await Promise.all(['analyst', 'supervisor', 'admin', 'auditor'].map((r) => api.login(r, 'acme')));
  bankId = (await registerFile(api, analyst, 'bank.csv', bankCsv(), 'BANK')).data!.createReconciliationFile.id;
  settlementId = (await registerFile(api, analyst, 'settlement.csv', settlementCsv(), 'SETTLEMENT')).data!.createReconciliationFile.id;
  assert.equal((await mapAndNormalize(api, analyst, bankId, BANK_COLUMNS)).status, 'NORMALIZED');
  assert.equal((await mapAndNormalize(api, analyst, settlementId, SETTLEMENT_COLUMNS, { dateFormat: 'DD/MM/YYYY' })).status, 'NORMALIZED');
});
after(() => api.close());

describe('matching rules under maker-checker', () => {
  test('a new rule waits for approval; the requester cannot approve it; another approver can', async () => {
    const created = await api.gql(CreateMatchingRuleDocument, { input: { name: 'Exact', type: 'EXACT', fields: ['REFERENCE', 'AMOUNT', 'DATE'], priority: 1 } }, analyst);
    assert.equal(created.errors, undefined, JSON.stringify(created.errors));
    const rule = created.data!.createMatchingRule;
    exactRuleId = rule.id;
    assert.equal(rule.status, 'PENDING_APPROVAL');
    assert.ok(rule.approvalId);
    const approval = (await api.gql(ApprovalDocument, { id: rule.approvalId! }, supervisor)).data!.approval;
    assert.equal(approval.type, 'RULE_CONFIGURATION');
    assert.equal(approval.status, 'PENDING');
    assert.equal(approval.resourceId, rule.id);

    // No runs with unapproved rules.
    const early = await api.gql(StartReconciliationDocument, { input: { sourceFileIds: [bankId], targetFileIds: [settlementId] } }, analyst);
    assert.equal(errorCode(early), 'CONFLICT');

    // The analyst has no approval:approve at all.
    assert.equal(errorCode(await api.gql(ApproveRequestDocument, { id: rule.approvalId! }, analyst)), 'FORBIDDEN');
    // The auditor cannot create rules nor decide, but reads the pending approval.
    assert.equal(errorCode(await api.gql(CreateMatchingRuleDocument, { input: { name: 'Nope', type: 'EXACT', fields: ['REFERENCE'] } }, auditor)), 'FORBIDDEN');
    assert.equal(errorCode(await api.gql(ApproveRequestDocument, { id: rule.approvalId! }, auditor)), 'FORBIDDEN');
    const seen = (await api.gql(ApprovalsDocument, { filter: { status: { eq: 'PENDING' } } }, auditor)).data!.approvals;
    assert.ok(seen.edges.some((e) => e.node.id === rule.approvalId));

    const approved = await api.gql(ApproveRequestDocument, { id: rule.approvalId!, comment: 'Looks right' }, supervisor);
    assert.equal(approved.errors, undefined, JSON.stringify(approved.errors));
    assert.equal(approved.data!.approveRequest.status, 'APPROVED');
    assert.equal(approved.data!.approveRequest.comments[0].body, 'Looks right');
    const after = (await api.gql(MatchingRuleDocument, { id: rule.id }, analyst)).data!.matchingRule;
    assert.equal(after.status, 'APPROVED');
    assert.equal(after.version, 1);
    // Decided once.
    assert.equal(errorCode(await api.gql(DeclineRequestDocument, { id: rule.approvalId! }, admin)), 'CONFLICT');
  });

  test('self-approval is FORBIDDEN with reason SELF_APPROVAL, even for an admin', async () => {
    const created = await api.gql(
      CreateMatchingRuleDocument,
      { input: { name: 'Tolerance', type: 'RANGE', fields: ['REFERENCE'], amountTolerancePct: '1', dateToleranceDays: 3, allowGroups: true, priority: 2 } },
      admin,
    );
    const rule = created.data!.createMatchingRule;
    rangeRuleId = rule.id;
    const self = await api.gql(ApproveRequestDocument, { id: rule.approvalId! }, admin);
    assert.equal(errorCode(self), 'FORBIDDEN');
    assert.equal(self.errors![0].extensions!.reason, 'SELF_APPROVAL');
    assert.equal(errorCode(await api.gql(DeclineRequestDocument, { id: rule.approvalId! }, admin)), 'FORBIDDEN');
    await api.gql(CommentOnApprovalDocument, { id: rule.approvalId!, comment: 'Please check the tolerance' }, analyst);
    const ok = await api.gql(ApproveRequestDocument, { id: rule.approvalId! }, supervisor);
    assert.equal(ok.data!.approveRequest.status, 'APPROVED');
    assert.equal(ok.data!.approveRequest.comments.length, 1);
  });

  test('a change waits in pendingChange; declined, the approved configuration stays', async () => {
    const changed = await api.gql(UpdateMatchingRuleDocument, { id: rangeRuleId, input: { amountTolerancePct: '50' } }, analyst);
    const rule = changed.data!.updateMatchingRule;
    assert.equal(rule.status, 'APPROVED');
    assert.equal(rule.amountTolerancePct, '1');
    assert.deepEqual(rule.pendingChange, { amountTolerancePct: '50' });
    // One pending change at a time.
    assert.equal(errorCode(await api.gql(UpdateMatchingRuleDocument, { id: rangeRuleId, input: { priority: 5 } }, analyst)), 'CONFLICT');
    const declined = await api.gql(DeclineRequestDocument, { id: rule.approvalId!, comment: 'Too loose' }, supervisor);
    assert.equal(declined.data!.declineRequest.status, 'DECLINED');
    const after = (await api.gql(MatchingRuleDocument, { id: rangeRuleId }, analyst)).data!.matchingRule;
    assert.equal(after.amountTolerancePct, '1');
    assert.equal(after.pendingChange, null);
    assert.equal(after.status, 'APPROVED');
    // Bad input names the field.
    const bad = await api.gql(CreateMatchingRuleDocument, { input: { name: 'Bad', type: 'REGEX', fields: ['REFERENCE'] } }, analyst);
    assert.equal(errorCode(bad), 'BAD_USER_INPUT');
    assert.equal(bad.errors![0].extensions!.field, 'regexPattern');
    const rules = (await api.gql(MatchingRulesDocument, { filter: { status: { eq: 'APPROVED' } } }, auditor)).data!.matchingRules.edges.map((e) => e.node.name);
    assert.deepEqual(rules, ['Exact', 'Tolerance']);
  });
});

describe('a run', () => {
  test('starts at once, reports progress live, and matches pairs and groups by rule', async () => {
    const conn = connectWs(api.server.url, analyst);
    try {
      const started = await api.gql(StartReconciliationDocument, { input: { name: 'November', sourceFileIds: [bankId], targetFileIds: [settlementId] } }, analyst);
      assert.equal(started.errors, undefined, JSON.stringify(started.errors));
      const job = started.data!.startReconciliation;
      jobId = job.id;
      assert.equal(job.status, 'PENDING');
      assert.equal(job.totalRows, 18);
      const live = record(conn, ReconciliationProgressDocument, { jobId });
      const otherTenant = record(connectWs(api.server.url, await api.login('admin', 'globex')), ReconciliationProgressDocument, { jobId });
      await otherTenant.waitForEnd();
      assert.equal(otherTenant.errors[0].extensions?.code, 'NOT_FOUND');
      await api.drainJobs();
      const done = (await api.gql(ReconciliationJobDocument, { id: jobId }, auditor)).data!.reconciliationJob;
      assert.equal(done.status, 'COMPLETED', done.errorMessage ?? '');
      assert.equal(done.matchedRows, 13);
      assert.equal(done.exceptionRows, 5);
      assert.equal(done.matchRate, '72.22');
      assert.equal(done.progress, 100);
      assert.equal(typeof done.timings.match, 'number');
      assert.equal(typeof done.timings.exceptions, 'number');
      // The subscriber saw the run end (it may have joined after the first passes).
      const events = await live.waitForEvents(1);
      await live.waitForEvents(events.length);
      const last = live.events.at(-1)!.reconciliationProgress;
      if (last.status !== 'COMPLETED') await live.waitForEvents(live.events.length + 1);
      assert.equal(live.events.at(-1)!.reconciliationProgress.status, 'COMPLETED');
      assert.equal(live.events.at(-1)!.reconciliationProgress.matchedRows, 13);
    } finally {
      await conn.dispose();
    }

    const stats = (await api.gql(ReconciliationRuleStatisticsDocument, { jobId }, analyst)).data!.reconciliationRuleStatistics;
    assert.deepEqual(
      stats.map((s) => [s.ruleName, s.pass, s.matches, s.rows]),
      [['Exact', 'pairs', 3, 6], ['Tolerance', 'pairs', 2, 4], ['Tolerance', 'many_to_one', 1, 3]],
    );
    const matches = (await api.gql(ReconciliationMatchesDocument, { jobId, first: 50 }, auditor)).data!.reconciliationMatches;
    assert.equal(matches.totalCount, 6);
    const group = matches.edges.find((e) => e.node.type === 'MANY_TO_ONE')!.node;
    assert.equal(group.ruleId, rangeRuleId);
    assert.deepEqual(group.rows.map((r) => [r.side, r.reference, r.amount]).sort(), [
      ['SOURCE', 'REF005', '30'], ['SOURCE', 'REF005', '70'], ['TARGET', 'REF005', '100'],
    ]);
    const ref3 = matches.edges.find((e) => e.node.rows.some((r) => r.reference === 'REF003'))!.node;
    assert.equal(ref3.amountDifference, '-0.4');
    assert.ok(ref3.confidence < 1 && ref3.confidence >= 0.5);
    const exact = matches.edges.filter((e) => e.node.ruleId === exactRuleId);
    assert.ok(exact.every((e) => e.node.confidence === 1));
    // Paged two at a time: the same matches, in the same order, each once; filters narrow the count.
    const paged: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: ReconciliationMatchesQuery['reconciliationMatches'] = (await api.gql(ReconciliationMatchesDocument, { jobId, first: 2, after }, auditor)).data!.reconciliationMatches;
      paged.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor!;
    }
    assert.deepEqual(paged, matches.edges.map((e) => e.node.id));
    const groups = (await api.gql(ReconciliationMatchesDocument, { jobId, filter: { type: { eq: 'MANY_TO_ONE' } } }, auditor)).data!.reconciliationMatches;
    assert.equal(groups.totalCount, 1);
    assert.deepEqual(groups.edges.map((e) => e.node.id), [group.id]);
    const byRule = (await api.gql(ReconciliationMatchesDocument, { jobId, filter: { ruleId: { eq: exactRuleId } } }, auditor)).data!.reconciliationMatches;
    assert.equal(byRule.totalCount, exact.length);
    assert.equal(errorCode(await api.gql(ReconciliationMatchesDocument, { jobId, after: 'not-a-cursor' }, auditor)), 'BAD_USER_INPUT');
    assert.equal(errorCode(await api.gql(ReconciliationMatchesDocument, { jobId, first: 101 }, auditor)), 'BAD_USER_INPUT');

    const unmatchedBank = (await api.gql(UnmatchedRowsDocument, { jobId, side: 'SOURCE', first: 50 }, analyst)).data!.unmatchedRows;
    assert.deepEqual(unmatchedBank.edges.map((e) => e.node.reference), ['REF006', 'REF007', 'REF008']);
    const unmatchedSettlement = (await api.gql(UnmatchedRowsDocument, { jobId, side: 'TARGET', first: 50 }, analyst)).data!.unmatchedRows;
    assert.deepEqual(unmatchedSettlement.edges.map((e) => e.node.reference), ['REF008', 'REF009']);
  });

  test('exceptions have the right type, severity, difference and suggested action', async () => {
    const list = (await api.gql(ReconciliationExceptionsDocument, { filter: { jobId: { eq: jobId } }, first: 50 }, auditor)).data!.reconciliationExceptions;
    assert.equal(list.totalCount, 5);
    const byKey = Object.fromEntries(list.edges.map((e) => [`${e.node.side}:${e.node.reference}`, e.node]));
    assert.equal(byKey['SOURCE:REF006'].type, 'DUPLICATE');
    assert.equal(byKey['SOURCE:REF007'].type, 'NON_SETTLEMENT');
    assert.equal(byKey['SOURCE:REF007'].severity, 'HIGH');
    assert.equal(byKey['SOURCE:REF007'].amount, '500000');
    assert.equal(byKey['SOURCE:REF008'].type, 'AMOUNT_MISMATCH');
    assert.equal(byKey['SOURCE:REF008'].amountDifference, '-15');
    assert.equal(byKey['TARGET:REF008'].amountDifference, '15');
    assert.equal(byKey['TARGET:REF009'].type, 'MISSING_ENTRY');
    assert.equal(byKey['TARGET:REF009'].severity, 'LOW');
    for (const e of list.edges) {
      assert.equal(e.node.status, 'OPEN');
      assert.ok(e.node.suggestedAction.length > 10);
    }
    assert.equal(byKey['SOURCE:REF008'].ageDays, 3);

    const aging = (await api.gql(ExceptionAgingDocument, { jobId }, auditor)).data!.exceptionAging;
    assert.deepEqual(aging, [
      { bucket: '0-1', count: 1, amount: '12' },
      { bucket: '2-7', count: 4, amount: '500110' },
      { bucket: '8-30', count: 0, amount: '0' },
      { bucket: '>30', count: 0, amount: '0' },
    ]);
  });

  test('working exceptions: assign, comment, resolve, escalate, ignore, bulk; large resolutions need approval', async () => {
    const list = (await api.gql(ReconciliationExceptionsDocument, { filter: { jobId: { eq: jobId } }, first: 50 }, analyst)).data!.reconciliationExceptions;
    const byKey = Object.fromEntries(list.edges.map((e) => [`${e.node.side}:${e.node.reference}`, e.node.id]));
    const analystId = await userId('analyst@acme.test');

    // The auditor changes nothing.
    assert.equal(errorCode(await api.gql(AssignExceptionDocument, { id: byKey['SOURCE:REF008'], userId: analystId }, auditor)), 'FORBIDDEN');
    assert.equal(errorCode(await api.gql(ResolveExceptionDocument, { id: byKey['SOURCE:REF008'], reason: 'x' }, auditor)), 'FORBIDDEN');

    const assigned = await api.gql(AssignExceptionDocument, { id: byKey['SOURCE:REF008'], userId: analystId }, analyst);
    assert.equal(assigned.data!.assignException.assignedTo, analystId);
    assert.equal(assigned.data!.assignException.status, 'IN_PROGRESS');
    const outsider = await userId('admin@globex.test');
    const badAssignee = await api.gql(AssignExceptionDocument, { id: byKey['SOURCE:REF008'], userId: outsider }, analyst);
    assert.equal(errorCode(badAssignee), 'BAD_USER_INPUT');
    const commented = await api.gql(CommentOnExceptionDocument, { id: byKey['SOURCE:REF008'], body: 'Fee deducted by the acquirer' }, analyst);
    assert.equal(commented.data!.commentOnException.comments[0].body, 'Fee deducted by the acquirer');
    assert.equal(errorCode(await api.gql(ResolveExceptionDocument, { id: byKey['SOURCE:REF008'], reason: '  ' }, analyst)), 'BAD_USER_INPUT');
    const resolved = await api.gql(ResolveExceptionDocument, { id: byKey['SOURCE:REF008'], reason: 'Acquirer fee, booked' }, analyst);
    assert.equal(resolved.data!.resolveException.status, 'RESOLVED');
    assert.equal(resolved.data!.resolveException.resolutionReason, 'Acquirer fee, booked');
    assert.equal(errorCode(await api.gql(ResolveExceptionDocument, { id: byKey['SOURCE:REF008'], reason: 'again' }, analyst)), 'CONFLICT');

    // 500,000 is above the default threshold (100,000): an approval, not a resolution.
    const big = (await api.gql(ResolveExceptionDocument, { id: byKey['SOURCE:REF007'], reason: 'Settled late by the scheme' }, analyst)).data!.resolveException;
    assert.equal(big.status, 'IN_PROGRESS');
    assert.ok(big.approvalId);
    const pending = (await api.gql(ApprovalsDocument, { filter: { type: { eq: 'EXCEPTION_RESOLUTION' }, status: { eq: 'PENDING' } } }, supervisor)).data!.approvals;
    assert.deepEqual(pending.edges.map((e) => e.node.id), [big.approvalId]);
    assert.equal(errorCode(await api.gql(ApproveRequestDocument, { id: big.approvalId! }, analyst)), 'FORBIDDEN');
    assert.equal((await api.gql(ApproveRequestDocument, { id: big.approvalId! }, supervisor)).data!.approveRequest.status, 'APPROVED');
    const afterApproval = (await api.gql(ReconciliationExceptionsDocument, { filter: { jobId: { eq: jobId }, reference: { eq: 'REF007' } } }, analyst)).data!.reconciliationExceptions.edges[0].node;
    assert.equal(afterApproval.status, 'RESOLVED');
    assert.equal(afterApproval.resolutionReason, 'Settled late by the scheme');

    const escalated = await api.gql(EscalateExceptionDocument, { id: byKey['TARGET:REF009'], comment: 'Unknown transaction, ask the scheme' }, analyst);
    assert.equal(escalated.data!.escalateException.status, 'ESCALATED');
    const ignored = await api.gql(IgnoreExceptionDocument, { id: byKey['SOURCE:REF006'], reason: 'Statement duplicate line, not a booking' }, analyst);
    assert.equal(ignored.data!.ignoreException.status, 'IGNORED');

    const bulk = await api.gql(BulkAssignExceptionsDocument, { ids: [byKey['TARGET:REF008'], byKey['TARGET:REF009']], userId: analystId }, analyst);
    assert.deepEqual(bulk.data!.bulkAssignExceptions, { updated: 2, pendingApproval: 0 });
    // A closed one in the batch: nothing assigned.
    assert.equal(errorCode(await api.gql(BulkAssignExceptionsDocument, { ids: [byKey['TARGET:REF008'], byKey['SOURCE:REF006']], userId: analystId }, analyst)), 'CONFLICT');
    const bulkResolved = await api.gql(BulkResolveExceptionsDocument, { ids: [byKey['TARGET:REF008'], byKey['TARGET:REF009']], reason: 'Cleared next day' }, analyst);
    assert.deepEqual(bulkResolved.data!.bulkResolveExceptions, { updated: 2, pendingApproval: 0 });
    const aging = (await api.gql(ExceptionAgingDocument, { jobId }, analyst)).data!.exceptionAging;
    assert.ok(aging.every((b) => b.count === 0));
  });

  test('summary reports in CSV and Excel are produced by a background job', async () => {
    assert.equal(errorCode(await api.gql(GenerateReconciliationReportDocument, { jobId, format: 'CSV' }, auditor)), 'FORBIDDEN');
    for (const [format, mime] of [['CSV', 'text/csv'], ['XLSX', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']] as const) {
      const queued = (await api.gql(GenerateReconciliationReportDocument, { jobId, format }, analyst)).data!.generateReconciliationReport;
      await api.drainJobs();
      const bg = (await api.gql(BackgroundJobDocument, { id: queued.backgroundJobId! }, analyst)).data!.backgroundJob;
      assert.equal(bg.status, 'COMPLETED', JSON.stringify(bg));
      const fileId = (bg.result as { fileId: string }).fileId;
      const file = (await api.gql(FileDocument, { id: fileId }, analyst)).data!.file;
      assert.equal(file.mimeType, mime);
      assert.ok(file.size > 200);
      if (format === 'CSV') {
        const body = await (await fetch(file.downloadUrl!.replace(/^https?:\/\/[^/]+/, `http://127.0.0.1:${api.server.port}`))).text();
        assert.match(body, /^Reconciliation summary\n/);
        assert.match(body, /Matched rows,13\n/);
        assert.match(body, /Exact,pairs,3,6,1,0.00/);
        assert.equal(body.split('\n').filter((l) => /,(duplicate|amount_mismatch|non_settlement|missing_entry),/.test(l)).length, 5);
      }
    }
  });
});
