/** CSR workflows through GraphQL: projects, milestones, budgets, expenses, disbursements, surveys, KPIs, and their refusals. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, errorCode, type TestApi } from '../support/api';
import {
  CsrApproveExpenseDocument, CsrApproveMilestoneDocument, CsrChangeDisbursementStatusDocument, CsrChangeProjectStatusDocument,
  CsrChangeSurveyStatusDocument, CsrCreateBudgetDocument, CsrCreateDisbursementDocument, CsrCreateExpenseDocument, CsrCreateKpiDocument,
  CsrCreateMilestoneDocument, CsrCreatePartnerDocument, CsrCreateProjectDocument, CsrCreateSurveyDocument, CsrExpensesDocument,
  CsrKpiDocument, CsrMarkExpensePaidDocument, CsrMilestoneDocument, CsrPartnersDocument, CsrProjectDocument, CsrProjectsDocument,
  CsrRecordKpiMeasurementDocument, CsrRejectExpenseDocument, CsrSetBudgetAllocationDocument, CsrSubmitSurveyResponseDocument,
  CsrUpdateBudgetTotalDocument, CsrUpdateMilestoneProgressDocument, CsrUpdateProjectDocument,
} from '../__generated__/graphql';
import type { ProjectStatus, Sector } from '../__generated__/graphql';
import { seeded } from './support';

let api: TestApi;
let ids: Awaited<ReturnType<typeof seeded>>;
let manager: string;
let finance: string;
let me: string;
let recipient: string;

before(async () => {
  api = await startTestApi();
  ids = await seeded(api);
  manager = await api.login('csr_manager');
  finance = await api.login('finance_officer');
  me = await api.login('me_officer');
  recipient = await api.login('recipient');
});
after(() => api.close());

const field = (res: { errors?: { extensions?: { field?: string } }[] }) => res.errors?.[0]?.extensions?.field;

async function newProject(overrides: Record<string, unknown> = {}) {
  const res = await api.gql(CsrCreateProjectDocument, {
    input: { title: 'Test project', sector: 'HEALTH', startDate: '2026-01-01', endDate: '2026-12-31', estimatedBudget: '1000.00', partnerId: ids.sunrise, ...overrides },
  }, manager);
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  return res.data!.createProject;
}

describe('projects', () => {
  test('a manager creates a project in planning; bad input names its field', async () => {
    const p = await newProject();
    assert.equal(p.status, 'PLANNING');
    assert.equal(p.actualExpenditure, '0');
    assert.equal(p.estimatedBudget, '1000');
    const bad = async (input: Record<string, unknown>) =>
      api.gql(CsrCreateProjectDocument, { input: { title: 'X', sector: 'HEALTH', ...input } as never }, manager);
    let res = await bad({ startDate: '2026-05-01', endDate: '2026-04-01' });
    assert.equal(errorCode(res), 'BAD_USER_INPUT');
    assert.equal(field(res), 'endDate');
    res = await bad({ estimatedBudget: '-5' });
    assert.equal(field(res), 'estimatedBudget');
    res = await bad({ estimatedBudget: '1.234' });
    assert.equal(field(res), 'estimatedBudget');
    res = await bad({ title: '   ' });
    assert.equal(field(res), 'title');
    res = await bad({ partnerId: '00000000-0000-7000-8000-000000000000' });
    assert.equal(errorCode(res), 'NOT_FOUND');
  });

  test('status transitions: legal ones pass, illegal ones are CONFLICT / ILLEGAL_TRANSITION', async () => {
    const p = await newProject();
    const move = (status: ProjectStatus) => api.gql(CsrChangeProjectStatusDocument, { id: p.id, status }, manager);
    const res = await move('COMPLETED');
    assert.equal(errorCode(res), 'CONFLICT');
    assert.equal(res.errors![0].extensions!.reason, 'ILLEGAL_TRANSITION');
    assert.equal((await move('ACTIVE')).data!.changeProjectStatus.status, 'ACTIVE');
    assert.equal((await move('ON_HOLD')).data!.changeProjectStatus.status, 'ON_HOLD');
    assert.equal(errorCode(await move('COMPLETED')), 'CONFLICT');
    assert.equal((await move('ACTIVE')).data!.changeProjectStatus.status, 'ACTIVE');
    assert.equal((await move('COMPLETED')).data!.changeProjectStatus.status, 'COMPLETED');
    assert.equal(errorCode(await move('ACTIVE')), 'CONFLICT');
    const audit = await api.sql(`select changes from audit_log where action = 'csr.project.status_change' and resource_id = $1 order by seq`, [p.id]);
    assert.deepEqual(audit.map((a) => a.changes.status), [
      { from: 'planning', to: 'active' }, { from: 'active', to: 'on_hold' }, { from: 'on_hold', to: 'active' }, { from: 'active', to: 'completed' },
    ]);
  });

  test('wrong role: finance and M&E officers cannot create projects, the editor cannot update one', async () => {
    assert.equal(errorCode(await api.gql(CsrCreateProjectDocument, { input: { title: 'No', sector: 'OTHER' } }, finance)), 'FORBIDDEN');
    assert.equal(errorCode(await api.gql(CsrCreateProjectDocument, { input: { title: 'No', sector: 'OTHER' } }, me)), 'FORBIDDEN');
    const editor = await api.login('editor');
    assert.equal(errorCode(await api.gql(CsrUpdateProjectDocument, { id: ids.schools, input: { title: 'Taken' } }, editor)), 'FORBIDDEN');
    assert.equal(errorCode(await api.gql(CsrCreateProjectDocument, { input: { title: 'No', sector: 'OTHER' } }, recipient)), 'FORBIDDEN');
  });

  test('lists filter, search and order', async () => {
    const res = await api.gql(CsrProjectsDocument, { first: 50, filter: { status: { eq: 'ACTIVE' } }, orderBy: [{ field: 'TITLE' as never, direction: 'ASC' as never }] }, manager);
    const titles = res.data!.projects.edges.map((e) => e.node.title);
    assert.deepEqual(titles.filter((t) => t !== 'Test project'), ['Drip Irrigation Pilot', 'Rural Schools Program']);
    const search = await api.gql(CsrProjectsDocument, { first: 50, search: 'irrigation' }, manager);
    assert.deepEqual(search.data!.projects.edges.map((e) => e.node.id), [ids.irrigation]);
    const partners = await api.gql(CsrPartnersDocument, { first: 50, filter: { type: { eq: 'RECIPIENT_PARTNER' } } }, manager);
    assert.deepEqual(partners.data!.partners.edges.map((e) => e.node.id).sort(), [ids.sunrise, ids.greenFields].sort());
  });
});

describe('recipient isolation inside one tenant', () => {
  test('the recipient sees only their partner’s projects, milestones and surveys', async () => {
    const list = await api.gql(CsrProjectsDocument, { first: 50 }, recipient);
    assert.equal(list.errors, undefined);
    const visible = list.data!.projects.edges.map((e) => e.node.id);
    assert.ok(visible.includes(ids.schools));
    assert.ok(!visible.includes(ids.camps) && !visible.includes(ids.irrigation));
    assert.equal((await api.gql(CsrProjectDocument, { id: ids.schools }, recipient)).data!.project.id, ids.schools);
    assert.equal(errorCode(await api.gql(CsrProjectDocument, { id: ids.camps }, recipient)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(CsrMilestoneDocument, { id: ids.campMilestone }, recipient)), 'NOT_FOUND');
    assert.equal((await api.gql(CsrMilestoneDocument, { id: ids.classroom }, recipient)).data!.milestone.id, ids.classroom);
  });

  test('another partner’s project is NOT_FOUND for writes too, and nothing changes', async () => {
    assert.equal(errorCode(await api.gql(CsrUpdateProjectDocument, { id: ids.camps, input: { title: 'Mine now' } }, recipient)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(CsrChangeProjectStatusDocument, { id: ids.camps, status: 'ACTIVE' }, recipient)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(CsrUpdateMilestoneProgressDocument, { id: ids.campMilestone, completionPercentage: 50 }, recipient)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(CsrCreateMilestoneDocument, { input: { projectId: ids.camps, title: 'Sneaky' } }, recipient)), 'NOT_FOUND');
    const [camps] = await api.sql(`select title, status from csr_project where id = $1`, [ids.camps]);
    assert.deepEqual(camps, { title: 'Village Health Camps', status: 'planning' });
    // Their own project: allowed, but not moving it to another partner.
    const own = await api.gql(CsrUpdateProjectDocument, { id: ids.schools, input: { description: 'Updated by the partner' } }, recipient);
    assert.equal(own.errors, undefined);
    assert.equal(errorCode(await api.gql(CsrUpdateProjectDocument, { id: ids.schools, input: { partnerId: ids.greenFields } }, recipient)), 'FORBIDDEN');
  });

  test('the recipient reports progress on their milestone but cannot approve it', async () => {
    const res = await api.gql(CsrUpdateMilestoneProgressDocument, { id: ids.classroom, completionPercentage: 80, notes: 'Roof done' }, recipient);
    assert.equal(res.data!.updateMilestoneProgress.status, 'IN_PROGRESS');
    assert.equal(errorCode(await api.gql(CsrApproveMilestoneDocument, { id: ids.classroom }, recipient)), 'FORBIDDEN');
  });
});

describe('milestones', () => {
  test('progress, approval only at 100 % by an approver, who and when recorded', async () => {
    const p = await newProject();
    const m = (await api.gql(CsrCreateMilestoneDocument, { input: { projectId: p.id, title: 'Step 1', dueDate: '2026-06-30' } }, manager)).data!.createMilestone;
    assert.equal(m.status, 'PENDING');
    let res = await api.gql(CsrUpdateMilestoneProgressDocument, { id: m.id, completionPercentage: 101 }, manager);
    assert.equal(errorCode(res), 'BAD_USER_INPUT');
    assert.equal(field(res), 'completionPercentage');
    res = await api.gql(CsrUpdateMilestoneProgressDocument, { id: m.id, completionPercentage: 99 }, me);
    assert.equal(res.data!.updateMilestoneProgress.status, 'IN_PROGRESS');
    const early = await api.gql(CsrApproveMilestoneDocument, { id: m.id }, me);
    assert.equal(errorCode(early), 'CONFLICT');
    assert.equal(early.errors![0].extensions!.reason, 'INCOMPLETE');
    assert.equal(errorCode(await api.gql(CsrApproveMilestoneDocument, { id: m.id }, finance)), 'FORBIDDEN');
    res = await api.gql(CsrUpdateMilestoneProgressDocument, { id: m.id, completionPercentage: 100 }, me);
    assert.equal(res.data!.updateMilestoneProgress.status, 'COMPLETED');
    const approved = (await api.gql(CsrApproveMilestoneDocument, { id: m.id }, me)).data!.approveMilestone;
    assert.equal(approved.status, 'APPROVED');
    const [meUser] = await api.sql(`select id from identity_user where email = 'me.officer@acme.test'`);
    assert.equal(approved.approvedBy, meUser.id);
    assert.ok(approved.approvedAt);
    assert.equal(errorCode(await api.gql(CsrApproveMilestoneDocument, { id: m.id }, me)), 'CONFLICT');
    assert.equal(errorCode(await api.gql(CsrUpdateMilestoneProgressDocument, { id: m.id, completionPercentage: 50 }, me)), 'CONFLICT');
    const [audit] = await api.sql(`select changes from audit_log where action = 'csr.milestone.approve' and resource_id = $1`, [m.id]);
    assert.deepEqual(audit.changes.status, { from: 'completed', to: 'approved' });
  });
});

describe('budgets and expenses', () => {
  test('allocations never exceed the budget total; the total never drops below them', async () => {
    const budget = (await api.gql(CsrCreateBudgetDocument, { input: { financialYear: 2030, total: '1000.00' } }, finance)).data!.createBudget;
    assert.equal(errorCode(await api.gql(CsrCreateBudgetDocument, { input: { financialYear: 2030, total: '5.00' } }, finance)), 'CONFLICT');
    const set = (sector: Sector, allocated: string) => api.gql(CsrSetBudgetAllocationDocument, { input: { budgetId: budget.id, sector, allocated } }, finance);
    assert.equal((await set('HEALTH', '600.00')).data!.setBudgetAllocation.allocated, '600');
    assert.equal((await set('EDUCATION', '400.00')).data!.setBudgetAllocation.allocated, '400');
    const over = await set('OTHER', '0.01');
    assert.equal(errorCode(over), 'CONFLICT');
    assert.equal(field(over), 'allocated');
    assert.equal((await set('HEALTH', '500.00')).data!.setBudgetAllocation.allocated, '500');
    assert.equal((await set('OTHER', '100.00')).errors, undefined);
    assert.equal(errorCode(await api.gql(CsrUpdateBudgetTotalDocument, { id: budget.id, total: '999.99' }, finance)), 'CONFLICT');
    assert.equal(field(await set('AGRICULTURE', '-1')), 'allocated');
    assert.equal(errorCode(await api.gql(CsrCreateBudgetDocument, { input: { financialYear: 2031, total: '10.00' } }, manager)), undefined);
    assert.equal(errorCode(await api.gql(CsrCreateBudgetDocument, { input: { financialYear: 2032, total: '10.00' } }, me)), 'FORBIDDEN');
  });

  test('approve, reject, pay; double approval and overspend refused; totals move together', async () => {
    const p = await newProject({ sector: 'HEALTH' });
    const create = (amount: string) =>
      api.gql(CsrCreateExpenseDocument, { input: { projectId: p.id, allocationId: ids.health, amount, category: 'supplies', expenseDate: '2026-08-01' } }, finance);
    const wrongSector = await api.gql(CsrCreateExpenseDocument, { input: { projectId: p.id, allocationId: ids.education, amount: '1.00', category: 'x', expenseDate: '2026-08-01' } }, finance);
    assert.equal(field(wrongSector), 'allocationId');
    assert.equal(field(await create('0')), 'amount');
    const a = (await create('1000.25')).data!.createExpense;
    const b = (await create('500.00')).data!.createExpense;
    assert.equal(a.status, 'SUBMITTED');
    assert.equal(errorCode(await api.gql(CsrApproveExpenseDocument, { id: a.id }, manager)), 'FORBIDDEN');
    assert.equal((await api.gql(CsrApproveExpenseDocument, { id: a.id }, finance)).data!.approveExpense.status, 'APPROVED');
    assert.equal(errorCode(await api.gql(CsrApproveExpenseDocument, { id: a.id }, finance)), 'CONFLICT');
    const rejected = await api.gql(CsrRejectExpenseDocument, { id: b.id, reason: 'No receipt' }, finance);
    assert.equal(rejected.data!.rejectExpense.status, 'REJECTED');
    assert.equal(errorCode(await api.gql(CsrMarkExpensePaidDocument, { id: b.id }, finance)), 'CONFLICT');
    assert.equal((await api.gql(CsrMarkExpensePaidDocument, { id: a.id }, finance)).data!.markExpensePaid.status, 'PAID');
    const project = (await api.gql(CsrProjectDocument, { id: p.id }, manager)).data!.project;
    assert.equal(project.actualExpenditure, '1000.25');
    const [alloc] = await api.sql(`select spent::text, allocated::text from csr_budget_allocation where id = $1`, [ids.health]);
    assert.equal(alloc.spent, '1000.25');
    // An expense larger than what remains is refused, and nothing moves.
    const big = (await create('248999.76')).data!.createExpense;
    const refused = await api.gql(CsrApproveExpenseDocument, { id: big.id }, finance);
    assert.equal(errorCode(refused), 'CONFLICT');
    assert.equal(refused.errors![0].extensions!.reason, 'OVERSPEND');
    const [after] = await api.sql(`select spent::text from csr_budget_allocation where id = $1`, [ids.health]);
    assert.equal(after.spent, '1000.25');
    const listed = await api.gql(CsrExpensesDocument, { first: 50, filter: { projectId: { eq: p.id }, status: { eq: 'SUBMITTED' } } }, finance);
    assert.deepEqual(listed.data!.expenses.edges.map((e) => e.node.id), [big.id]);
    const [audit] = await api.sql(`select changes from audit_log where action = 'csr.expense.approve' and resource_id = $1`, [a.id]);
    assert.equal(audit.changes.amount, '1000.25');
  });

  test('disbursements: to recipient partners, released with a reference', async () => {
    const vendor = (await api.gql(CsrCreatePartnerDocument, { input: { name: 'Vendor X', type: 'VENDOR' } }, manager)).data!.createPartner;
    assert.equal(field(await api.gql(CsrCreateDisbursementDocument, { input: { partnerId: vendor.id, amount: '10.00' } }, finance)), 'partnerId');
    const d = (await api.gql(CsrCreateDisbursementDocument, { input: { partnerId: ids.sunrise, projectId: ids.schools, amount: '2500.00' } }, finance)).data!.createDisbursement;
    assert.equal(d.status, 'PENDING');
    assert.equal(field(await api.gql(CsrChangeDisbursementStatusDocument, { id: d.id, status: 'RELEASED' }, finance)), 'reference');
    const released = await api.gql(CsrChangeDisbursementStatusDocument, { id: d.id, status: 'RELEASED', reference: 'UTR-42' }, finance);
    assert.equal(released.data!.changeDisbursementStatus.status, 'RELEASED');
    assert.ok(released.data!.changeDisbursementStatus.releasedAt);
    assert.equal(errorCode(await api.gql(CsrChangeDisbursementStatusDocument, { id: d.id, status: 'CANCELLED' }, finance)), 'CONFLICT');
    assert.equal(errorCode(await api.gql(CsrCreateDisbursementDocument, { input: { partnerId: ids.sunrise, amount: '1.00' } }, me)), 'FORBIDDEN');
  });
});

describe('surveys and KPIs', () => {
  test('responses are checked against the question types; only open surveys accept them', async () => {
    const s = await api.gql(CsrCreateSurveyDocument, {
      input: {
        projectId: ids.schools, title: 'Baseline',
        questions: [
          { key: 'name', label: 'Name', type: 'TEXT', required: true },
          { key: 'age', label: 'Age', type: 'NUMBER' },
          { key: 'crop', label: 'Crop', type: 'SINGLE_CHOICE', options: ['rice', 'wheat'] },
          { key: 'needs', label: 'Needs', type: 'MULTIPLE_CHOICE', options: ['water', 'seeds', 'tools'] },
          { key: 'score', label: 'Score', type: 'RATING', required: true },
          { key: 'since', label: 'Since', type: 'DATE' },
          { key: 'member', label: 'Member', type: 'BOOLEAN' },
        ],
      },
    }, recipient);
    assert.equal(s.errors, undefined, JSON.stringify(s.errors));
    const survey = s.data!.createSurvey;
    const submit = (answers: Record<string, unknown>) => api.gql(CsrSubmitSurveyResponseDocument, { input: { surveyId: survey.id, answers } }, recipient);
    assert.equal(errorCode(await submit({ name: 'A', score: 3 })), 'CONFLICT');
    assert.equal((await api.gql(CsrChangeSurveyStatusDocument, { id: survey.id, status: 'OPEN' }, recipient)).data!.changeSurveyStatus.status, 'OPEN');
    const bad: [Record<string, unknown>, string][] = [
      [{ score: 3 }, 'answers.name'],
      [{ name: 'A', score: 6 }, 'answers.score'],
      [{ name: 'A', score: 3, age: 'ten' }, 'answers.age'],
      [{ name: 'A', score: 3, crop: 'maize' }, 'answers.crop'],
      [{ name: 'A', score: 3, needs: ['water', 'gold'] }, 'answers.needs'],
      [{ name: 'A', score: 3, since: '2026-02-30' }, 'answers.since'],
      [{ name: 'A', score: 3, member: 'yes' }, 'answers.member'],
      [{ name: 'A', score: 3, extra: 1 }, 'answers.extra'],
    ];
    for (const [answers, f] of bad) {
      const res = await submit(answers);
      assert.equal(errorCode(res), 'BAD_USER_INPUT', JSON.stringify(answers));
      assert.equal(field(res), f);
    }
    const ok = await submit({ name: 'A', score: 5, age: 40, crop: 'rice', needs: ['water', 'tools'], since: '2020-01-01', member: true });
    assert.equal(ok.errors, undefined);
    const badQuestion = await api.gql(CsrCreateSurveyDocument, { input: { projectId: ids.schools, title: 'x', questions: [{ key: 'c', label: 'C', type: 'SINGLE_CHOICE', options: ['only'] }] } }, me);
    assert.equal(field(badQuestion), 'questions.0.options');
    assert.equal(errorCode(await api.gql(CsrCreateSurveyDocument, { input: { projectId: ids.camps, title: 'x', questions: [{ key: 'a', label: 'A', type: 'TEXT' }] } }, recipient)), 'NOT_FOUND');
    assert.equal((await api.gql(CsrChangeSurveyStatusDocument, { id: survey.id, status: 'CLOSED' }, me)).data!.changeSurveyStatus.status, 'CLOSED');
    assert.equal(errorCode(await api.gql(CsrChangeSurveyStatusDocument, { id: survey.id, status: 'DRAFT' }, me)), 'CONFLICT');
  });

  test('KPI measurements update the current value and the progress toward target', async () => {
    const kpi = (await api.gql(CsrCreateKpiDocument, { input: { projectId: ids.irrigation, name: 'Wells dug', unit: 'wells', baseline: '10', target: '50' } }, me)).data!.createKpi;
    assert.equal(kpi.current, '10');
    assert.equal(kpi.progress, 0);
    const record = (value: string, measuredOn: string) => api.gql(CsrRecordKpiMeasurementDocument, { input: { kpiId: kpi.id, value, measuredOn } }, me);
    assert.equal((await record('30', '2026-05-01')).errors, undefined);
    assert.equal((await record('20', '2026-03-01')).errors, undefined); // older: current stays at the latest date's value
    const read = (await api.gql(CsrKpiDocument, { id: kpi.id }, me)).data!.kpi;
    assert.equal(read.current, '30');
    assert.equal(read.progress, 50);
    assert.equal(read.measurements.length, 2);
    assert.equal(field(await api.gql(CsrCreateKpiDocument, { input: { projectId: ids.irrigation, name: 'x', unit: 'u', baseline: '1', target: '1' } }, me)), 'target');
    assert.equal(errorCode(await api.gql(CsrRecordKpiMeasurementDocument, { input: { kpiId: kpi.id, value: '1', measuredOn: '2026-01-01' } }, finance)), 'FORBIDDEN');
  });
});
