/**
 * The rows bench:read reads, written set-based as the owner on top of the demo seed: in each demo
 * organization, partners and projects with ten milestones each (the CSR list), and customers,
 * employees and deals spread over the default pipeline's open stages (the CRM list).
 *
 * Rows are as the app would have written them over time: ids are UUIDv7 of their creation time
 * (what Tessera generates; random v4 ids would scatter a page's rows over an index that the
 * app's own keeps together), and rows go into the tables oldest first.
 */
import { Client } from 'pg';

export interface DatasetSize {
  projectsPerTenant: number;
  milestonesPerProject: number;
  partnersPerTenant: number;
  dealsPerTenant: number;
}

export async function writeDataset(ownerUrl: string, size: DatasetSize): Promise<void> {
  const db = new Client({ connectionString: ownerUrl });
  await db.connect();
  try {
    await db.query('begin');
    // UUIDv7 of a time: its milliseconds in the first 48 bits, version 7, the rest random.
    await db.query(`create function pg_temp.uuid_v7(at timestamptz) returns uuid language sql volatile as $$
      select encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
        placing substring(int8send(floor(extract(epoch from at) * 1000)::bigint) from 3) from 1 for 6), 52, 1), 53, 1), 'hex')::uuid $$`);
    const { rows: orgs } = await db.query<{ id: string }>(`select id from tenancy_organization where slug in ('acme', 'globex') order by slug`);
    for (const { id: org } of orgs) {
      await db.query(
        `insert into csr_partner (id, created_at, updated_at, organization_id, name, type, mou_signed, active)
         select pg_temp.uuid_v7(at), at, at, $1, 'Partner ' || lpad(i::text, 4, '0'), 'recipient_partner', i % 3 <> 0, true
         from generate_series(1, $2) i, lateral (select now() - interval '30 days' + make_interval(secs => i)) t(at)
         order by i`,
        [org, size.partnersPerTenant],
      );
      // Distinct creation times (project i, i seconds ago), so that the default order (newest first) is stable.
      await db.query(
        `with partners as (select array_agg(id order by name) ids from csr_partner where organization_id = $1)
         insert into csr_project (id, created_at, updated_at, organization_id, title, description, sector, status, start_date, end_date,
                                  estimated_budget, actual_expenditure, partner_id)
         select pg_temp.uuid_v7(at), at, at, $1, 'Project ' || lpad(i::text, 5, '0'),
                'A ' || (array['school', 'clinic', 'road', 'farm', 'water'])[1 + i % 5] || ' programme',
                (array['education', 'health', 'infrastructure', 'agriculture', 'other'])[1 + i % 5]::csr_sector,
                (array['planning', 'active', 'active', 'on_hold', 'completed'])[1 + i % 5]::csr_project_status,
                date '2026-01-01' + (i % 200), date '2027-01-01' + (i % 200), (100000 + i * 10)::numeric(18, 2), 0,
                partners.ids[1 + i % array_length(partners.ids, 1)]
         from generate_series(1, $2) i, lateral (select now() - make_interval(secs => i)) t(at), partners
         order by i desc`,
        [org, size.projectsPerTenant],
      );
      await db.query(
        `insert into csr_milestone (id, created_at, updated_at, organization_id, project_id, title, due_date, completion_percentage, status)
         select pg_temp.uuid_v7(at), at, at, $1, p.id, 'Milestone ' || m, p.start_date + m * 20, (m * 10) % 101,
                (case when m <= 3 then 'completed' when m <= 6 then 'in_progress' else 'pending' end)::csr_milestone_status
         from csr_project p, generate_series(1, $2) m, lateral (select p.created_at + make_interval(secs => m * 0.05)) t(at)
         where p.organization_id = $1
         order by at`,
        [org, size.milestonesPerProject],
      );
      await db.query(
        `insert into crm_employee (id, created_at, updated_at, organization_id, code, first_name, last_name, email, department, employment_type)
         select pg_temp.uuid_v7(at), at, at, $1, 'E' || lpad(i::text, 4, '0'), 'Employee', 'No ' || i, 'employee' || i || '@example.test', 'Sales', 'full_time'
         from generate_series(1, 50) i, lateral (select now() - interval '30 days' + make_interval(secs => i)) t(at)
         order by i`,
        [org],
      );
      await db.query(
        `insert into crm_customer (id, created_at, updated_at, organization_id, name, customer_type, company_name, email, status, industry)
         select pg_temp.uuid_v7(at), at, at, $1, 'Customer ' || lpad(i::text, 4, '0'), 'business', 'Company ' || i, 'customer' || i || '@example.test',
                (array['active', 'prospect', 'vip'])[1 + i % 3]::crm_customer_status, (array['retail', 'finance', 'health'])[1 + i % 3]
         from generate_series(1, 200) i, lateral (select now() - interval '29 days' + make_interval(secs => i)) t(at)
         order by i`,
        [org],
      );
      await db.query(
        `with stages as (select array_agg(s.id order by s.position) ids from crm_pipeline_stage s
                           join crm_pipeline p on p.id = s.pipeline_id and p.is_default where s.organization_id = $1 and s.kind = 'open'),
              customers as (select array_agg(id order by name) ids from crm_customer where organization_id = $1),
              employees as (select array_agg(id order by code) ids from crm_employee where organization_id = $1),
              pipeline as (select id from crm_pipeline where organization_id = $1 and is_default)
         insert into crm_deal (id, created_at, updated_at, organization_id, title, customer_id, pipeline_id, stage_id, assigned_employee_id,
                               value, currency, probability, priority, status, expected_close_date)
         select pg_temp.uuid_v7(at), at, at, $1, 'Deal ' || lpad(i::text, 5, '0'),
                customers.ids[1 + i % array_length(customers.ids, 1)], pipeline.id, stages.ids[1 + i % array_length(stages.ids, 1)],
                employees.ids[1 + i % array_length(employees.ids, 1)], (1000 + i * 7)::numeric(18, 2), 'USD', (i * 13) % 101,
                (array['low', 'medium', 'high', 'urgent'])[1 + i % 4]::crm_deal_priority, 'open', date '2027-01-01' + (i % 300)
         from generate_series(1, $2) i, lateral (select now() - make_interval(secs => i)) t(at), stages, customers, employees, pipeline
         order by i desc`,
        [org, size.dealsPerTenant],
      );
    }
    await db.query('commit');
    await db.query('analyze');
  } catch (err) {
    await db.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    await db.end();
  }
}
