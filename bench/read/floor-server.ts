/**
 * The floor of bench:read: the same JSON the GraphQL servers return, built from hand-written SQL
 * through node-postgres in a bare node:http handler: one statement per level of the list, no
 * transaction, the organization given explicitly. Nothing a real API needs (auth, limits,
 * validation) is here; it is what the data costs, not a server to copy.
 *
 * Env: DATABASE_URL (a role that bypasses row-level security), ORGANIZATION_ID, PORT.
 * Prints `listening <port>` once ready.
 */
import http from 'node:http';
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const org = process.env.ORGANIZATION_ID!;

type Row = Record<string, unknown>;
const groupBy = (rows: Row[], key: string) => {
  const groups = new Map<unknown, Row[]>();
  for (const r of rows) {
    const k = r[key];
    delete r[key];
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(r);
  }
  return groups;
};

async function projects(): Promise<unknown> {
  const { rows } = await pool.query(
    `select id, title, status, sector, partner_id from csr_project where organization_id = $1 order by created_at desc, id desc limit 50`,
    [org],
  );
  const partnerIds = [...new Set(rows.map((r) => r.partner_id).filter(Boolean))];
  const [partners, milestones] = await Promise.all([
    pool.query(`select id, name from csr_partner where id = any($1::uuid[])`, [partnerIds]),
    pool.query(
      `select project_id, id, title, status, completion_percentage as "completionPercentage", to_char(due_date, 'YYYY-MM-DD') as "dueDate"
       from csr_milestone where project_id = any($1::uuid[]) order by id`,
      [rows.map((r) => r.id)],
    ),
  ]);
  const partnerById = new Map(partners.rows.map((p) => [p.id, p]));
  const milestonesOf = groupBy(milestones.rows, 'project_id');
  return {
    projects: {
      edges: rows.map((r) => ({
        node: {
          id: r.id,
          title: r.title,
          status: String(r.status).toUpperCase(),
          sector: String(r.sector).toUpperCase(),
          partner: partnerById.get(r.partner_id) ?? null,
          milestones: (milestonesOf.get(r.id) ?? []).map((m) => ({ ...m, status: String(m.status).toUpperCase() })),
        },
      })),
    },
  };
}

async function deals(): Promise<unknown> {
  const { rows } = await pool.query(
    `select id, title, value, currency, probability, customer_id, stage_id, assigned_employee_id from crm_deal
     where organization_id = $1 and deleted_at is null order by created_at desc, id desc limit 50`,
    [org],
  );
  const ids = (key: string) => [...new Set(rows.map((r) => r[key]).filter(Boolean))];
  const [customers, stages, employees] = await Promise.all([
    pool.query(`select id, name from crm_customer where id = any($1::uuid[])`, [ids('customer_id')]),
    pool.query(`select id, name, probability from crm_pipeline_stage where id = any($1::uuid[])`, [ids('stage_id')]),
    pool.query(`select id, first_name as "firstName", last_name as "lastName" from crm_employee where id = any($1::uuid[])`, [ids('assigned_employee_id')]),
  ]);
  const byId = (result: { rows: Row[] }) => new Map(result.rows.map((r) => [r.id, r]));
  const [customerById, stageById, employeeById] = [byId(customers), byId(stages), byId(employees)];
  return {
    deals: {
      edges: rows.map((r) => ({
        node: {
          id: r.id,
          title: r.title,
          value: r.value,
          currency: r.currency,
          probability: r.probability,
          customer: customerById.get(r.customer_id) ?? null,
          stage: stageById.get(r.stage_id),
          assignedEmployee: employeeById.get(r.assigned_employee_id) ?? null,
        },
      })),
    },
  };
}

const lists: Record<string, () => Promise<unknown>> = { '/projects': projects, '/deals': deals };

const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const list = lists[req.url ?? ''];
    if (!list) {
      res.writeHead(404).end();
      return;
    }
    list().then(
      (data) => {
        const body = JSON.stringify({ data });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      },
      (err: Error) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(err.message);
      },
    );
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening ${(server.address() as { port: number }).port}`);
});
