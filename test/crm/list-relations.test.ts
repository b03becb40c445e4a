/**
 * The CRM lists' relation fields (a customer's assigned employee, a contact's customer, …) are
 * read in their page's round trip, each one statement with the page as its subquery, reading
 * the columns the client selected; what they return is the row the foreign key names.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, type TestApi } from '../support/api';
import { ConvertLeadDocument, CrmListRelationsDocument } from '../__generated__/graphql';

let api: TestApi;

before(async () => {
  api = await startTestApi();
});
after(() => api.close());

type Node = { id: string } & Record<string, { id: string } | null | string>;

/** Each list's relations: the field, the parent's table and foreign key, the related table, a column selected and one not. */
const RELATIONS = [
  { list: 'customers', field: 'assignedEmployee', table: 'crm_customer', fk: 'assigned_employee_id', related: 'crm_employee', selected: 'first_name', unselected: 'email' },
  { list: 'contacts', field: 'customer', table: 'crm_contact', fk: 'customer_id', related: 'crm_customer', selected: 'name', unselected: 'email' },
  { list: 'leads', field: 'assignedEmployee', table: 'crm_lead', fk: 'assigned_employee_id', related: 'crm_employee', selected: 'last_name', unselected: 'email' },
  { list: 'leads', field: 'convertedCustomer', table: 'crm_lead', fk: 'converted_customer_id', related: 'crm_customer', selected: 'name', unselected: 'email' },
  { list: 'deals', field: 'contact', table: 'crm_deal', fk: 'contact_id', related: 'crm_contact', selected: 'first_name', unselected: 'email' },
  { list: 'deals', field: 'pipeline', table: 'crm_deal', fk: 'pipeline_id', related: 'crm_pipeline', selected: 'name', unselected: 'is_default' },
  { list: 'activities', field: 'assignedEmployee', table: 'crm_activity', fk: 'assigned_employee_id', related: 'crm_employee', selected: 'first_name', unselected: 'email' },
  { list: 'quotations', field: 'customer', table: 'crm_quotation', fk: 'customer_id', related: 'crm_customer', selected: 'name', unselected: 'email' },
  { list: 'salesTargets', field: 'employee', table: 'crm_sales_target', fk: 'employee_id', related: 'crm_employee', selected: 'first_name', unselected: 'email' },
  { list: 'vendors', field: 'assignedEmployee', table: 'crm_vendor', fk: 'assigned_employee_id', related: 'crm_employee', selected: 'first_name', unselected: 'email' },
];

test('each CRM list reads the relations its nodes select with its page, only the columns selected, and they are the rows the keys name', async () => {
  const token = await api.login('admin');
  // The demo leads are unconverted: the newest becomes a customer, a contact and a deal.
  const [{ id: lead }] = await api.sql<{ id: string }>(
    `select id from crm_lead where organization_id = (select id from tenancy_organization where slug = 'acme') order by created_at desc, id desc limit 1`,
  );
  const converted = await api.gql(ConvertLeadDocument, { id: lead, input: { createDeal: true } }, token);
  assert.equal(converted.errors, undefined, JSON.stringify(converted.errors));
  // And a row of each kind the demo has none of, with its relation set.
  await api.sql(
    `with org as (select id from tenancy_organization where slug = 'acme'),
          employee as (select id from crm_employee where organization_id = (select id from org) order by id limit 1),
          customer as (select id from crm_customer where organization_id = (select id from org) order by id limit 1),
          activity as (insert into crm_activity (id, created_at, updated_at, organization_id, type, subject, assigned_employee_id)
                       select gen_random_uuid(), now(), now(), org.id, 'call', 'Relations call', employee.id from org, employee),
          quotation as (insert into crm_quotation (id, created_at, updated_at, organization_id, number, title, customer_id)
                        select gen_random_uuid(), now(), now(), org.id, 9001, 'Relations quote', customer.id from org, customer),
          target as (insert into crm_sales_target (id, created_at, updated_at, organization_id, name, period_start, period_end, amount, employee_id)
                     select gen_random_uuid(), now(), now(), org.id, 'Relations target', date '2026-01-01', date '2026-12-31', 1000, employee.id from org, employee)
     insert into crm_vendor (id, created_at, updated_at, organization_id, name, assigned_employee_id)
     select gen_random_uuid(), now(), now(), org.id, 'Relations vendor', employee.id from org, employee`,
  );
  const { value: res, texts } = await api.statementsDuring(() => api.gql(CrmListRelationsDocument, { first: 20 }, token));
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  const data = res.data as unknown as Record<string, { edges: { node: Node }[] }>;
  for (const r of RELATIONS) {
    const nodes = data[r.list].edges.map((e) => e.node);
    const keys = await api.sql<{ id: string; fk: string | null }>(`select id, ${r.fk} as fk from ${r.table} where id = any($1::uuid[])`, [nodes.map((n) => n.id)]);
    const fkOf = new Map(keys.map((k) => [k.id, k.fk]));
    for (const n of nodes) assert.equal((n[r.field] as { id: string } | null)?.id ?? null, fkOf.get(n.id) ?? null, `${r.list}.${r.field} of ${n.id}`);
    assert.ok(nodes.some((n) => n[r.field]), `no ${r.list} with a ${r.field}`);

    const statement = texts.find((t) => t.includes(`from "${r.related}"`) && t.includes(`from "${r.table}"`) && t.includes(`page."${camel(r.fk)}"`));
    assert.ok(statement, `${r.list}.${r.field}: no statement reading ${r.related} with the page as its subquery\n${texts.join('\n')}`);
    const selectList = statement.slice(0, statement.indexOf(` from "${r.related}"`));
    assert.ok(selectList.includes(`"${r.selected}"`), `${r.selected} in ${selectList}`);
    assert.ok(!selectList.includes(`"${r.unselected}"`), `${r.unselected} in ${selectList}`);
  }
});

const camel = (column: string) => column.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
