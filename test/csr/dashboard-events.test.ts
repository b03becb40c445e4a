/**
 * csrDashboard figures per role against values computed by hand from the seeded demo data,
 * the overdue sweep, and the milestoneUpdated / expenseApproved subscriptions (tenant and
 * partner scoped).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, type TestApi } from '../support/api';
import { connectWs, record, sleep, type WsConnection } from '../support/ws';
import { createJobContext } from '../../src/core/context/request-context';
import { markOverdueMilestonesJob } from '../../src/jobs';
import {
  CsrApproveExpenseDocument, CsrCreateMilestoneDocument, CsrCreateProjectDocument, CsrDashboardDocument, CsrExpenseApprovedDocument,
  CsrMilestoneDocument, CsrMilestoneUpdatedDocument, CsrUpdateMilestoneProgressDocument,
} from '../__generated__/graphql';
import { seeded } from './support';

let api: TestApi;
let ids: Awaited<ReturnType<typeof seeded>>;
const sockets: WsConnection[] = [];
const ws = (token: string) => {
  const c = connectWs(api.server.url, token);
  sockets.push(c);
  return c;
};

before(async () => {
  api = await startTestApi();
  ids = await seeded(api);
});
after(async () => {
  for (const s of sockets) await s.dispose();
  await api.close();
});

describe('csrDashboard (seeded acme data, before anything changes)', () => {
  const seededUse = [
    { financialYear: 2026, sector: 'EDUCATION', allocated: '400000', spent: '50000', remaining: '350000', utilisation: 12.5 },
    { financialYear: 2026, sector: 'HEALTH', allocated: '250000', spent: '0', remaining: '250000', utilisation: 0 },
    { financialYear: 2026, sector: 'AGRICULTURE', allocated: '150000', spent: '8000', remaining: '142000', utilisation: 5.33 },
  ];

  test('manager: projects by status and sector, budget use by sector, overdue milestones', async () => {
    const d = (await api.gql(CsrDashboardDocument, {}, await api.login('csr_manager'))).data!.csrDashboard;
    assert.deepEqual(d.manager!.projectsByStatus, [{ key: 'active', count: 2 }, { key: 'planning', count: 1 }]);
    assert.deepEqual(d.manager!.projectsBySector, [{ key: 'agriculture', count: 1 }, { key: 'education', count: 1 }, { key: 'health', count: 1 }]);
    assert.deepEqual(d.manager!.budgetUtilisation, seededUse);
    assert.equal(d.manager!.overdueMilestoneCount, 0);
    assert.equal(d.recipient, null);
  });

  test('finance: allocated / spent / remaining by year and sector, pending expenses; no manager section', async () => {
    const d = (await api.gql(CsrDashboardDocument, {}, await api.login('finance_officer'))).data!.csrDashboard;
    assert.equal(d.manager, null);
    assert.equal(d.me, null);
    assert.deepEqual(d.finance!.allocations, seededUse);
    assert.equal(d.finance!.pendingExpenseCount, 1);
    assert.equal(d.finance!.pendingExpenseTotal, '12500.5');
  });

  test('M&E: KPI progress and survey response rates', async () => {
    const d = (await api.gql(CsrDashboardDocument, {}, await api.login('me_officer'))).data!.csrDashboard;
    assert.equal(d.finance, null);
    const kpis = Object.fromEntries(d.me!.kpis.map((k) => [k.name, k.progress]));
    assert.deepEqual(kpis, { 'Children enrolled': 40, 'Yield increase': 0 }); // 200 of 0→500; 0 of 0→25
    assert.deepEqual(d.me!.surveys.map(({ title, responses, respondents, expectedRespondents, responseRate }) => ({ title, responses, respondents, expectedRespondents, responseRate })), [
      { title: 'Parent satisfaction', responses: 1, respondents: 1, expectedRespondents: 1, responseRate: 100 },
    ]);
  });

  test('recipient: their projects and next milestones only', async () => {
    const d = (await api.gql(CsrDashboardDocument, {}, await api.login('recipient'))).data!.csrDashboard;
    assert.equal(d.manager, null);
    assert.equal(d.finance, null);
    assert.equal(d.me, null);
    assert.deepEqual(d.recipient!.projects.map(({ title, status, milestones, averageCompletion }) => ({ title, status, milestones, averageCompletion })), [
      { title: 'Rural Schools Program', status: 'ACTIVE', milestones: 3, averageCompletion: 53.33 }, // (100 + 60 + 0) / 3
    ]);
    assert.deepEqual(d.recipient!.nextMilestones.map((m) => [m.title, m.dueDate, m.completionPercentage]), [
      ['Classroom construction', '2027-01-31', 60],
      ['Teacher training', '2027-03-15', 0],
    ]);
  });
});

describe('overdue sweep', () => {
  test('marks past-due open milestones overdue in one pass, notifies the project’s people, and is idempotent', async () => {
    const manager = await api.login('csr_manager');
    const project = (await api.gql(CsrCreateProjectDocument, { input: { title: 'Late project', sector: 'EDUCATION', partnerId: ids.sunrise } }, manager)).data!.createProject;
    const mk = async (title: string, dueDate: string, pct: number) => {
      const m = (await api.gql(CsrCreateMilestoneDocument, { input: { projectId: project.id, title, dueDate } }, manager)).data!.createMilestone;
      if (pct) await api.gql(CsrUpdateMilestoneProgressDocument, { id: m.id, completionPercentage: pct }, manager);
      return m.id;
    };
    const late = await mk('Late one', '2026-01-10', 40);
    const lateDone = await mk('Late but done', '2026-01-10', 100);
    const future = await mk('Future one', '2099-01-01', 10);
    const run = async () => {
      const ctx = createJobContext(api.app, { tenantId: ids.orgId, actorId: null, jobId: 'test' });
      const result = await markOverdueMilestonesJob.run(ctx, {}, async () => undefined);
      await ctx.db.finish(true);
      return result;
    };
    assert.deepEqual(await run(), { overdue: 1 });
    const status = async (id: string) => (await api.gql(CsrMilestoneDocument, { id }, manager)).data!.milestone.status;
    assert.equal(await status(late), 'OVERDUE');
    assert.equal(await status(lateDone), 'COMPLETED');
    assert.equal(await status(future), 'IN_PROGRESS');
    const notified = await api.sql<{ email: string }>(
      `select u.email from notifications_notification n join identity_user u on u.id = n.user_id where n.type = 'csr.milestone_overdue' and n.data->>'milestoneId' = $1 order by u.email`,
      [late],
    );
    assert.deepEqual(notified.map((n) => n.email), ['csr.manager@acme.test', 'recipient@acme.test']);
    assert.deepEqual(await run(), { overdue: 0 });
    // At 100 % an overdue milestone is completed; the dashboard counts what is still overdue.
    const d = (await api.gql(CsrDashboardDocument, {}, manager)).data!.csrDashboard;
    assert.equal(d.manager!.overdueMilestoneCount, 1);
    assert.equal(d.manager!.overdueMilestones[0].id, late);
  });
});

describe('subscriptions', () => {
  test('milestoneUpdated reaches the tenant’s managers; a recipient only for their partner’s projects; never another tenant', async () => {
    const manager = record(ws(await api.login('csr_manager')), CsrMilestoneUpdatedDocument, {});
    const recipient = record(ws(await api.login('recipient')), CsrMilestoneUpdatedDocument, {});
    const globex = record(ws(await api.login('csr_manager', 'globex')), CsrMilestoneUpdatedDocument, {});
    await sleep(300);
    const me = await api.login('me_officer');
    await api.gql(CsrUpdateMilestoneProgressDocument, { id: ids.campMilestone, completionPercentage: 25 }, me); // Green Fields' project
    await api.gql(CsrUpdateMilestoneProgressDocument, { id: ids.classroom, completionPercentage: 70 }, me); // Sunrise's project
    const events = await manager.waitForEvents(2);
    assert.deepEqual(events.map((e) => [e.milestoneUpdated.milestoneId, e.milestoneUpdated.status, e.milestoneUpdated.completionPercentage]), [
      [ids.campMilestone, 'IN_PROGRESS', 25],
      [ids.classroom, 'IN_PROGRESS', 70],
    ]);
    const [own] = await recipient.waitForEvents(1);
    assert.deepEqual(own.milestoneUpdated, { projectId: ids.schools, milestoneId: ids.classroom, status: 'IN_PROGRESS', completionPercentage: 70 });
    await sleep(200);
    assert.equal(recipient.events.length, 1);
    assert.equal(globex.events.length, 0);
  });

  test('expenseApproved reaches finance; a recipient may not subscribe', async () => {
    const finance = await api.login('finance_officer');
    const sub = record(ws(finance), CsrExpenseApprovedDocument, {});
    const denied = record(ws(await api.login('recipient')), CsrExpenseApprovedDocument, {});
    await denied.waitForEnd();
    assert.equal(denied.errors[0].extensions?.code, 'FORBIDDEN');
    await sleep(300);
    const [pending] = await api.sql<{ id: string }>(`select id from csr_expense where organization_id = $1 and status = 'submitted'`, [ids.orgId]);
    const res = await api.gql(CsrApproveExpenseDocument, { id: pending.id }, finance);
    assert.equal(res.errors, undefined);
    const [event] = await sub.waitForEvents(1);
    assert.deepEqual(event.expenseApproved, {
      expenseId: pending.id, projectId: ids.schools, amount: '12500.5', allocationSpent: '62500.5', projectActualExpenditure: '62500.5',
    });
  });
});
