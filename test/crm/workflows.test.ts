/**
 * CRM workflows through GraphQL: lead conversion (once, also under concurrency), deals through
 * stages, win and lose, quotations and their status machine, sales targets; with the refusals
 * users would try (wrong tenant, wrong role, own scope, illegal transitions, bad input).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, errorCode, type TestApi } from '../support/api';
import {
  AcceptQuotationDocument, ConvertLeadDocument, CreateActivityDocument, CreateDealDocument, CreateEmployeeDocument, CreateLeadDocument,
  CreateQuotationDocument, CreateSalesTargetDocument, DealDocument, EmployeeDocument, EmployeesDocument, ExpireQuotationDocument, LeadDocument,
  LoseDealDocument, MoveDealToStageDocument, PipelinesDocument, RejectQuotationDocument, SalesTargetDocument, SendQuotationDocument,
  UpdateActivityDocument, UpdateDealDocument, UpdateLeadDocument, UpdateQuotationDocument, WinDealDocument, CreatePipelineDocument,
  CreateCustomerDocument, ActivityDocument, QuotationDocument, DeleteQuotationDocument,
} from '../__generated__/graphql';

let api: TestApi;
let admin: string;
let sales: string;
let support: string;
let globexAdmin: string;
let salesEmployeeId: string;
let stages: { id: string; name: string; probability: number; kind: string }[];

before(async () => {
  api = await startTestApi();
  admin = await api.login('admin', 'acme');
  sales = await api.login('sales', 'acme');
  support = await api.login('support', 'acme');
  globexAdmin = await api.login('admin', 'globex');
  const employees = await api.gql(EmployeesDocument, { filter: { code: { eq: 'E-001' } } }, admin);
  salesEmployeeId = employees.data!.employees.edges[0].node.id;
  const pipelines = await api.gql(PipelinesDocument, {}, admin);
  stages = pipelines.data!.pipelines.edges.find((e) => e.node.isDefault)!.node.stages;
});
after(() => api.close());

const newLead = async (token: string, extra: Record<string, unknown> = {}) => {
  const res = await api.gql(CreateLeadDocument, { input: { name: 'Ada Lovelace', company: 'Analytical Engines', email: 'ada@engines.test', estimatedValue: '5000.00', score: 60, ...extra } }, token);
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  return res.data!.createLead;
};

describe('default pipeline', () => {
  test('every organization has one default pipeline with ordered stages and probabilities', async () => {
    assert.deepEqual(stages.map((s) => [s.name, s.probability, s.kind]), [
      ['Prospecting', 10, 'OPEN'], ['Qualification', 25, 'OPEN'], ['Proposal', 50, 'OPEN'], ['Negotiation', 75, 'OPEN'], ['Closed won', 100, 'WON'], ['Closed lost', 0, 'LOST'],
    ]);
    const globex = await api.gql(PipelinesDocument, {}, globexAdmin);
    const ids = globex.data!.pipelines.edges.flatMap((e) => e.node.stages.map((s) => s.id));
    assert.ok(!ids.some((id) => stages.some((s) => s.id === id)));
  });

  test('an organization created without the seed gets its default pipeline on first use', async () => {
    const [org] = await api.sql<{ id: string }>(`select id from tenancy_organization where slug = 'globex'`);
    await api.sql(`delete from crm_deal where organization_id = $1`, [org.id]);
    await api.sql(`delete from crm_pipeline where organization_id = $1`, [org.id]);
    const [a, b] = await Promise.all([api.gql(PipelinesDocument, {}, globexAdmin), api.gql(PipelinesDocument, {}, globexAdmin)]);
    assert.equal(a.errors, undefined);
    assert.equal(b.errors, undefined);
    const [{ count }] = await api.sql<{ count: string }>(`select count(*) from crm_pipeline where organization_id = $1 and is_default`, [org.id]);
    assert.equal(count, '1');
  });

  test('createPipeline validates its stages', async () => {
    const bad = await api.gql(CreatePipelineDocument, { input: { name: 'Enterprise', stages: [{ name: 'Open', probability: 120 }] } }, admin);
    assert.equal(errorCode(bad), 'BAD_USER_INPUT');
    assert.equal(bad.errors![0].extensions!.field, 'stages.0.probability');
    const ok = await api.gql(CreatePipelineDocument, { input: { name: 'Enterprise', stages: [{ name: 'Discovery', probability: 5 }, { name: 'Won', probability: 100, kind: 'WON' }] } }, admin);
    assert.deepEqual(ok.data!.createPipeline.stages.map((s) => s.position), [1, 2]);
    assert.equal(ok.data!.createPipeline.isDefault, false);
    assert.equal(errorCode(await api.gql(CreatePipelineDocument, { input: { name: 'X', stages: [{ name: 'A', probability: 1 }] } }, sales)), 'FORBIDDEN');
  });
});

describe('convertLead', () => {
  test('creates customer, contact and deal in the default pipeline, and records who and when', async () => {
    const lead = await newLead(admin);
    const res = await api.gql(ConvertLeadDocument, { id: lead.id, input: { createDeal: true, industry: 'Computing' } }, admin);
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const { lead: converted, customer, contact, deal } = res.data!.convertLead;
    assert.equal(converted.status, 'CONVERTED');
    assert.ok(converted.convertedAt);
    const [me] = await api.sql<{ id: string }>(`select id from identity_user where email = 'admin@acme.test'`);
    assert.equal(converted.convertedBy, me.id);
    assert.equal(converted.convertedCustomerId, customer.id);
    assert.equal(converted.convertedDealId, deal!.id);
    assert.equal(customer.name, 'Analytical Engines');
    assert.equal(customer.customerType, 'BUSINESS');
    assert.equal(customer.status, 'ACTIVE');
    assert.deepEqual([contact.firstName, contact.lastName, contact.email, contact.customerId], ['Ada', 'Lovelace', 'ada@engines.test', customer.id]);
    assert.equal(deal!.value, '5000');
    assert.equal(deal!.stage.name, 'Prospecting');
    assert.equal(deal!.probability, 10);
    assert.equal(deal!.expectedRevenue, '500');
    assert.equal(deal!.leadId, lead.id);
    const audit = await api.sql(`select action from audit_log where resource_id = $1 order by created_at`, [lead.id]);
    assert.deepEqual(audit.map((a) => a.action), ['crm.lead.create', 'crm.lead.convert']);
  });

  test('a second conversion is CONFLICT, and so is the loser of two concurrent ones', async () => {
    const lead = await newLead(admin);
    assert.equal((await api.gql(ConvertLeadDocument, { id: lead.id }, admin)).errors, undefined);
    assert.equal(errorCode(await api.gql(ConvertLeadDocument, { id: lead.id }, admin)), 'CONFLICT');

    const racing = await newLead(admin, { name: 'Grace Hopper', company: null });
    const results = await Promise.all([1, 2, 3].map(() => api.gql(ConvertLeadDocument, { id: racing.id, input: { createDeal: true } }, admin)));
    assert.equal(results.filter((r) => !r.errors).length, 1);
    assert.deepEqual(results.filter((r) => r.errors).map(errorCode), ['CONFLICT', 'CONFLICT'], JSON.stringify(results.map((r) => r.errors)));
    const [{ count }] = await api.sql<{ count: string }>(`select count(*) from crm_customer where source_lead_id = $1`, [racing.id]);
    assert.equal(count, '1');
  });

  test('a deal needs a value: BAD_USER_INPUT on dealValue, and nothing is created', async () => {
    const lead = await newLead(admin, { estimatedValue: null, email: 'novalue@example.test' });
    const res = await api.gql(ConvertLeadDocument, { id: lead.id, input: { createDeal: true } }, admin);
    assert.equal(errorCode(res), 'BAD_USER_INPUT');
    assert.equal(res.errors![0].extensions!.field, 'dealValue');
    const [{ count }] = await api.sql<{ count: string }>(`select count(*) from crm_customer where source_lead_id = $1`, [lead.id]);
    assert.equal(count, '0');
    assert.equal((await api.gql(LeadDocument, { id: lead.id }, admin)).data!.lead.status, 'NEW');
  });

  test('refusals: another tenant (NOT_FOUND), a role without lead:write (FORBIDDEN), someone else’s lead for sales (NOT_FOUND)', async () => {
    const lead = await newLead(admin);
    assert.equal(errorCode(await api.gql(ConvertLeadDocument, { id: lead.id }, globexAdmin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(ConvertLeadDocument, { id: lead.id }, support)), 'FORBIDDEN');
    assert.equal(errorCode(await api.gql(ConvertLeadDocument, { id: lead.id }, sales)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(LeadDocument, { id: lead.id }, sales)), 'NOT_FOUND');
    // Assigned to the sales user's employee record: now theirs.
    await api.gql(UpdateLeadDocument, { id: lead.id, input: { assignedEmployeeId: salesEmployeeId } }, admin);
    const res = await api.gql(ConvertLeadDocument, { id: lead.id, input: { createDeal: true } }, sales);
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    assert.equal(res.data!.convertLead.deal!.assignedEmployeeId, salesEmployeeId);
  });
});

describe('leads: validation and own scope', () => {
  test('bad input names the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ email: 'not-an-email' }, 'email'],
      [{ phone: 'call me' }, 'phone'],
      [{ score: 101 }, 'score'],
      [{ score: -1 }, 'score'],
      [{ estimatedValue: '-5' }, 'estimatedValue'],
      [{ estimatedValue: '1.234' }, 'estimatedValue'],
      [{ currency: 'XYZ' }, 'currency'],
      [{ name: '  ' }, 'name'],
      [{ status: 'CONVERTED' }, 'status'],
    ];
    for (const [input, field] of cases) {
      const res = await api.gql(CreateLeadDocument, { input: { name: 'X', ...input } as never }, admin);
      assert.equal(errorCode(res), 'BAD_USER_INPUT', JSON.stringify(input));
      assert.equal(res.errors![0].extensions!.field, field, JSON.stringify(input));
    }
  });

  test('sales sees and changes only the leads they created or that are assigned to them', async () => {
    const mine = await newLead(sales, { name: 'Mine' });
    const others = await newLead(admin, { name: 'Not mine' });
    assert.equal((await api.gql(LeadDocument, { id: mine.id }, sales)).data!.lead.name, 'Mine');
    assert.equal(errorCode(await api.gql(UpdateLeadDocument, { id: others.id, input: { score: 1 } }, sales)), 'NOT_FOUND');
    assert.equal((await api.gql(UpdateLeadDocument, { id: mine.id, input: { score: 90 } }, sales)).data!.updateLead.score, 90);
  });
});

describe('deals through stages', () => {
  const open = (title: string, token = admin, extra: Record<string, unknown> = {}) =>
    api.gql(CreateDealDocument, { input: { title, value: '1000.00', ...extra } }, token).then((r) => {
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
      return r.data!.createDeal;
    });

  test('a new deal starts in the first stage with its probability; moving follows the stage unless overridden', async () => {
    const deal = await open('Stages');
    assert.equal(deal.stageId, stages[0].id);
    assert.equal(deal.probability, 10);
    assert.equal(deal.expectedRevenue, '100');
    const moved = await api.gql(MoveDealToStageDocument, { id: deal.id, stageId: stages[2].id }, admin);
    assert.equal(moved.data!.moveDealToStage.probability, 50);
    assert.equal(moved.data!.moveDealToStage.expectedRevenue, '500');
    const overridden = await api.gql(MoveDealToStageDocument, { id: deal.id, stageId: stages[3].id, probability: 33 }, admin);
    assert.equal(overridden.data!.moveDealToStage.probability, 33);
    assert.equal(overridden.data!.moveDealToStage.expectedRevenue, '330');
    const audit = await api.sql(`select changes from audit_log where resource_id = $1 and action = 'crm.deal.move_stage' order by created_at`, [deal.id]);
    assert.deepEqual(audit[0].changes.stageId, { from: stages[0].id, to: stages[2].id });
    assert.deepEqual(audit[1].changes.probability, { from: 50, to: 33 });
  });

  test('expected revenue is exact decimal arithmetic', async () => {
    const deal = await open('Decimals', admin, { value: '0.10', probability: 33 });
    assert.equal(deal.expectedRevenue, '0.033');
    const big = await open('Big', admin, { value: '9999999999999999.99', probability: 7 });
    assert.equal(big.expectedRevenue, '699999999999999.9993');
  });

  test('win and lose close the deal; a closed deal does not move again', async () => {
    const won = await open('To win');
    const w = await api.gql(WinDealDocument, { id: won.id, closeDate: '2026-03-15' }, admin);
    assert.deepEqual([w.data!.winDeal.status, w.data!.winDeal.probability, w.data!.winDeal.stageId, w.data!.winDeal.actualCloseDate], ['WON', 100, stages[4].id, '2026-03-15']);
    assert.equal(errorCode(await api.gql(MoveDealToStageDocument, { id: won.id, stageId: stages[1].id }, admin)), 'CONFLICT');
    assert.equal(errorCode(await api.gql(LoseDealDocument, { id: won.id, reason: 'changed mind' }, admin)), 'CONFLICT');
    assert.equal(errorCode(await api.gql(WinDealDocument, { id: won.id }, admin)), 'CONFLICT');

    const lost = await open('To lose');
    const noReason = await api.gql(LoseDealDocument, { id: lost.id, reason: ' ' }, admin);
    assert.equal(errorCode(noReason), 'BAD_USER_INPUT');
    assert.equal(noReason.errors![0].extensions!.field, 'reason');
    const l = await api.gql(LoseDealDocument, { id: lost.id, reason: 'Budget cut' }, admin);
    assert.deepEqual([l.data!.loseDeal.status, l.data!.loseDeal.probability, l.data!.loseDeal.lostReason, l.data!.loseDeal.stageId], ['LOST', 0, 'Budget cut', stages[5].id]);
  });

  test('moving to a closing stage or another pipeline’s stage is refused', async () => {
    const deal = await open('Refusals');
    const closing = await api.gql(MoveDealToStageDocument, { id: deal.id, stageId: stages[4].id }, admin);
    assert.equal(errorCode(closing), 'BAD_USER_INPUT');
    assert.equal(closing.errors![0].extensions!.field, 'stageId');
    const other = await api.gql(CreatePipelineDocument, { input: { name: 'Other', stages: [{ name: 'Only', probability: 40 }] } }, admin);
    const foreign = await api.gql(MoveDealToStageDocument, { id: deal.id, stageId: other.data!.createPipeline.stages[0].id }, admin);
    assert.equal(errorCode(foreign), 'NOT_FOUND');
    assert.equal(foreign.errors![0].extensions!.field, 'stageId');
    assert.equal(errorCode(await api.gql(MoveDealToStageDocument, { id: deal.id, stageId: stages[1].id, probability: 101 }, admin)), 'BAD_USER_INPUT');
  });

  test('deal input validation: positive value, currency code, probability', async () => {
    for (const [input, field] of [[{ value: '0' }, 'value'], [{ value: '-1' }, 'value'], [{ currency: 'EURO' }, 'currency'], [{ probability: 150 }, 'probability']] as const) {
      const res = await api.gql(CreateDealDocument, { input: Object.assign({ title: 'Bad', value: '10' }, input) as never }, admin);
      assert.equal(errorCode(res), 'BAD_USER_INPUT');
      assert.equal(res.errors![0].extensions!.field, field);
    }
    const [globexCustomer] = await api.sql<{ id: string }>(`select c.id from crm_customer c join tenancy_organization o on o.id = c.organization_id where o.slug = 'globex' limit 1`);
    const foreign = await api.gql(CreateDealDocument, { input: { title: 'Foreign', value: '10', customerId: globexCustomer.id } }, admin);
    assert.equal(errorCode(foreign), 'NOT_FOUND');
    assert.equal(foreign.errors![0].extensions!.field, 'customerId');
  });

  test('own scope for sales: others’ deals are NOT_FOUND for every read and write', async () => {
    const others = await open('Admin’s deal');
    const mine = await open('Sales’ deal', sales);
    assert.equal(errorCode(await api.gql(DealDocument, { id: others.id }, sales)), 'NOT_FOUND');
    for (const res of [
      await api.gql(MoveDealToStageDocument, { id: others.id, stageId: stages[1].id }, sales),
      await api.gql(WinDealDocument, { id: others.id }, sales),
      await api.gql(LoseDealDocument, { id: others.id, reason: 'x' }, sales),
      await api.gql(UpdateDealDocument, { id: others.id, input: { title: 'mine now' } }, sales),
    ]) assert.equal(errorCode(res), 'NOT_FOUND');
    assert.equal((await api.gql(MoveDealToStageDocument, { id: mine.id, stageId: stages[1].id }, sales)).data!.moveDealToStage.probability, 25);
    // Handing the deal to someone else takes it out of the caller's scope (they created it: still theirs).
    assert.equal((await api.gql(DealDocument, { id: mine.id }, sales)).data!.deal.id, mine.id);
    // A lead of someone else cannot be linked by sales.
    const lead = await newLead(admin);
    const linked = await api.gql(CreateDealDocument, { input: { title: 'Linked', value: '1', leadId: lead.id } }, sales);
    assert.equal(errorCode(linked), 'NOT_FOUND');
    assert.equal(linked.errors![0].extensions!.field, 'leadId');
    // Another tenant and a role without deals.
    assert.equal(errorCode(await api.gql(WinDealDocument, { id: others.id }, globexAdmin)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(WinDealDocument, { id: others.id }, support)), 'FORBIDDEN');
  });
});

describe('quotations', () => {
  const items = [
    { description: 'Licences', quantity: '3', unitPrice: '19.99', taxRate: '20' },
    { description: 'Setup', quantity: '1.5', unitPrice: '100.00', taxRate: '7.5' },
  ];

  test('numbered per organization, totals and tax in decimal', async () => {
    const q1 = await api.gql(CreateQuotationDocument, { input: { title: 'First', items } }, admin);
    assert.equal(q1.errors, undefined, JSON.stringify(q1.errors));
    const q = q1.data!.createQuotation;
    // 3 × 19.99 = 59.97, tax 11.994 → 11.99; 1.5 × 100 = 150.00, tax 11.25
    assert.deepEqual(q.items.map((i) => [i.subtotal, i.tax, i.total]), [['59.97', '11.99', '71.96'], ['150', '11.25', '161.25']]);
    assert.deepEqual([q.subtotal, q.taxTotal, q.total, q.status], ['209.97', '23.24', '233.21', 'DRAFT']);
    const q2 = await api.gql(CreateQuotationDocument, { input: { title: 'Second' } }, admin);
    assert.equal(q2.data!.createQuotation.number, q.number + 1);
    const g = await api.gql(CreateQuotationDocument, { input: { title: 'Globex first' } }, globexAdmin);
    assert.equal(g.data!.createQuotation.number, 1);
  });

  test('concurrent creations get distinct consecutive numbers', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => api.gql(CreateQuotationDocument, { input: { title: `Race ${i}` } }, admin)));
    for (const r of results) assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    const numbers = results.map((r) => r.data!.createQuotation.number).sort((a, b) => a - b);
    assert.deepEqual(numbers, numbers.map((_, i) => numbers[0] + i));
  });

  test('draft → sent → accepted; illegal transitions are CONFLICT', async () => {
    const q = (await api.gql(CreateQuotationDocument, { input: { title: 'Flow', items, validUntil: '2099-12-31' } }, admin)).data!.createQuotation;
    assert.equal(errorCode(await api.gql(AcceptQuotationDocument, { id: q.id }, admin)), 'CONFLICT');
    assert.equal(errorCode(await api.gql(ExpireQuotationDocument, { id: q.id }, admin)), 'CONFLICT');
    const updated = await api.gql(UpdateQuotationDocument, { id: q.id, input: { items: [{ description: 'One', quantity: '2', unitPrice: '10' }] } }, admin);
    assert.deepEqual([updated.data!.updateQuotation.total, updated.data!.updateQuotation.items.length], ['20', 1]);
    assert.equal((await api.gql(SendQuotationDocument, { id: q.id }, admin)).data!.sendQuotation.status, 'SENT');
    assert.equal(errorCode(await api.gql(SendQuotationDocument, { id: q.id }, admin)), 'CONFLICT');
    assert.equal(errorCode(await api.gql(UpdateQuotationDocument, { id: q.id, input: { title: 'Late change' } }, admin)), 'CONFLICT');
    assert.equal(errorCode(await api.gql(DeleteQuotationDocument, { id: q.id }, admin)), 'CONFLICT');
    assert.equal((await api.gql(AcceptQuotationDocument, { id: q.id }, admin)).data!.acceptQuotation.status, 'ACCEPTED');
    assert.equal(errorCode(await api.gql(RejectQuotationDocument, { id: q.id }, admin)), 'CONFLICT');

    const empty = (await api.gql(CreateQuotationDocument, { input: { title: 'Empty' } }, admin)).data!.createQuotation;
    assert.equal(errorCode(await api.gql(SendQuotationDocument, { id: empty.id }, admin)), 'CONFLICT');
    const other = (await api.gql(CreateQuotationDocument, { input: { title: 'Rejected', items } }, admin)).data!.createQuotation;
    await api.gql(SendQuotationDocument, { id: other.id }, admin);
    assert.equal((await api.gql(RejectQuotationDocument, { id: other.id }, admin)).data!.rejectQuotation.status, 'REJECTED');
  });

  test('bad items name the field; sales sees only their own quotations', async () => {
    const bad = await api.gql(CreateQuotationDocument, { input: { title: 'Bad', items: [{ description: 'x', quantity: '0', unitPrice: '1' }] } }, admin);
    assert.equal(errorCode(bad), 'BAD_USER_INPUT');
    assert.equal(bad.errors![0].extensions!.field, 'items.0.quantity');
    const past = await api.gql(CreateQuotationDocument, { input: { title: 'Past', validUntil: '2000-01-01' } }, admin);
    assert.equal(past.errors![0].extensions!.field, 'validUntil');
    const adminQ = (await api.gql(CreateQuotationDocument, { input: { title: 'Admin only' } }, admin)).data!.createQuotation;
    assert.equal(errorCode(await api.gql(QuotationDocument, { id: adminQ.id }, sales)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(SendQuotationDocument, { id: adminQ.id }, sales)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(QuotationDocument, { id: adminQ.id }, globexAdmin)), 'NOT_FOUND');
    const mine = (await api.gql(CreateQuotationDocument, { input: { title: 'Sales own' } }, sales)).data!.createQuotation;
    assert.equal((await api.gql(QuotationDocument, { id: mine.id }, sales)).data!.quotation.id, mine.id);
  });
});

describe('activities', () => {
  test('linked to a record, completed, own scope', async () => {
    const lead = await newLead(admin);
    const noLink = await api.gql(CreateActivityDocument, { input: { type: 'CALL', subject: 'Call' } }, admin);
    assert.equal(errorCode(noLink), 'BAD_USER_INPUT');
    const a = (await api.gql(CreateActivityDocument, { input: { type: 'CALL', subject: 'Call Ada', leadId: lead.id, dueAt: '2026-12-01T10:00:00Z' } }, admin)).data!.createActivity;
    const done = await api.gql(UpdateActivityDocument, { id: a.id, input: { completed: true } }, admin);
    assert.ok(done.data!.updateActivity.completedAt);
    assert.equal(errorCode(await api.gql(ActivityDocument, { id: a.id }, sales)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(UpdateActivityDocument, { id: a.id, input: { subject: 'x' } }, sales)), 'NOT_FOUND');
    // Support has activity:read/write in all scope.
    assert.equal((await api.gql(ActivityDocument, { id: a.id }, support)).data!.activity.id, a.id);
  });
});

describe('sales targets', () => {
  test('achieved = won deals closed in the period, in the currency, of the employee', async () => {
    const emp = (await api.gql(CreateEmployeeDocument, { input: { code: 'T-100', firstName: 'Tara', lastName: 'Target', salary: '60000' } }, admin)).data!.createEmployee;
    const deal = async (value: string, closeDate: string, extra: Record<string, unknown> = {}) => {
      const d = (await api.gql(CreateDealDocument, { input: { title: `T ${value}`, value, assignedEmployeeId: emp.id, ...extra } }, admin)).data!.createDeal;
      await api.gql(WinDealDocument, { id: d.id, closeDate }, admin);
      return d;
    };
    await deal('1000.50', '2030-01-10');
    await deal('2000.25', '2030-03-31');
    await deal('400.00', '2030-04-01'); // after the period
    await deal('300.00', '2030-02-01', { currency: 'EUR' }); // other currency
    await deal('50.00', '2030-02-01', { assignedEmployeeId: null }); // not the employee's
    const lost = (await api.gql(CreateDealDocument, { input: { title: 'Lost', value: '999', assignedEmployeeId: emp.id } }, admin)).data!.createDeal;
    await api.gql(LoseDealDocument, { id: lost.id, reason: 'no', closeDate: '2030-02-02' }, admin);
    const t = await api.gql(CreateSalesTargetDocument, { input: { name: 'Q1 2030', employeeId: emp.id, periodStart: '2030-01-01', periodEnd: '2030-03-31', amount: '5000' } }, admin);
    assert.equal(t.errors, undefined, JSON.stringify(t.errors));
    assert.equal(t.data!.createSalesTarget.achieved, '3000.75');
    const org = await api.gql(CreateSalesTargetDocument, { input: { name: 'Org Q1', periodStart: '2030-01-01', periodEnd: '2030-03-31', amount: '5000' } }, admin);
    assert.equal(org.data!.createSalesTarget.achieved, '3050.75');
    assert.equal((await api.gql(SalesTargetDocument, { id: org.data!.createSalesTarget.id }, sales)).data!.salesTarget.achieved, '3050.75');
    const bad = await api.gql(CreateSalesTargetDocument, { input: { name: 'Bad', periodStart: '2030-05-01', periodEnd: '2030-04-01', amount: '1' } }, admin);
    assert.equal(bad.errors![0].extensions!.field, 'periodStart');
    assert.equal(errorCode(await api.gql(CreateSalesTargetDocument, { input: { name: 'x', periodStart: '2030-01-01', periodEnd: '2030-02-01', amount: '1' } }, sales)), 'FORBIDDEN');
  });
});

describe('employees', () => {
  test('salary only with employee:read_sensitive; codes unique', async () => {
    const e = (await api.gql(CreateEmployeeDocument, { input: { code: 'S-1', firstName: 'Sal', lastName: 'Ary', salary: '4200.50' } }, admin)).data!.createEmployee;
    assert.equal(e.salary, '4200.5');
    assert.equal((await api.gql(EmployeeDocument, { id: e.id }, sales)).data!.employee.salary, null);
    const dup = await api.gql(CreateEmployeeDocument, { input: { code: 'S-1', firstName: 'Dup', lastName: 'Licate' } }, admin);
    assert.equal(errorCode(dup), 'CONFLICT');
    assert.equal(dup.errors![0].extensions!.field, 'code');
    const audit = await api.sql(`select changes from audit_log where resource_id = $1`, [e.id]);
    assert.ok(audit.length > 0);
    const customer = await api.gql(CreateCustomerDocument, { input: { name: 'X', email: 'x@' } }, admin);
    assert.equal(customer.errors![0].extensions!.field, 'email');
  });
});
