/**
 * projects { partner milestones } as a csr_manager runs a constant number of SQL statements:
 * the page, one partner batch and one milestone batch, whatever the number of projects. Pages and
 * batches read the columns the query selects.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, type TestApi } from '../support/api';
import { CsrBudgetsDocument, CsrKpiDocument, CsrKpisDocument, CsrProjectMilestonesDocument, CsrProjectsNestedDocument } from '../__generated__/graphql';

let api: TestApi;

before(async () => {
  api = await startTestApi();
});
after(() => api.close());

async function addProjects(n: number): Promise<void> {
  await api.sql(
    `with org as (select id from tenancy_organization where slug = 'acme'),
          partners as (select id, row_number() over (order by id) as rn from csr_partner where organization_id = (select id from org)),
          made as (
            insert into csr_project (id, created_at, updated_at, organization_id, title, sector, status, actual_expenditure, partner_id)
            select gen_random_uuid(), now(), now(), (select id from org), 'Bulk ' || g, 'education', 'active', 0,
                   (select id from partners where rn = 1 + g % (select count(*) from partners))
              from generate_series(1, $1::int) g
            returning id, organization_id)
     insert into csr_milestone (id, created_at, updated_at, organization_id, project_id, title, completion_percentage, status, due_date)
     select gen_random_uuid(), now(), now(), organization_id, id, 'Step ' || s, 10 * s, 'in_progress', current_date + s from made, generate_series(1, 3) s`,
    [n],
  );
}

async function countFor(first: number) {
  const token = await api.login('csr_manager');
  const { value: res, statements } = await api.statementsDuring(() => api.gql(CsrProjectsNestedDocument, { first }, token));
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  const edges = res.data!.projects.edges;
  return { statements, projects: edges.length, milestones: edges.reduce((n, e) => n + e.node.milestones.length, 0), partners: edges.filter((e) => e.node.partner).length };
}

test('projects(first: 50) { partner milestones } runs the same small number of statements for 3 and for 50 projects', async () => {
  await api.login('csr_manager');
  const small = await countFor(3);
  await addProjects(60);
  const large = await countFor(50);
  assert.equal(small.projects, 3);
  assert.equal(large.projects, 50);
  assert.ok(large.milestones >= 150);
  assert.equal(large.partners, 50);
  assert.equal(large.statements, small.statements, `3 projects: ${small.statements} statements, 50 projects: ${large.statements}`);
  // begin with scope + viewer (app_open_request: one round trip), page, partner batch, milestone batch, commit
  assert.equal(large.statements, 6, `${large.statements} statements`);
});

test('a project’s milestones come in id order, whatever order PostgreSQL reads them in', async () => {
  const token = await api.login('csr_manager');
  const res = await api.gql(CsrProjectsNestedDocument, { first: 50 }, token);
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  const projects = res.data!.projects.edges.map((e) => e.node);
  // The first test's addProjects gave the page's milestones random (v4) ids: in the heap, most projects' are out of id order.
  const rows = await api.sql<{ project_id: string; ids: string[] }>(
    `select project_id, array_agg(id::text order by ctid) as ids from csr_milestone where project_id = any($1::uuid[]) group by project_id`,
    [projects.map((p) => p.id)],
  );
  const heapOrder = new Map(rows.map((r) => [r.project_id, r.ids]));
  const sorted = (ids: string[]) => [...ids].sort();
  assert.ok(rows.some((r) => r.ids.join() !== sorted(r.ids).join()), 'no project with its milestones out of id order in the heap');
  for (const p of projects) {
    const ids = p.milestones.map((m) => m.id);
    assert.deepEqual(ids, sorted(heapOrder.get(p.id) ?? []), `milestones of ${p.id} (in the page)`);
    // Alone, through the loader's own batch rather than the page's.
    const single = await api.gql(CsrProjectMilestonesDocument, { id: p.id }, token);
    assert.deepEqual(single.data!.project!.milestones.map((m) => m.id), ids, `milestones of ${p.id} (alone)`);
  }
});

test('budgets { allocations }: the page and the allocation batch read only the columns selected', async () => {
  const token = await api.login('csr_manager');
  const { value: res, texts } = await api.statementsDuring(() => api.gql(CsrBudgetsDocument, { first: 10 }, token));
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  assert.ok(res.data!.budgets.edges.some((e) => e.node.allocations.length > 0));
  const page = texts.find((t) => t.includes('from "csr_budget"'))!;
  const batch = texts.find((t) => t.includes('from "csr_budget_allocation"'))!;
  for (const column of ['"id"', '"financial_year"', '"total"']) assert.ok(page.includes(column), `${column} in ${page}`);
  assert.ok(!page.includes('"created_by_id"'), page);
  for (const column of ['"sector"', '"allocated"', '"spent"', '"budget_id"']) assert.ok(batch.includes(column), `${column} in ${batch}`);
  assert.ok(!batch.includes('"updated_at"'), batch);
});

test('kpis { progress }: the page reads what progress declares it needs, and progress equals the full row’s', async () => {
  const token = await api.login('csr_manager');
  const { value: res, texts } = await api.statementsDuring(() => api.gql(CsrKpisDocument, { first: 50 }, token));
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  const page = texts.find((t) => t.includes('from "csr_kpi"'))!;
  for (const column of ['"baseline"', '"target"', '"current"']) assert.ok(page.includes(column), `${column} in ${page}`);
  assert.ok(!page.includes('"unit"'), page);
  const kpis = res.data!.kpis.edges.map((e) => e.node);
  assert.ok(kpis.length > 0);
  // kpi(id) reads the whole row.
  for (const k of kpis) assert.equal(k.progress, (await api.gql(CsrKpiDocument, { id: k.id }, token)).data!.kpi.progress, k.id);
});
