/**
 * Runs that do not go straight through: cancelled between passes, two workers on one run at once
 * (a stalled job picked up again while the first still runs), and a worker that died after
 * committing its first pass — nothing is duplicated; and runs whose first pass is not the only
 * exact one, or not exact at all.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, errorCode, type TestApi } from '../support/api';
import { createJobContext } from '../../src/core/context/request-context';
import { runHooks, runReconciliation } from '../../src/services/recon';
import {
  ApproveRequestDocument,
  CancelReconciliationDocument,
  CreateMatchingRuleDocument,
  ReconciliationJobDocument,
  ReconciliationRuleStatisticsDocument,
  StartReconciliationDocument,
  UnmatchedRowsDocument,
  type MatchingRuleInput,
} from '../__generated__/graphql';
import { BANK_COLUMNS, bankCsv, isoDay, mapAndNormalize, registerFile, SETTLEMENT_COLUMNS, settlementCsv, ukDay } from './support';

let api: TestApi;
let analyst: string;
let bankId: string;
let settlementId: string;
let organizationId: string;

before(async () => {
  api = await startTestApi({ workers: true });
  analyst = await api.login('analyst', 'acme');
  const supervisor = await api.login('supervisor', 'acme');
  bankId = (await registerFile(api, analyst, 'bank.csv', bankCsv(), 'BANK')).data!.createReconciliationFile.id;
  settlementId = (await registerFile(api, analyst, 'settlement.csv', settlementCsv(), 'SETTLEMENT')).data!.createReconciliationFile.id;
  await mapAndNormalize(api, analyst, bankId, BANK_COLUMNS);
  await mapAndNormalize(api, analyst, settlementId, SETTLEMENT_COLUMNS, { dateFormat: 'DD/MM/YYYY' });
  for (const input of [
    { name: 'Exact', type: 'EXACT' as const, fields: ['REFERENCE' as const, 'AMOUNT' as const, 'DATE' as const], priority: 1 },
    { name: 'Tolerance', type: 'RANGE' as const, fields: ['REFERENCE' as const], amountTolerancePct: '1', dateToleranceDays: 3, allowGroups: true, priority: 2 },
  ]) {
    const rule = (await api.gql(CreateMatchingRuleDocument, { input }, analyst)).data!.createMatchingRule;
    await api.gql(ApproveRequestDocument, { id: rule.approvalId! }, supervisor);
  }
  organizationId = (await api.sql<{ id: string }>(`select id from tenancy_organization where slug = 'acme'`))[0].id;
});
after(async () => {
  runHooks.beforePass = undefined;
  await api.close();
});

const start = async () => {
  const res = await api.gql(StartReconciliationDocument, { input: { sourceFileIds: [bankId], targetFileIds: [settlementId] } }, analyst);
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  return res.data!.startReconciliation.id;
};

const counts = async (jobId: string) =>
  (
    await api.sql<{ matches: number; rows: number; exceptions: number }>(
      `select (select coalesce(sum(match_count), 0)::int from recon_match_set where job_id = $1) as matches,
              (select coalesce(sum(cardinality(source_row_ids) + cardinality(target_row_ids)), 0)::int from recon_match_set where job_id = $1) as rows,
              (select count(*)::int from recon_exception where job_id = $1) as exceptions`,
      [jobId],
    )
  )[0];

test('a run cancelled between passes stops cleanly: earlier passes stay, no exceptions, cannot be cancelled twice', async () => {
  const seen: string[] = [];
  runHooks.beforePass = async (jobId, key) => {
    seen.push(key);
    // Cancel through the API once the first rule's pass is done.
    if (seen.length === 2) assert.equal((await api.gql(CancelReconciliationDocument, { id: jobId }, analyst)).data!.cancelReconciliation.status, 'CANCELLED');
  };
  const jobId = await start();
  await api.drainJobs();
  runHooks.beforePass = undefined;
  const job = (await api.gql(ReconciliationJobDocument, { id: jobId }, analyst)).data!.reconciliationJob;
  assert.equal(job.status, 'CANCELLED');
  assert.equal(job.matchedRows, 6);
  assert.deepEqual(await counts(jobId), { matches: 3, rows: 6, exceptions: 0 });
  assert.equal(errorCode(await api.gql(CancelReconciliationDocument, { id: jobId }, analyst)), 'CONFLICT');
  const auditor = await api.login('auditor', 'acme');
  assert.equal(errorCode(await api.gql(CancelReconciliationDocument, { id: jobId }, auditor)), 'FORBIDDEN');
  const globex = await api.login('admin', 'globex');
  assert.equal(errorCode(await api.gql(CancelReconciliationDocument, { id: jobId }, globex)), 'NOT_FOUND');
});

test('two workers running the same run at once duplicate no match or exception', async () => {
  const jobId = await start();
  // Both workers reach the first pass before either runs it.
  let arrived = 0;
  let release!: () => void;
  const bothThere = new Promise<void>((resolve) => (release = resolve));
  runHooks.beforePass = async (_jobId, key) => {
    if (!key.endsWith(':pairs') || arrived >= 2) return;
    if (++arrived === 2) release();
    await bothThere;
  };
  const actor = (await api.sql<{ id: string }>(`select id from identity_user where email = 'analyst@acme.test'`))[0].id;
  const worker = async (name: string) => {
    const ctx = createJobContext(api.app, { tenantId: organizationId, actorId: actor, jobId: name });
    const result = await runReconciliation(ctx, { jobId });
    await ctx.db.finish(true);
    return result.status;
  };
  const statuses = await Promise.all([worker('first'), worker('second')]);
  runHooks.beforePass = undefined;
  assert.equal(arrived, 2);
  assert.ok(statuses.includes('completed'), statuses.join());
  // The queued job finds the run done.
  await api.drainJobs();
  assert.deepEqual(await counts(jobId), { matches: 6, rows: 13, exceptions: 5 });
  const job = (await api.gql(ReconciliationJobDocument, { id: jobId }, analyst)).data!.reconciliationJob;
  assert.equal(job.status, 'COMPLETED');
  assert.equal(job.matchedRows, 13);
  assert.equal(job.exceptionRows, 5);
  const stats = (await api.gql(ReconciliationRuleStatisticsDocument, { jobId }, analyst)).data!.reconciliationRuleStatistics;
  assert.deepEqual(stats.map((s) => s.matches), [3, 2, 1]);
});

test('a run resumed after its first pass skips that pass and completes the rest', async () => {
  let passesRun = 0;
  runHooks.beforePass = async () => {
    // The "worker" dies before its second pass (the first has committed).
    if (++passesRun === 2) throw new Error('worker killed');
  };
  const jobId = await start();
  await api.drainJobs();
  runHooks.beforePass = undefined;
  assert.deepEqual(await counts(jobId), { matches: 3, rows: 6, exceptions: 0 });
  // A killed worker records nothing: the job is left processing, and the next worker resumes it.
  await api.sql(`update recon_job set status = 'processing' where id = $1`, [jobId]);
  const actor = (await api.sql<{ id: string }>(`select id from identity_user where email = 'analyst@acme.test'`))[0].id;
  const ctx = createJobContext(api.app, { tenantId: organizationId, actorId: actor, jobId: 'resume' });
  await runReconciliation(ctx, { jobId });
  await ctx.db.finish(true);
  assert.deepEqual(await counts(jobId), { matches: 6, rows: 13, exceptions: 5 });
  const passes = (await api.sql<{ completed_passes: string[] }>('select completed_passes from recon_job where id = $1', [jobId]))[0].completed_passes;
  assert.equal(passes.length, 5);
  assert.equal(new Set(passes).size, 5);
});

test('keys held three times on a side: the first copy pairs, the other copies and a one-sided triple are left over', async () => {
  const D = isoDay(-3);
  const bank = ['Txn Date,Reference,Narration,Amount,DR/CR,Currency', ...[1, 2, 3].map(() => `${D},TRI100,Triple,10.00,CR,NGN`), ...[1, 2, 3].map(() => `${D},TRI101,One side,11.00,CR,NGN`)];
  const settlement = ['Settlement Date,RRN,Amount,Description', `${ukDay(-3)},TRI100,10.00,Settled`];
  const bankFile = (await registerFile(api, analyst, 'triple-bank.csv', Buffer.from(`${bank.join('\n')}\n`), 'BANK')).data!.createReconciliationFile.id;
  const settlementFile = (await registerFile(api, analyst, 'triple-settlement.csv', Buffer.from(`${settlement.join('\n')}\n`), 'SETTLEMENT')).data!.createReconciliationFile.id;
  await mapAndNormalize(api, analyst, bankFile, BANK_COLUMNS);
  await mapAndNormalize(api, analyst, settlementFile, SETTLEMENT_COLUMNS, { dateFormat: 'DD/MM/YYYY' });
  const res = await api.gql(StartReconciliationDocument, { input: { sourceFileIds: [bankFile], targetFileIds: [settlementFile] } }, analyst);
  const jobId = res.data!.startReconciliation.id;
  await api.drainJobs();
  assert.deepEqual(await counts(jobId), { matches: 1, rows: 2, exceptions: 5 });
  const unmatched = (await api.gql(UnmatchedRowsDocument, { jobId, side: 'SOURCE', first: 50 }, analyst)).data!.unmatchedRows;
  assert.deepEqual(unmatched.edges.map((e) => [e.node.reference, e.node.rowNumber]), [['TRI100', 3], ['TRI100', 4], ['TRI101', 5], ['TRI101', 6], ['TRI101', 7]]);
  assert.equal((await api.gql(UnmatchedRowsDocument, { jobId, side: 'TARGET', first: 50 }, analyst)).data!.unmatchedRows.edges.length, 0);
});

/** Adds an approved rule, runs, and returns the run's matches per rule and pass: [rule name, pass, matches]. */
async function runWithRule(input: MatchingRuleInput) {
  const supervisor = await api.login('supervisor', 'acme');
  const rule = (await api.gql(CreateMatchingRuleDocument, { input }, analyst)).data!.createMatchingRule;
  assert.equal((await api.gql(ApproveRequestDocument, { id: rule.approvalId! }, supervisor)).errors, undefined);
  const jobId = await start();
  await api.drainJobs();
  assert.deepEqual(await counts(jobId), { matches: 6, rows: 13, exceptions: 5 });
  const stats = (await api.gql(ReconciliationRuleStatisticsDocument, { jobId }, analyst)).data!.reconciliationRuleStatistics;
  return stats.map((s) => [s.ruleName, s.pass, s.matches]);
}

test('an exact rule after the first pass matches among its leftovers: REF004, two days apart, on reference and amount', async () => {
  assert.deepEqual(await runWithRule({ name: 'Exact, any date', type: 'EXACT', fields: ['REFERENCE', 'AMOUNT'], priority: 1 }), [
    ['Exact', 'pairs', 3], ['Exact, any date', 'pairs', 1], ['Tolerance', 'pairs', 1], ['Tolerance', 'many_to_one', 1],
  ]);
});

test('a run whose first rule is not exact records its leftovers too: the later rules find the same matches', async () => {
  const input = { name: 'Same day, same amount', type: 'RANGE' as const, fields: ['REFERENCE' as const], amountTolerancePct: '0', amountToleranceAbs: '0', dateToleranceDays: 0, priority: 0 };
  assert.deepEqual(await runWithRule(input), [
    ['Same day, same amount', 'pairs', 3], ['Exact, any date', 'pairs', 1], ['Tolerance', 'pairs', 1], ['Tolerance', 'many_to_one', 1],
  ]);
});
