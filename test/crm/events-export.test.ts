/**
 * CRM events and exports: dealStageChanged and leadConverted reach the subscribers allowed to see
 * the record (own scope for sales, never another tenant); exports run as background jobs whose
 * CSV file is downloadable; nested deal lists cost a constant number of SQL statements.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { startTestApi, errorCode, type TestApi } from '../support/api';
import { connectWs, record, sleep, type WsConnection } from '../support/ws';
import {
  BackgroundJobDocument, ConvertLeadDocument, CreateDealDocument, CreateLeadDocument, DealDocument, DealStageChangedDocument, DealsDocument, DealsNestedDocument,
  DealsNestedPagedDocument, DealsWithLeadDocument,
  EmployeesDocument, ExportCustomersDocument, ExportDealsDocument, ExportLeadsDocument, FileDocument, FilesDocument, FilesWithDownloadUrlDocument, LeadConvertedDocument,
  MoveDealToStageDocument, PipelinesDocument, WinDealDocument,
} from '../__generated__/graphql';

const SUBSCRIBED = 300;
let api: TestApi;
let admin: string;
let sales: string;
let globexAdmin: string;
let salesEmployeeId: string;
let stageIds: string[];
const sockets: WsConnection[] = [];
const ws = (token: string) => {
  const conn = connectWs(api.server.url, token);
  sockets.push(conn);
  return conn;
};

before(async () => {
  api = await startTestApi({ workers: true });
  admin = await api.login('admin', 'acme');
  sales = await api.login('sales', 'acme');
  globexAdmin = await api.login('admin', 'globex');
  salesEmployeeId = (await api.gql(EmployeesDocument, { filter: { code: { eq: 'E-001' } } }, admin)).data!.employees.edges[0].node.id;
  stageIds = (await api.gql(PipelinesDocument, {}, admin)).data!.pipelines.edges.find((e) => e.node.isDefault)!.node.stages.map((s) => s.id);
});
after(async () => {
  await Promise.all(sockets.map((s) => s.dispose()));
  await api.close();
});

describe('subscriptions', () => {
  test('dealStageChanged: admin sees every deal, sales only theirs, globex nothing', async () => {
    const adminSub = record(ws(admin), DealStageChangedDocument, {});
    const salesSub = record(ws(sales), DealStageChangedDocument, {});
    const globexSub = record(ws(globexAdmin), DealStageChangedDocument, {});
    await sleep(SUBSCRIBED);
    const others = (await api.gql(CreateDealDocument, { input: { title: 'Admin deal', value: '100' } }, admin)).data!.createDeal;
    const assigned = (await api.gql(CreateDealDocument, { input: { title: 'Assigned to sales', value: '200', assignedEmployeeId: salesEmployeeId } }, admin)).data!.createDeal;
    await api.gql(MoveDealToStageDocument, { id: others.id, stageId: stageIds[1] }, admin);
    await api.gql(MoveDealToStageDocument, { id: assigned.id, stageId: stageIds[2] }, admin);
    await api.gql(WinDealDocument, { id: assigned.id }, sales);
    const events = await adminSub.waitForEvents(3);
    assert.deepEqual(events.map((e) => [e.dealStageChanged.dealId, e.dealStageChanged.toStageId, e.dealStageChanged.status]), [
      [others.id, stageIds[1], 'OPEN'], [assigned.id, stageIds[2], 'OPEN'], [assigned.id, stageIds[4], 'WON'],
    ]);
    const salesEvents = await salesSub.waitForEvents(2);
    await sleep(200);
    assert.deepEqual(salesSub.events.map((e) => e.dealStageChanged.dealId), [assigned.id, assigned.id]);
    assert.equal(salesEvents[0].dealStageChanged.probability, 50);
    assert.equal(globexSub.events.length, 0);
  });

  test('leadConverted: tenant-scoped and own-scoped; a role without lead:read is refused', async () => {
    const adminSub = record(ws(admin), LeadConvertedDocument);
    const salesSub = record(ws(sales), LeadConvertedDocument);
    const globexSub = record(ws(globexAdmin), LeadConvertedDocument);
    const support = record(ws(await api.login('support', 'acme')), LeadConvertedDocument);
    await support.waitForEnd();
    assert.equal(support.errors[0].extensions?.code, 'FORBIDDEN');
    await sleep(SUBSCRIBED);
    const notMine = (await api.gql(CreateLeadDocument, { input: { name: 'Not Sales' } }, admin)).data!.createLead;
    const mine = (await api.gql(CreateLeadDocument, { input: { name: 'Sales Own', estimatedValue: '10' } }, sales)).data!.createLead;
    await api.gql(ConvertLeadDocument, { id: notMine.id }, admin);
    const conv = (await api.gql(ConvertLeadDocument, { id: mine.id, input: { createDeal: true } }, sales)).data!.convertLead;
    const events = await adminSub.waitForEvents(2);
    assert.deepEqual(events.map((e) => e.leadConverted.leadId), [notMine.id, mine.id]);
    await salesSub.waitForEvents(1);
    await sleep(200);
    assert.deepEqual(salesSub.events.map((e) => [e.leadConverted.leadId, e.leadConverted.customerId, e.leadConverted.dealId]), [[mine.id, conv.customer.id, conv.deal!.id]]);
    assert.equal(globexSub.events.length, 0);
  });
});

async function waitForJob(id: string, token: string) {
  await api.drainJobs();
  const job = (await api.gql(BackgroundJobDocument, { id }, token)).data!.backgroundJob;
  assert.equal(job.status, 'COMPLETED', JSON.stringify(job));
  return job;
}

async function download(fileId: string, token: string): Promise<Record<string, string>[]> {
  const file = (await api.gql(FileDocument, { id: fileId }, token)).data!.file;
  assert.equal(file.mimeType, 'text/csv');
  // The URL names the public address; the test server listens on its own port.
  const u = new URL(file.downloadUrl!);
  const res = await fetch(`http://127.0.0.1:${api.server.port}${u.pathname}${u.search}`);
  assert.equal(res.status, 200);
  return parse(await res.text(), { columns: true }) as Record<string, string>[];
}

describe('exports', () => {
  test('exportLeads: the filtered leads as CSV, in the caller’s scope', async () => {
    for (const [name, score] of [['Exp One', 91], ['Exp Two', 92], ['Exp, "Quoted"', 93]] as const) {
      await api.gql(CreateLeadDocument, { input: { name, score, email: `${score}@export.test`, company: 'Exporters' } }, admin);
    }
    await api.gql(CreateLeadDocument, { input: { name: 'Exp Sales', score: 94, company: 'Exporters' } }, sales);
    const job = (await api.gql(ExportLeadsDocument, { filter: { score: { gte: 91 } }, search: 'exporters' }, admin)).data!.exportLeads;
    assert.equal(job.status, 'QUEUED');
    const done = await waitForJob(job.id, admin);
    assert.equal(done.result!.rows, 4);
    const rows = await download(done.result!.fileId as string, admin);
    assert.deepEqual(rows.map((r) => [r.name, r.score, r.company]).sort(), [['Exp One', '91', 'Exporters'], ['Exp Sales', '94', 'Exporters'], ['Exp Two', '92', 'Exporters'], ['Exp, "Quoted"', '93', 'Exporters']]);
    assert.equal(rows.find((r) => r.name === 'Exp One')!.email, '91@export.test');

    const salesJob = (await api.gql(ExportLeadsDocument, { search: 'exporters' }, sales)).data!.exportLeads;
    const salesDone = await waitForJob(salesJob.id, sales);
    assert.deepEqual((await download(salesDone.result!.fileId as string, sales)).map((r) => r.name), ['Exp Sales']);
    // Another tenant cannot see the job.
    assert.equal(errorCode(await api.gql(BackgroundJobDocument, { id: job.id }, globexAdmin)), 'NOT_FOUND');
  });

  test('exportDeals and exportCustomers with filters; refusals', async () => {
    const job = (await api.gql(ExportDealsDocument, { filter: { customer: { industry: { eq: 'Healthcare' } } } }, admin)).data!.exportDeals;
    const rows = await download((await waitForJob(job.id, admin)).result!.fileId as string, admin);
    // Seed: Umbrella Health (Healthcare) has two deals, 45000 @50 and 12000 @75.
    assert.deepEqual(rows.map((r) => [r.title, r.value, r.expected_revenue]).sort(), [['Umbrella rollout', '45000.00', '22500'], ['Umbrella support plan', '12000.00', '9000']]);
    const cjob = (await api.gql(ExportCustomersDocument, { filter: { status: { eq: 'VIP' } } }, admin)).data!.exportCustomers;
    const crow = await download((await waitForJob(cjob.id, admin)).result!.fileId as string, admin);
    assert.deepEqual(crow.map((r) => r.name), ['Umbrella Health']);
    const bad = await api.gql(ExportLeadsDocument, { search: 'x'.repeat(300) }, admin);
    assert.equal(errorCode(bad), 'BAD_USER_INPUT');
    assert.equal(errorCode(await api.gql(ExportLeadsDocument, {}, await api.login('support', 'acme'))), 'FORBIDDEN');
  });
});

describe('statement count', () => {
  test('deals { customer stage assignedEmployee } costs the same number of statements for 4 and 60 deals', async () => {
    const [org] = await api.sql<{ id: string }>(`select id from tenancy_organization where slug = 'globex'`);
    const token = globexAdmin;
    const run = async (first: number) => {
      const { value: res, statements } = await api.statementsDuring(() => api.gql(DealsNestedDocument, { first }, token));
      assert.equal(res.errors, undefined);
      return { statements, n: res.data!.deals.edges.length, withRelations: res.data!.deals.edges.filter((e) => e.node.customer && e.node.stage && e.node.assignedEmployee).length };
    };
    await run(4);
    const small = await run(4);
    // 60 more deals, each with its own customer and employee, straight into the database.
    await api.sql(
      `with s as (select id from crm_pipeline_stage where organization_id = $1 order by position limit 1),
            p as (select pipeline_id as id from crm_pipeline_stage where id = (select id from s)),
            c as (insert into crm_customer (id, created_at, updated_at, organization_id, name, customer_type, status)
                  select gen_random_uuid(), now(), now(), $1, 'Bulk ' || g, 'business', 'active' from generate_series(1, 60) g returning id),
            e as (insert into crm_employee (id, created_at, updated_at, organization_id, code, first_name, last_name, employment_type, is_active)
                  select gen_random_uuid(), now(), now(), $1, 'B-' || g, 'Bulk', 'Rep ' || g, 'full_time', true from generate_series(1, 60) g returning id),
            pairs as (select c.id as cid, e.id as eid from (select id, row_number() over () n from c) c join (select id, row_number() over () n from e) e using (n))
       insert into crm_deal (id, created_at, updated_at, organization_id, title, customer_id, pipeline_id, stage_id, assigned_employee_id, value, currency, probability, priority, status)
       select gen_random_uuid(), now() + interval '1 day', now(), $1, 'Bulk deal', cid, (select id from p), (select id from s), eid, 100, 'USD', 10, 'medium', 'open' from pairs`,
      [org.id],
    );
    const large = await run(60);
    assert.equal(small.n, 4); // the seeded deals
    assert.equal(large.n, 60);
    assert.equal(large.withRelations, 60);
    assert.equal(large.statements, small.statements, `4 deals: ${small.statements} statements, 60 deals: ${large.statements}`);
    // begin with scope + viewer (app_open_request: one round trip), page, customer, stage and employee batches, commit
    assert.equal(large.statements, 7, `${large.statements} statements`);
  });

  test('deals { customer stage assignedEmployee }: the page reads them with it, as each deal alone would show them, null where there is none', async () => {
    const [before] = await api.sql<{ id: string; customer_id: string; assigned_employee_id: string }>(
      `select id, customer_id, assigned_employee_id from crm_deal where organization_id = (select id from tenancy_organization where slug = 'globex') order by created_at desc limit 1`,
    );
    const bare = before.id;
    await api.sql('update crm_deal set customer_id = null, assigned_employee_id = null where id = $1', [bare]);
    const { value: res, texts } = await api.statementsDuring(() => api.gql(DealsNestedDocument, { first: 20 }, globexAdmin));
    await api.sql('update crm_deal set customer_id = $2, assigned_employee_id = $3 where id = $1', [bare, before.customer_id, before.assigned_employee_id]);
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const deals = res.data!.deals.edges.map((e) => e.node);
    assert.ok(deals.length >= 5);
    // Each relation in one statement with the page as its subquery: no loader batch of their own.
    for (const table of ['crm_customer', 'crm_pipeline_stage', 'crm_employee']) {
      const reads = texts.filter((t) => t.includes(`from "${table}"`));
      assert.equal(reads.length, 1, reads.join(' | '));
      assert.match(reads[0], /any\(array\(select page\./);
    }
    const alone = deals.find((d) => d.id === bare)!;
    assert.deepEqual([alone.customer, alone.assignedEmployee], [null, null]);
    for (const deal of deals.filter((d) => d.id !== bare).slice(0, 5)) {
      const one = (await api.gql(DealDocument, { id: deal.id }, globexAdmin)).data!.deal;
      assert.deepEqual(deal.customer, one.customer);
      assert.deepEqual({ id: deal.stage.id, name: deal.stage.name }, one.stage);
    }
  });

  test('a list filtered by lists of values runs the same statements for one value and for three', async () => {
    const texts = async (currencies: string[]) => {
      const { value: res, texts } = await api.statementsDuring(() => api.gql(DealsDocument, { filter: { currency: { in: currencies } }, first: 50 }, globexAdmin));
      assert.equal(res.errors, undefined, JSON.stringify(res.errors));
      return { texts, currencies: new Set(res.data!.deals.edges.map((e) => e.node.currency)) };
    };
    const one = await texts(['USD']);
    const three = await texts(['USD', 'EUR', 'GBP']);
    const none = await texts(['XXX', 'YYY']);
    const empty = await texts([]);
    assert.equal(empty.currencies.size, 0);
    assert.deepEqual(empty.texts, one.texts);
    assert.deepEqual([...one.currencies], ['USD']);
    assert.ok(three.currencies.size >= 1 && [...three.currencies].every((c) => ['USD', 'EUR', 'GBP'].includes(c)));
    assert.equal(none.currencies.size, 0);
    // The values are one array parameter: the page (a prepared statement) has one text.
    assert.deepEqual(three.texts, one.texts);
    assert.deepEqual(none.texts, one.texts);
  });

  test('a page reads the columns its selection needs: relation fields say which, others read every column', async () => {
    const pageOf = (texts: string[]) => texts.find((t) => t.includes('from "crm_deal"'))!;
    const nested = await api.statementsDuring(() => api.gql(DealsNestedDocument, { first: 5 }, globexAdmin));
    assert.ok(nested.value.data!.deals.edges.every((e) => e.node.customer && e.node.stage));
    const narrow = pageOf(nested.texts);
    for (const column of ['"id"', '"title"', '"value"', '"customer_id"', '"stage_id"', '"assigned_employee_id"']) assert.ok(narrow.includes(column), `${column} in ${narrow}`);
    // No cursor selected: the page is still ordered by created_at, but does not read it.
    for (const column of ['"description"', '"lost_reason"', '"pipeline_id"', '"created_at" as']) assert.ok(!narrow.includes(column), `${column} not in ${narrow}`);
    assert.match(narrow, /order by "created_at" desc, "id" desc/);
    // `lead` declares it reads the deal's leadId.
    const withLead = await api.statementsDuring(() => api.gql(DealsWithLeadDocument, { first: 5 }, globexAdmin));
    assert.equal(withLead.value.errors, undefined, JSON.stringify(withLead.value.errors));
    assert.ok(pageOf(withLead.texts).includes('"lead_id"'));
    assert.ok(!pageOf(withLead.texts).includes('"description"'));
    // File.downloadUrl does not declare what it reads of the file: the page reads every column.
    const filePage = async (read: () => Promise<{ errors?: unknown }>) => {
      const { value, texts } = await api.statementsDuring(read);
      assert.equal(value.errors, undefined, JSON.stringify(value.errors));
      return texts.find((t) => t.includes('from "files_file"'))!;
    };
    assert.ok(!(await filePage(() => api.gql(FilesDocument, { first: 5 }, globexAdmin))).includes('"sha256"'));
    assert.ok((await filePage(() => api.gql(FilesWithDownloadUrlDocument, { first: 5 }, globexAdmin))).includes('"sha256"'));
  });

  test('a page whose selection has a cursor reads its ordering columns, and the next page follows on from that cursor', async () => {
    const all = (await api.gql(DealsDocument, { first: 6 }, globexAdmin)).data!.deals.edges.map((e) => e.node.id);
    const first = await api.statementsDuring(() => api.gql(DealsNestedPagedDocument, { first: 3 }, globexAdmin));
    assert.equal(first.value.errors, undefined, JSON.stringify(first.value.errors));
    assert.ok(first.texts.find((t) => t.includes('from "crm_deal"'))!.includes('"created_at" as "createdAt"'));
    const page1 = first.value.data!.deals;
    assert.equal(page1.pageInfo.hasNextPage, true);
    const page2 = (await api.gql(DealsNestedPagedDocument, { first: 3, after: page1.pageInfo.endCursor }, globexAdmin)).data!.deals;
    assert.deepEqual([...page1.edges, ...page2.edges].map((e) => e.node.id), all);
  });
});
