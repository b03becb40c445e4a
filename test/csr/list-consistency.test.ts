/**
 * A list page and the relations read with it (in the page's round trip, each statement running
 * the page again as its subquery) describe the same rows, even when rows enter the list between
 * those statements: at READ COMMITTED each statement sees what was committed before it started.
 * The milestone table is locked so that the milestone statement waits after the page statement
 * has run, while projects are added to the top of the list. A row the page's relation statement
 * found nothing for is read again by its loader, alone: so is a project without milestones.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { APP_ROLE } from '../../src/core/db/database';
import { startTestApi, type TestApi } from '../support/api';
import { CsrProjectsNestedDocument } from '../__generated__/graphql';

let api: TestApi;

before(async () => {
  api = await startTestApi();
});
after(() => api.close());

/** `count` projects of acme at the top of the list (created `hoursAhead` from now), returning their ids. */
async function addProjects(title: string, count: number, hoursAhead: number): Promise<string[]> {
  const rows = await api.sql<{ id: string }>(
    `insert into csr_project (id, created_at, updated_at, organization_id, title, sector, status, actual_expenditure)
     select gen_random_uuid(), now() + make_interval(hours => $3::int, secs => g), now(), (select id from tenancy_organization where slug = 'acme'), $1 || ' ' || g, 'education', 'active', 0
       from generate_series(1, $2::int) g
     returning id`,
    [title, count, hoursAhead],
  );
  return rows.map((r) => r.id);
}

async function untilWaitingOnLock(): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const [{ waiting }] = await api.sql<{ waiting: number }>(
      `select count(*)::int as waiting from pg_stat_activity where datname = current_database() and usename = $1 and wait_event_type = 'Lock'`,
      [APP_ROLE],
    );
    if (waiting > 0) return;
    if (Date.now() > deadline) throw new Error('the request never waited for the milestone table');
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('projects added to the top of the list between the page and its milestones do not empty the page’s last projects’ milestones', async () => {
  const token = await api.login('csr_manager');
  const listed = await addProjects('Listed', 5, 1);
  await api.sql(
    `insert into csr_milestone (id, created_at, updated_at, organization_id, project_id, title, completion_percentage, status, due_date)
     select gen_random_uuid(), now(), now(), p.organization_id, p.id, 'Step ' || s, 10 * s, 'in_progress', current_date + s
       from csr_project p, generate_series(1, 3) s where p.id = any($1::uuid[])`,
    [listed],
  );
  const locker = new Client({ connectionString: api.ownerUrl });
  await locker.connect();
  try {
    await locker.query('begin');
    await locker.query('lock table csr_milestone in access exclusive mode');
    const response = api.gql(CsrProjectsNestedDocument, { first: 5 }, token);
    await untilWaitingOnLock();
    // Committed while the request's milestone statement waits (projects only: an insert into
    // csr_milestone would wait too): its page subquery sees them, the page did not.
    await addProjects('Newer', 3, 2);
    await locker.query('commit');
    const res = await response;
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const projects = res.data!.projects.edges.map((e) => e.node);
    assert.deepEqual(
      projects.map((p) => p.title),
      ['Listed 5', 'Listed 4', 'Listed 3', 'Listed 2', 'Listed 1'],
    );
    const stored = await api.sql<{ project_id: string; ids: string[] }>(
      `select project_id, array_agg(id::text order by id) as ids from csr_milestone where project_id = any($1::uuid[]) group by project_id`,
      [projects.map((p) => p.id)],
    );
    const idsOf = new Map(stored.map((r) => [r.project_id, r.ids]));
    for (const p of projects) {
      assert.equal(idsOf.get(p.id)?.length, 3, p.title);
      assert.deepEqual(p.milestones.map((m) => m.id), idsOf.get(p.id), `milestones of ${p.title}`);
    }
  } finally {
    await locker.end();
  }
});

test('projects without milestones list none (read by the loader, not with the page)', async () => {
  const token = await api.login('csr_manager');
  await addProjects('Bare', 2, 3);
  const { value: res, texts } = await api.statementsDuring(() => api.gql(CsrProjectsNestedDocument, { first: 2 }, token));
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  assert.deepEqual(
    res.data!.projects.edges.map((e) => [e.node.title, e.node.milestones]),
    [
      ['Bare 2', []],
      ['Bare 1', []],
    ],
  );
  // The page's milestone statement, then the loader's batch for the two projects it found none for.
  assert.equal(texts.filter((t) => t.includes('from "csr_milestone"')).length, 2, texts.join('\n'));
});
