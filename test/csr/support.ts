/** Shared lookups of the CSR tests: seeded rows by name, through the owner connection. */
import type { TestApi } from '../support/api';

export async function seeded(api: TestApi, org: 'acme' | 'globex' = 'acme') {
  const one = async (sql: string) => (await api.sql<{ id: string }>(sql, [org]))[0].id;
  const orgFilter = `organization_id = (select id from tenancy_organization where slug = $1)`;
  return {
    orgId: await one(`select id from tenancy_organization where slug = $1`),
    sunrise: await one(`select id from csr_partner where ${orgFilter} and name = 'Sunrise Education Trust'`),
    greenFields: await one(`select id from csr_partner where ${orgFilter} and name = 'Green Fields Cooperative'`),
    schools: await one(`select id from csr_project where ${orgFilter} and title = 'Rural Schools Program'`),
    camps: await one(`select id from csr_project where ${orgFilter} and title = 'Village Health Camps'`),
    irrigation: await one(`select id from csr_project where ${orgFilter} and title = 'Drip Irrigation Pilot'`),
    budget: await one(`select id from csr_budget where ${orgFilter} and financial_year = 2026`),
    education: await one(`select a.id from csr_budget_allocation a join csr_budget b on b.id = a.budget_id where b.${orgFilter} and a.sector = 'education'`),
    health: await one(`select a.id from csr_budget_allocation a join csr_budget b on b.id = a.budget_id where b.${orgFilter} and a.sector = 'health'`),
    survey: await one(`select id from csr_survey where ${orgFilter} and title = 'Parent satisfaction'`),
    kpi: await one(`select id from csr_kpi where ${orgFilter} and name = 'Children enrolled'`),
    classroom: await one(`select id from csr_milestone where ${orgFilter} and title = 'Classroom construction'`),
    campMilestone: await one(`select id from csr_milestone where ${orgFilter} and title = 'Camp schedule agreed'`),
    recipientUser: await one(`select id from identity_user where email = 'recipient@' || $1 || '.test'`),
  };
}
