/**
 * CRM lists and figures: search, typed filters with and/or, filters across relations, ordering,
 * cursor pages, soft delete and restore, bulk update/delete, and statistics checked against
 * values computed by hand from the data this test creates (in globex, emptied first).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, errorCode, type TestApi } from '../support/api';
import {
  BulkDeleteContactsDocument, BulkDeleteCustomersDocument, BulkDeleteDealsDocument, BulkDeleteLeadsDocument, BulkUpdateCustomersDocument,
  BulkUpdateDealsDocument, BulkUpdateLeadsDocument, ContactsDocument, CreateContactDocument, CreateCustomerDocument, CreateDealDocument,
  CreateLeadDocument, CreatePipelineDocument, CustomerDocument, CustomersDocument, CustomerStatisticsDocument, DealStatisticsDocument,
  DealsDocument, DeleteCustomerDocument, DeleteDealDocument, DeleteLeadDocument, LeadsDocument, LeadStatisticsDocument, LoseDealDocument,
  MoveDealToStageDocument, RestoreCustomerDocument, RestoreDealDocument, RestoreLeadDocument, WinDealDocument, DeactivateCustomerDocument,
  ActivateCustomerDocument, ConvertLeadDocument, DeleteContactDocument, RestoreContactDocument,
} from '../__generated__/graphql';

let api: TestApi;
let admin: string;
let sales: string;
let acmeAdmin: string;

before(async () => {
  api = await startTestApi();
  const [org] = await api.sql<{ id: string }>(`select id from tenancy_organization where slug = 'globex'`);
  for (const t of ['crm_activity', 'crm_quotation', 'crm_deal', 'crm_contact', 'crm_lead', 'crm_customer']) await api.sql(`delete from ${t} where organization_id = $1`, [org.id]);
  admin = await api.login('admin', 'globex');
  sales = await api.login('sales', 'globex');
  acmeAdmin = await api.login('admin', 'acme');
});
after(() => api.close());

const ok = <T>(res: { data?: T | null; errors?: unknown }) => {
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  return res.data!;
};

describe('customers and contacts', () => {
  const ids: Record<string, string> = {};
  before(async () => {
    const rows = [
      ['Alpha Bank', 'ACTIVE', 'Finance', 'alpha@bank.test', 'BUSINESS'],
      ['Beta Clinic', 'VIP', 'Healthcare', 'beta@clinic.test', 'BUSINESS'],
      ['Gamma Labs', 'PROSPECT', 'Healthcare', 'hello@gamma.test', 'BUSINESS'],
      ['Delta Dan', 'INACTIVE', null, 'dan@delta.test', 'INDIVIDUAL'],
      ['Epsilon Eve', 'ACTIVE', 'Finance', 'eve@mail.test', 'INDIVIDUAL'],
    ] as const;
    for (const [name, status, industry, email, customerType] of rows) {
      ids[name] = ok(await api.gql(CreateCustomerDocument, { input: { name, status, industry, email, customerType, companyName: customerType === 'BUSINESS' ? `${name} Ltd` : null } }, admin)).createCustomer.id;
    }
    ok(await api.gql(CreateContactDocument, { input: { firstName: 'Ann', lastName: 'Alpha', customerId: ids['Alpha Bank'], email: 'ann@bank.test' } }, admin));
    ok(await api.gql(CreateContactDocument, { input: { firstName: 'Bob', lastName: 'Beta', customerId: ids['Beta Clinic'] } }, admin));
    ok(await api.gql(CreateContactDocument, { input: { firstName: 'Dora', lastName: 'Delta', customerId: ids['Delta Dan'] } }, admin));
  });

  test('search in name, email and company; filters with or; ordering; pages', async () => {
    const names = async (vars: Parameters<typeof api.gql<unknown, object>>[1]) =>
      ok(await api.gql(CustomersDocument, vars as never, admin)).customers.edges.map((e) => e.node.name);
    assert.deepEqual(await names({ search: 'clinic', orderBy: [{ field: 'NAME', direction: 'ASC' }] }), ['Beta Clinic']);
    assert.deepEqual(await names({ search: 'MAIL.test' }), ['Epsilon Eve']);
    assert.deepEqual(await names({ search: 'labs ltd' }), ['Gamma Labs']);
    assert.deepEqual(await names({ filter: { or: [{ status: { eq: 'VIP' } }, { industry: { eq: 'Finance' } }] }, orderBy: [{ field: 'NAME', direction: 'ASC' }] }), ['Alpha Bank', 'Beta Clinic', 'Epsilon Eve']);
    assert.deepEqual(await names({ filter: { and: [{ industry: { eq: 'Healthcare' } }, { status: { ne: 'VIP' } }] } }), ['Gamma Labs']);
    assert.deepEqual(await names({ filter: { industry: { isNull: true } } }), ['Delta Dan']);
    const page1 = ok(await api.gql(CustomersDocument, { first: 2, orderBy: [{ field: 'NAME', direction: 'DESC' }] }, admin)).customers;
    assert.equal(page1.totalCount, 5);
    const page2 = ok(await api.gql(CustomersDocument, { first: 2, after: page1.pageInfo.endCursor, orderBy: [{ field: 'NAME', direction: 'DESC' }] }, admin)).customers;
    assert.deepEqual([...page1.edges, ...page2.edges].map((e) => e.node.name), ['Gamma Labs', 'Epsilon Eve', 'Delta Dan', 'Beta Clinic']);
    assert.equal(errorCode(await api.gql(CustomersDocument, { first: 500 }, admin)), 'BAD_USER_INPUT');
  });

  test('contacts by their customer’s status (a filter across the relation)', async () => {
    const res = ok(await api.gql(ContactsDocument, { filter: { customer: { status: { in: ['ACTIVE', 'VIP'] } } } }, admin)).contacts;
    assert.deepEqual(res.edges.map((e) => e.node.firstName).sort(), ['Ann', 'Bob']);
    assert.equal(res.edges.find((e) => e.node.firstName === 'Bob')!.node.customer!.status, 'VIP');
    const or = ok(await api.gql(ContactsDocument, { filter: { or: [{ customer: { status: { eq: 'INACTIVE' } } }, { email: { contains: 'bank' } }] } }, admin)).contacts;
    assert.deepEqual(or.edges.map((e) => e.node.firstName).sort(), ['Ann', 'Dora']);
  });

  test('activate/deactivate; soft delete hides, includeDeleted shows, restore brings back', async () => {
    const id = ids['Delta Dan'];
    assert.equal(ok(await api.gql(ActivateCustomerDocument, { id }, admin)).activateCustomer.status, 'ACTIVE');
    assert.equal(ok(await api.gql(DeactivateCustomerDocument, { id }, admin)).deactivateCustomer.status, 'INACTIVE');
    assert.ok(ok(await api.gql(DeleteCustomerDocument, { id }, admin)).deleteCustomer.deletedAt);
    assert.equal(errorCode(await api.gql(CustomerDocument, { id }, admin)), 'NOT_FOUND');
    assert.equal(ok(await api.gql(CustomerDocument, { id, includeDeleted: true }, admin)).customer.id, id);
    assert.equal(ok(await api.gql(CustomersDocument, {}, admin)).customers.totalCount, 4);
    const deletedOnly = ok(await api.gql(CustomersDocument, { includeDeleted: true, filter: { deletedAt: { isNull: false } } }, admin)).customers;
    assert.deepEqual(deletedOnly.edges.map((e) => e.node.id), [id]);
    assert.equal(errorCode(await api.gql(DeleteCustomerDocument, { id }, admin)), 'NOT_FOUND');
    assert.equal(ok(await api.gql(RestoreCustomerDocument, { id }, admin)).restoreCustomer.deletedAt, null);
    assert.equal(errorCode(await api.gql(RestoreCustomerDocument, { id }, admin)), 'NOT_FOUND');
    const audit = await api.sql(`select action from audit_log where resource_id = $1 order by created_at`, [id]);
    assert.deepEqual(audit.map((a) => a.action), ['crm.customer.create', 'crm.customer.activate', 'crm.customer.deactivate', 'crm.customer.delete', 'crm.customer.restore']);
    // Sales may not delete customers.
    assert.equal(errorCode(await api.gql(DeleteCustomerDocument, { id }, sales)), 'FORBIDDEN');
    const contact = ok(await api.gql(CreateContactDocument, { input: { firstName: 'Temp', lastName: 'Contact' } }, admin)).createContact;
    assert.ok(ok(await api.gql(DeleteContactDocument, { id: contact.id }, admin)).deleteContact.deletedAt);
    assert.equal(ok(await api.gql(RestoreContactDocument, { id: contact.id }, admin)).restoreContact.deletedAt, null);
  });

  test('customer statistics', async () => {
    const stats = ok(await api.gql(CustomerStatisticsDocument, {}, admin)).customerStatistics;
    assert.equal(stats.total, 5);
    assert.deepEqual(Object.fromEntries(stats.byStatus.map((s) => [s.status, s.count])), { ACTIVE: 2, INACTIVE: 1, PROSPECT: 1, VIP: 1 });
    assert.deepEqual(Object.fromEntries(stats.byType.map((s) => [s.customerType, s.count])), { business: 3, individual: 2 });
  });

  test('bulk update and bulk delete: all or nothing, empty selection refused', async () => {
    const sel = [ids['Gamma Labs'], ids['Epsilon Eve']];
    assert.equal(ok(await api.gql(BulkUpdateCustomersDocument, { ids: sel, input: { status: 'VIP', rating: 4 } }, admin)).bulkUpdateCustomers, 2);
    const vip = ok(await api.gql(CustomersDocument, { filter: { status: { eq: 'VIP' } } }, admin)).customers.edges.map((e) => e.node.name).sort();
    assert.deepEqual(vip, ['Beta Clinic', 'Epsilon Eve', 'Gamma Labs']);
    const empty = await api.gql(BulkUpdateCustomersDocument, { ids: [], input: { status: 'ACTIVE' } }, admin);
    assert.equal(errorCode(empty), 'BAD_USER_INPUT');
    assert.equal(empty.errors![0].extensions!.field, 'ids');
    assert.equal(errorCode(await api.gql(BulkDeleteCustomersDocument, { ids: [] }, admin)), 'BAD_USER_INPUT');
    assert.equal(errorCode(await api.gql(BulkUpdateCustomersDocument, { ids: [ids['Alpha Bank']], input: { rating: 9 } }, admin)), 'BAD_USER_INPUT');
    // An acme id in the selection: NOT_FOUND, and nothing changes.
    const [acmeCustomer] = await api.sql<{ id: string }>(`select c.id from crm_customer c join tenancy_organization o on o.id = c.organization_id where o.slug = 'acme' limit 1`);
    assert.equal(errorCode(await api.gql(BulkDeleteCustomersDocument, { ids: [ids['Alpha Bank'], acmeCustomer.id] }, admin)), 'NOT_FOUND');
    assert.equal(ok(await api.gql(CustomerDocument, { id: ids['Alpha Bank'] }, admin)).customer.deletedAt, null);
    assert.equal(ok(await api.gql(BulkDeleteCustomersDocument, { ids: [ids['Alpha Bank']] }, admin)).bulkDeleteCustomers, 1);
    assert.equal(ok(await api.gql(RestoreCustomerDocument, { id: ids['Alpha Bank'] }, admin)).restoreCustomer.deletedAt, null);
    const contacts = ok(await api.gql(ContactsDocument, { search: 'Bob' }, admin)).contacts.edges.map((e) => e.node.id);
    assert.equal(ok(await api.gql(BulkDeleteContactsDocument, { ids: contacts }, admin)).bulkDeleteContacts, 1);
    assert.equal(errorCode(await api.gql(BulkDeleteCustomersDocument, { ids: [ids['Alpha Bank']] }, acmeAdmin)), 'NOT_FOUND');
  });
});

describe('leads', () => {
  const leads: { id: string; status: string; source: string; score: number; mine: boolean }[] = [];
  before(async () => {
    const rows = [
      ['Lena Web', 'WEBSITE', 'NEW', 10, '100.00', admin],
      ['Rob Referral', 'REFERRAL', 'QUALIFIED', 80, '5000.00', admin],
      ['Sue Social', 'SOCIAL_MEDIA', 'CONTACTED', 45, null, sales],
      ['Eve Event', 'EVENT', 'LOST', 5, '250.50', sales],
      ['Wes Web', 'WEBSITE', 'QUALIFIED', 70, '1200.00', admin],
    ] as const;
    for (const [name, source, status, score, estimatedValue, token] of rows) {
      const l = ok(await api.gql(CreateLeadDocument, { input: { name, source, status, score, estimatedValue, company: `${name.split(' ')[1]} Co`, email: `${name.split(' ')[0].toLowerCase()}@leads.test` } }, token)).createLead;
      leads.push({ id: l.id, status, source, score, mine: token === sales });
    }
  });

  test('typed filters: status, source, score and value ranges, owner; ordering', async () => {
    const names = async (vars: object, token = admin) => ok(await api.gql(LeadsDocument, vars as never, token)).leads.edges.map((e) => e.node.name);
    assert.deepEqual(await names({ filter: { source: { eq: 'WEBSITE' } }, orderBy: [{ field: 'SCORE', direction: 'DESC' }] }), ['Wes Web', 'Lena Web']);
    assert.deepEqual(await names({ filter: { score: { gte: 45, lt: 80 } }, orderBy: [{ field: 'SCORE', direction: 'ASC' }] }), ['Sue Social', 'Wes Web']);
    assert.deepEqual(await names({ filter: { estimatedValue: { gt: '250.50', lte: '5000' } }, orderBy: [{ field: 'ESTIMATED_VALUE', direction: 'ASC' }] }), ['Wes Web', 'Rob Referral']);
    assert.deepEqual(await names({ filter: { status: { in: ['LOST', 'NEW'] } }, orderBy: [{ field: 'NAME', direction: 'ASC' }] }), ['Eve Event', 'Lena Web']);
    const [salesUser] = await api.sql<{ id: string }>(`select id from identity_user where email = 'sales@globex.test'`);
    assert.deepEqual((await names({ filter: { createdBy: { eq: salesUser.id } } })).sort(), ['Eve Event', 'Sue Social']);
    assert.deepEqual(await names({ search: 'referral co' }), ['Rob Referral']);
    // Sales sees only theirs, whatever the filter.
    assert.deepEqual((await names({}, sales)).sort(), ['Eve Event', 'Sue Social']);
    assert.deepEqual(await names({ filter: { source: { eq: 'WEBSITE' } } }, sales), []);
  });

  test('lead statistics, by hand; sales’ figures cover only their leads', async () => {
    const s = ok(await api.gql(LeadStatisticsDocument, {}, admin)).leadStatistics;
    assert.equal(s.total, 5);
    assert.equal(s.converted, 0);
    assert.equal(s.averageScore, (10 + 80 + 45 + 5 + 70) / 5);
    assert.deepEqual(Object.fromEntries(s.byStatus.filter((x) => x.count).map((x) => [x.status, x.count])), { NEW: 1, QUALIFIED: 2, CONTACTED: 1, LOST: 1 });
    assert.deepEqual(Object.fromEntries(s.bySource.map((x) => [x.source, x.count])), { website: 2, referral: 1, social_media: 1, event: 1 });
    const mine = ok(await api.gql(LeadStatisticsDocument, {}, sales)).leadStatistics;
    assert.equal(mine.total, 2);
    assert.equal(mine.averageScore, 25);
  });

  test('soft delete, restore, bulk; own scope on bulk', async () => {
    const [a, b] = leads.filter((l) => !l.mine);
    assert.ok(ok(await api.gql(DeleteLeadDocument, { id: a.id }, admin)).deleteLead.deletedAt);
    assert.equal(ok(await api.gql(LeadsDocument, {}, admin)).leads.totalCount, 4);
    assert.equal(ok(await api.gql(LeadsDocument, { includeDeleted: true }, admin)).leads.totalCount, 5);
    assert.equal(errorCode(await api.gql(ConvertLeadDocument, { id: a.id }, admin)), 'NOT_FOUND');
    assert.equal(ok(await api.gql(RestoreLeadDocument, { id: a.id }, admin)).restoreLead.deletedAt, null);
    const mine = leads.filter((l) => l.mine).map((l) => l.id);
    assert.equal(errorCode(await api.gql(BulkUpdateLeadsDocument, { ids: [...mine, b.id], input: { score: 99 } }, sales)), 'NOT_FOUND');
    assert.equal(ok(await api.gql(BulkUpdateLeadsDocument, { ids: mine, input: { score: 99 } }, sales)).bulkUpdateLeads, 2);
    assert.equal(errorCode(await api.gql(BulkUpdateLeadsDocument, { ids: [], input: { score: 1 } }, sales)), 'BAD_USER_INPUT');
    // Sales has no lead:delete.
    assert.equal(errorCode(await api.gql(BulkDeleteLeadsDocument, { ids: mine }, sales)), 'FORBIDDEN');
    assert.equal(ok(await api.gql(BulkDeleteLeadsDocument, { ids: mine }, admin)).bulkDeleteLeads, 2);
    assert.equal(ok(await api.gql(LeadsDocument, {}, sales)).leads.totalCount, 0);
    for (const id of mine) await api.gql(RestoreLeadDocument, { id }, admin);
  });
});

describe('deals: relation filters, statistics', () => {
  let pipelineId: string;
  let stageIds: string[];
  const deals: Record<string, string> = {};
  before(async () => {
    const p = ok(await api.gql(CreatePipelineDocument, {
      input: { name: 'Stats', stages: [{ name: 'S1', probability: 20 }, { name: 'S2', probability: 60 }, { name: 'Won', probability: 100, kind: 'WON' }, { name: 'Lost', probability: 0, kind: 'LOST' }] },
    }, admin)).createPipeline;
    pipelineId = p.id;
    stageIds = p.stages.map((s) => s.id);
    const fin = ok(await api.gql(CreateCustomerDocument, { input: { name: 'Fin Corp', industry: 'Finance' } }, admin)).createCustomer.id;
    const med = ok(await api.gql(CreateCustomerDocument, { input: { name: 'Med Corp', industry: 'Healthcare' } }, admin)).createCustomer.id;
    const create = async (title: string, value: string, customerId: string, token = admin, extra: Record<string, unknown> = {}) =>
      (deals[title] = ok(await api.gql(CreateDealDocument, { input: { title, value, customerId, pipelineId, ...extra } }, token)).createDeal.id);
    await create('A', '1000.00', fin); // S1, 20%
    await create('B', '2500.50', med); // → S2, 60%
    await create('C', '333.33', fin, sales); // → S2, overridden 45%
    await create('D', '4000.00', med); // won 2030-06-15
    await create('E', '700.00', fin); // lost 2030-06-20
    await create('F', '9000.00', med); // won 2029-12-31, outside the period
    await create('G', '100.00', fin, admin, { currency: 'EUR' }); // S1, other currency
    ok(await api.gql(MoveDealToStageDocument, { id: deals.B, stageId: stageIds[1] }, admin));
    ok(await api.gql(MoveDealToStageDocument, { id: deals.C, stageId: stageIds[1], probability: 45 }, sales));
    ok(await api.gql(WinDealDocument, { id: deals.D, closeDate: '2030-06-15' }, admin));
    ok(await api.gql(LoseDealDocument, { id: deals.E, reason: 'Price', closeDate: '2030-06-20' }, admin));
    ok(await api.gql(WinDealDocument, { id: deals.F, closeDate: '2029-12-31' }, admin));
  });

  test('deals by customer industry, by stage, value range; and/or', async () => {
    const titles = async (filter: object, token = admin) =>
      ok(await api.gql(DealsDocument, { filter: { pipelineId: { eq: pipelineId }, ...filter } as never, orderBy: [{ field: 'TITLE', direction: 'ASC' }] }, token)).deals.edges.map((e) => e.node.title);
    assert.deepEqual(await titles({ customer: { industry: { eq: 'Healthcare' } } }), ['B', 'D', 'F']);
    assert.deepEqual(await titles({ stage: { name: { eq: 'S2' } } }), ['B', 'C']);
    assert.deepEqual(await titles({ value: { gte: '700', lt: '4000' } }), ['A', 'B', 'E']);
    assert.deepEqual(await titles({ or: [{ status: { eq: 'LOST' } }, { and: [{ customer: { industry: { eq: 'Finance' } } }, { currency: { eq: 'EUR' } }] }] }), ['E', 'G']);
    assert.deepEqual(await titles({ actualCloseDate: { gte: '2030-01-01' } }), ['D', 'E']);
    assert.deepEqual(await titles({}, sales), ['C']);
  });

  test('pipeline value and weighted forecast by stage; won/lost in a period', async () => {
    const s = ok(await api.gql(DealStatisticsDocument, { pipelineId, currency: 'USD', from: '2030-01-01', to: '2030-12-31' }, admin)).dealStatistics;
    // Open USD deals: A 1000.00 @20 (S1); B 2500.50 @60, C 333.33 @45 (S2).
    assert.deepEqual(s.byStage.map((x) => [x.name, x.count, x.value, x.weightedValue]), [
      ['S1', 1, '1000', '200'],
      ['S2', 2, '2833.83', '1650.3'], // 1500.30 + 149.9985 = 1650.2985 → 1650.30
      ['Won', 0, '0', '0'],
      ['Lost', 0, '0', '0'],
    ]);
    assert.equal(s.openCount, 3);
    assert.equal(s.pipelineValue, '3833.83');
    assert.equal(s.weightedForecast, '1850.3'); // 200 + 1650.2985 → 1850.30 (Decimal drops trailing zeros)
    assert.deepEqual([s.wonCount, s.wonValue, s.lostCount, s.lostValue], [1, '4000', 1, '700']);
    const all = ok(await api.gql(DealStatisticsDocument, { pipelineId }, admin)).dealStatistics;
    assert.deepEqual([all.openCount, all.pipelineValue, all.wonCount, all.wonValue], [4, '3933.83', 2, '13000']);
    const mine = ok(await api.gql(DealStatisticsDocument, { pipelineId }, sales)).dealStatistics;
    assert.deepEqual([mine.openCount, mine.pipelineValue, mine.weightedForecast, mine.wonCount], [1, '333.33', '150', 0]);
    assert.equal(errorCode(await api.gql(DealStatisticsDocument, { pipelineId, from: '2030-02-01', to: '2030-01-01' }, admin)), 'BAD_USER_INPUT');
  });

  test('soft delete excludes from figures; bulk update and delete', async () => {
    ok(await api.gql(DeleteDealDocument, { id: deals.A }, admin));
    const s = ok(await api.gql(DealStatisticsDocument, { pipelineId, currency: 'USD' }, admin)).dealStatistics;
    assert.equal(s.pipelineValue, '2833.83');
    ok(await api.gql(RestoreDealDocument, { id: deals.A }, admin));
    assert.equal(ok(await api.gql(BulkUpdateDealsDocument, { ids: [deals.A, deals.G], input: { priority: 'URGENT' } }, admin)).bulkUpdateDeals, 2);
    assert.deepEqual(ok(await api.gql(DealsDocument, { filter: { priority: { eq: 'URGENT' } } }, admin)).deals.edges.map((e) => e.node.id).sort(), [deals.A, deals.G].sort());
    assert.equal(errorCode(await api.gql(BulkUpdateDealsDocument, { ids: [deals.A], input: { priority: 'LOW' } }, sales)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(BulkDeleteDealsDocument, { ids: [] }, admin)), 'BAD_USER_INPUT');
    assert.equal(ok(await api.gql(BulkDeleteDealsDocument, { ids: [deals.G] }, admin)).bulkDeleteDeals, 1);
    assert.equal(ok(await api.gql(DealsDocument, { includeDeleted: true, filter: { deletedAt: { isNull: false } } }, admin)).deals.edges.length, 1);
  });
});
