/**
 * The write side of bench:read: createMilestone, updateMilestoneProgress (to 100 %) and
 * approveMilestone through Tessera as a csr_manager, each phase measured on its own: mutations
 * per second at a fixed concurrency and the SQL statements each one costs (audit included).
 */
import { Client } from 'pg';
import { post, statementsExecuted } from './measure';

interface Phase {
  name: string;
  perSecond: number;
  statementsPerMutation: number;
}

const gql = (url: string, token: string, query: string, variables: Record<string, unknown>) =>
  post(url, JSON.stringify({ query, variables }), { authorization: `Bearer ${token}` });

/** Runs `count` calls of `one(i)` with `concurrency` in flight. */
async function pool(count: number, concurrency: number, one: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await one(next++);
    }),
  );
}

export async function measureWrites(opts: { url: string; token: string; ownerUrl: string; organizationId: string; count: number; concurrency: number }): Promise<Phase[]> {
  const db = new Client({ connectionString: opts.ownerUrl });
  await db.connect();
  const { rows } = await db.query<{ id: string }>(
    `select id from csr_project where organization_id = $1 and status in ('planning', 'active', 'on_hold') order by id limit 200`,
    [opts.organizationId],
  );
  await db.end();
  const ids: string[] = [];
  const phases: Phase[] = [];
  const phase = async (name: string, one: (i: number) => Promise<void>) => {
    const before = await statementsExecuted(opts.ownerUrl);
    const started = performance.now();
    await pool(opts.count, opts.concurrency, one);
    const seconds = (performance.now() - started) / 1000;
    const statements = (await statementsExecuted(opts.ownerUrl)) - before - 1;
    phases.push({ name, perSecond: opts.count / seconds, statementsPerMutation: statements / opts.count });
  };
  await phase('createMilestone', async (i) => {
    const data = await gql(opts.url, opts.token, 'mutation($input: CreateMilestoneInput!) { createMilestone(input: $input) { id } }', {
      input: { projectId: rows[i % rows.length].id, title: `Bench milestone ${i}`, dueDate: '2027-06-30' },
    });
    ids[i] = data.createMilestone.id;
  });
  await phase('updateMilestoneProgress (100 %)', async (i) => {
    await gql(opts.url, opts.token, 'mutation($id: ID!) { updateMilestoneProgress(id: $id, completionPercentage: 100) { id status } }', { id: ids[i] });
  });
  await phase('approveMilestone', async (i) => {
    const data = await gql(opts.url, opts.token, 'mutation($id: ID!) { approveMilestone(id: $id) { id status } }', { id: ids[i] });
    if (data.approveMilestone.status !== 'APPROVED') throw new Error(`milestone ${ids[i]} not approved`);
  });
  return phases;
}
