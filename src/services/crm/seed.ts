/** CRM demo data for a seeded organization: the default pipeline, a few employees, customers, leads and deals. */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../core/context/request-context';
import { Contact, Customer, CustomerStatus, CustomerType, Employee, EmploymentType } from '../../entities/crm/people.entity';
import { Deal, DealPriority, DealStatus, Lead, LeadSource, LeadStatus, PipelineStage } from '../../entities/crm/sales.entity';
import { ensureDefaultPipeline } from './pipeline.service';

/** Call inside `ctx.db.asTenant(em, organizationId, ...)`; `salesUserId` is the demo sales user. */
export async function seedCrmDemo(ctx: RequestContext, em: EntityManager, salesUserId: string | null): Promise<void> {
  const pipeline = await ensureDefaultPipeline(ctx, em);
  const stages = await em.find(PipelineStage, { pipelineId: pipeline.id }, { orderBy: { position: 'asc' } });
  const rep = em.create(Employee, { code: 'E-001', firstName: 'Sam', lastName: 'Seller', email: 'sam.seller@example.test', department: 'Sales', designation: 'Account executive', salary: '52000.00', employmentType: EmploymentType.FULL_TIME, userId: salesUserId } as Employee);
  em.create(Employee, { code: 'E-002', firstName: 'Pat', lastName: 'Support', department: 'Support', designation: 'Agent', salary: '41000.00', employmentType: EmploymentType.PART_TIME } as Employee);
  const customers = [
    { name: 'Initech', customerType: CustomerType.BUSINESS, companyName: 'Initech', email: 'buyers@initech.example', industry: 'Software', status: CustomerStatus.ACTIVE },
    { name: 'Umbrella Health', customerType: CustomerType.BUSINESS, companyName: 'Umbrella Health', email: 'procurement@umbrella.example', industry: 'Healthcare', status: CustomerStatus.VIP },
    { name: 'Jane Doe', customerType: CustomerType.INDIVIDUAL, email: 'jane.doe@example.test', status: CustomerStatus.PROSPECT },
  ].map((c) => em.create(Customer, { ...c, assignedEmployeeId: rep.id } as Customer));
  em.create(Contact, { customerId: customers[0].id, firstName: 'Bill', lastName: 'Lumbergh', email: 'bill@initech.example', isPrimary: true } as Contact);
  em.create(Contact, { customerId: customers[1].id, firstName: 'Alice', lastName: 'Abernathy', email: 'alice@umbrella.example', isPrimary: true } as Contact);
  const leads = [
    { name: 'Peter Gibbons', company: 'Initrode', source: LeadSource.REFERRAL, status: LeadStatus.QUALIFIED, score: 70, estimatedValue: '12000.00' },
    { name: 'Milton Waddams', company: null, source: LeadSource.COLD_CALL, status: LeadStatus.NEW, score: 20, estimatedValue: null },
    { name: 'Joanna Smith', company: 'Chotchkies', source: LeadSource.WEBSITE, status: LeadStatus.CONTACTED, score: 45, estimatedValue: '3500.00' },
  ].map((l) => em.create(Lead, { ...l, currency: 'USD', assignedEmployeeId: rep.id, createdBy: salesUserId } as Lead));
  const deal = (title: string, customer: Customer, stage: PipelineStage, value: string, extra: Partial<Deal> = {}) =>
    em.create(Deal, { title, customerId: customer.id, pipelineId: pipeline.id, stageId: stage.id, value, currency: 'USD', probability: stage.probability, priority: DealPriority.MEDIUM, status: DealStatus.OPEN, assignedEmployeeId: rep.id, ...extra } as Deal);
  deal('Initech licences', customers[0], stages[0], '8000.00');
  deal('Umbrella rollout', customers[1], stages[2], '45000.00', { priority: DealPriority.HIGH, leadId: leads[0].id });
  deal('Umbrella support plan', customers[1], stages[3], '12000.00');
  deal('Jane consulting', customers[2], stages[4], '2500.00', { status: DealStatus.WON, probability: 100, actualCloseDate: new Date().toISOString().slice(0, 10) });
  await em.flush();
}
