/**
 * Leads: capture, qualify, convert. `own` scope (sales): the leads they created or that are
 * assigned to their employee record, on every read and write. convertLead turns a lead into a
 * customer, its primary contact and optionally a deal, in one transaction, once.
 */
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../core/context/request-context';
import { badInput, conflict, forbidden, notFound } from '../../core/errors';
import { scopeOf } from '../../core/access/permissions';
import { publishAfterCommit } from '../../core/pubsub';
import { Contact, Customer, CustomerStatus, CustomerType, Employee } from '../../entities/crm/people.entity';
import { Deal, DealPriority, Lead, LeadStatus } from '../../entities/crm/sales.entity';
import { recordAudit } from '../audit';
import {
  access, applyPatch, bulkIds, created, employeeUser, listRecords, loadForWrite, money, normalize, ownFilter, readRecord, requireRef, text,
  type Access, type FieldKind, type ListInput, type ListSpec, type Row,
} from './common';
import { LeadConverted } from './crm.events';
import { ensureDefaultPipeline, firstOpenStage } from './pipeline.service';

type Input = Record<string, unknown>;

const LEAD_FIELDS: Record<string, FieldKind> = {
  name: 'name', company: 'text', jobTitle: 'text', email: 'email', phone: 'phone', source: 'value', status: 'value',
  score: 'percent', estimatedValue: 'optMoney', currency: 'currency', notes: 'text', assignedEmployeeId: 'ref',
};

export const LEAD_LIST: ListSpec = { entity: Lead, searchColumns: ['name', 'email', 'company'], softDelete: true };

function leadPatch(input: Input, creating: boolean): Partial<Lead> {
  const patch = normalize<Lead>(input, LEAD_FIELDS, creating);
  if (patch.status === LeadStatus.CONVERTED) throw badInput('status', 'Use convertLead to convert a lead');
  return patch;
}

export const getLead = (ctx: RequestContext, id: string, includeDeleted = false) => {
  access(ctx, 'lead:read');
  return readRecord<Row>(ctx, Lead, 'Lead', id, 'lead:read', { softDelete: true, includeDeleted });
};

export function listLeads(ctx: RequestContext, input: ListInput) {
  return listRecords(ctx, LEAD_LIST, input, access(ctx, 'lead:read'));
}

export async function createLead(ctx: RequestContext, input: Input): Promise<Lead> {
  const a = access(ctx, 'lead:write');
  const data = leadPatch(input, true);
  return ctx.db.transactional(async (em) => {
    await requireRef(em, Employee, 'Employee', 'assignedEmployeeId', data.assignedEmployeeId);
    const lead = em.create(Lead, { ...data, createdBy: a.userId } as Lead);
    await em.flush();
    await recordAudit(ctx, em, { action: 'crm.lead.create', resourceType: 'Lead', resourceId: lead.id, changes: created(lead, Object.keys(data)) });
    return lead;
  });
}

export async function updateLead(ctx: RequestContext, id: string, input: Input): Promise<Lead> {
  const a = access(ctx, 'lead:write');
  const patch = leadPatch(input, false);
  return ctx.db.transactional(async (em) => {
    const lead = await loadForWrite(em, Lead, 'Lead', id, a, { softDelete: true });
    if (lead.convertedAt && patch.status !== undefined && patch.status !== lead.status) throw conflict('A converted lead keeps its status', 'status');
    await requireRef(em, Employee, 'Employee', 'assignedEmployeeId', patch.assignedEmployeeId);
    const diff = applyPatch(lead, patch);
    await em.flush();
    if (Object.keys(diff).length) await recordAudit(ctx, em, { action: 'crm.lead.update', resourceType: 'Lead', resourceId: id, changes: diff });
    return lead;
  });
}

export async function setLeadDeleted(ctx: RequestContext, id: string, deleted: boolean): Promise<Lead> {
  const a = access(ctx, deleted ? 'lead:delete' : 'lead:write');
  return ctx.db.transactional(async (em) => {
    const lead = await loadForWrite(em, Lead, 'Lead', id, a, { softDelete: true, deleted: !deleted });
    const diff = applyPatch(lead, { deletedAt: deleted ? new Date() : null });
    await em.flush();
    await recordAudit(ctx, em, { action: `crm.lead.${deleted ? 'delete' : 'restore'}`, resourceType: 'Lead', resourceId: id, changes: diff });
    return lead;
  });
}

async function selectedLeads(em: EntityManager, a: Access, ids: string[]): Promise<Lead[]> {
  const leads = await em.find(Lead, { id: { $in: ids }, deletedAt: null, ...(await ownFilter(em, a)) } as never, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (leads.length !== ids.length) throw notFound('Lead', 'ids');
  return leads;
}

export async function bulkUpdateLeads(ctx: RequestContext, ids: string[], input: Input): Promise<number> {
  const a = access(ctx, 'lead:write');
  const selected = bulkIds(ids);
  const patch = leadPatch(Object.fromEntries(Object.entries(input).filter(([k]) => k !== 'name')), false);
  return ctx.db.transactional(async (em) => {
    const leads = await selectedLeads(em, a, selected);
    await requireRef(em, Employee, 'Employee', 'assignedEmployeeId', patch.assignedEmployeeId);
    for (const lead of leads) {
      if (lead.convertedAt && patch.status !== undefined && patch.status !== lead.status) throw conflict('A converted lead keeps its status', 'status');
      const diff = applyPatch(lead, patch);
      if (Object.keys(diff).length) await recordAudit(ctx, em, { action: 'crm.lead.update', resourceType: 'Lead', resourceId: lead.id, changes: { ...diff, bulk: true } });
    }
    await em.flush();
    return leads.length;
  });
}

export async function bulkDeleteLeads(ctx: RequestContext, ids: string[]): Promise<number> {
  const a = access(ctx, 'lead:delete');
  const selected = bulkIds(ids);
  return ctx.db.transactional(async (em) => {
    const leads = await selectedLeads(em, a, selected);
    const now = new Date();
    for (const lead of leads) {
      const diff = applyPatch(lead, { deletedAt: now });
      await recordAudit(ctx, em, { action: 'crm.lead.delete', resourceType: 'Lead', resourceId: lead.id, changes: { ...diff, bulk: true } });
    }
    await em.flush();
    return leads.length;
  });
}

export interface ConvertLeadInput {
  customerType?: CustomerType | null;
  customerName?: string | null;
  industry?: string | null;
  createDeal?: boolean | null;
  dealTitle?: string | null;
  dealValue?: string | null;
  expectedCloseDate?: string | null;
}

export interface ConvertLeadResult {
  lead: Lead;
  customer: Customer;
  contact: Contact;
  deal: Deal | null;
}

/**
 * Converts a lead in one transaction: a customer (business when the lead names a company), its
 * primary contact, optionally a deal in the default pipeline's first stage; the lead records who
 * converted it and when. The lead row is locked first, so of two concurrent conversions the
 * second waits and then finds it converted: CONFLICT, as for any second conversion.
 */
export async function convertLead(ctx: RequestContext, id: string, input: ConvertLeadInput = {}): Promise<ConvertLeadResult> {
  const a = access(ctx, 'lead:write');
  const viewer = ctx.viewer!;
  if (!scopeOf(viewer.permissions, 'customer:write') || !scopeOf(viewer.permissions, 'contact:write')) throw forbidden();
  if (input.createDeal && !scopeOf(viewer.permissions, 'deal:write')) throw forbidden();
  const customerName = text('customerName', input.customerName, { max: 200 });
  const industry = text('industry', input.industry, { max: 200 });
  const dealTitle = text('dealTitle', input.dealTitle, { max: 200 });
  const dealValue = input.dealValue === undefined || input.dealValue === null ? null : money('dealValue', input.dealValue);

  const result = await ctx.db.transactional(async (em) => {
    const lead = await loadForWrite(em, Lead, 'Lead', id, a, { softDelete: true });
    if (lead.convertedAt || lead.status === LeadStatus.CONVERTED) throw conflict('This lead has already been converted', 'id');
    const now = new Date();
    const customer = em.create(Customer, {
      name: customerName ?? lead.company ?? lead.name,
      customerType: input.customerType ?? (lead.company ? CustomerType.BUSINESS : CustomerType.INDIVIDUAL),
      companyName: lead.company ?? null,
      email: lead.email ?? null,
      phone: lead.phone ?? null,
      industry,
      status: CustomerStatus.ACTIVE,
      assignedEmployeeId: lead.assignedEmployeeId ?? null,
      sourceLeadId: lead.id,
      createdBy: a.userId,
    } as Customer);
    const [firstName, ...rest] = lead.name.split(/\s+/);
    const contact = em.create(Contact, {
      customerId: customer.id,
      firstName,
      lastName: rest.join(' ') || '-',
      email: lead.email ?? null,
      phone: lead.phone ?? null,
      jobTitle: lead.jobTitle ?? null,
      isPrimary: true,
      createdBy: a.userId,
    } as Contact);
    let deal: Deal | null = null;
    if (input.createDeal) {
      const value = dealValue ?? (lead.estimatedValue && Number(lead.estimatedValue) > 0 ? lead.estimatedValue : null);
      if (!value) throw badInput('dealValue', 'dealValue is required when the lead has no estimated value');
      const pipeline = await ensureDefaultPipeline(ctx, em);
      const stage = await firstOpenStage(em, pipeline.id);
      deal = em.create(Deal, {
        title: dealTitle ?? `${customer.name} – ${lead.name}`,
        customerId: customer.id,
        leadId: lead.id,
        contactId: contact.id,
        pipelineId: pipeline.id,
        stageId: stage.id,
        assignedEmployeeId: lead.assignedEmployeeId ?? null,
        value,
        currency: lead.currency,
        probability: stage.probability,
        priority: DealPriority.MEDIUM,
        expectedCloseDate: input.expectedCloseDate ?? null,
        createdBy: a.userId,
      } as Deal);
    }
    const diff = applyPatch(lead, {
      status: LeadStatus.CONVERTED,
      convertedAt: now,
      convertedBy: a.userId,
      convertedCustomerId: customer.id,
      convertedDealId: deal?.id ?? null,
    });
    await em.flush();
    await recordAudit(ctx, em, { action: 'crm.customer.create', resourceType: 'Customer', resourceId: customer.id, changes: created(customer, ['name', 'customerType', 'email', 'sourceLeadId']) });
    await recordAudit(ctx, em, { action: 'crm.contact.create', resourceType: 'Contact', resourceId: contact.id, changes: created(contact, ['firstName', 'lastName', 'email', 'customerId']) });
    if (deal) await recordAudit(ctx, em, { action: 'crm.deal.create', resourceType: 'Deal', resourceId: deal.id, changes: created(deal, ['title', 'value', 'currency', 'stageId', 'leadId', 'customerId']) });
    await recordAudit(ctx, em, { action: 'crm.lead.convert', resourceType: 'Lead', resourceId: lead.id, changes: diff });
    publishAfterCommit(ctx, LeadConverted, a.organizationId, {
      leadId: lead.id,
      customerId: customer.id,
      contactId: contact.id,
      dealId: deal?.id ?? null,
      convertedBy: a.userId,
      convertedAt: now.toISOString(),
      createdBy: lead.createdBy ?? null,
      assignedUserId: await employeeUser(em, lead.assignedEmployeeId),
    });
    return { lead, customer, contact, deal };
  });
  return result;
}

export interface LeadStatistics {
  total: number;
  converted: number;
  byStatus: { status: LeadStatus; count: number }[];
  bySource: { source: string; count: number }[];
  averageScore: number | null;
}

/** Counts of the (not deleted) leads the caller may read, in SQL. */
export async function leadStatistics(ctx: RequestContext): Promise<LeadStatistics> {
  const a = access(ctx, 'lead:read');
  const trx = await ctx.db.trx();
  const base = trx('crm_lead').where({ organization_id: a.organizationId }).whereNull('deleted_at');
  if (a.scope === 'own') {
    base.where((b) => b.where('created_by_id', a.userId).orWhereIn('assigned_employee_id', trx('crm_employee').select('id').where({ organization_id: a.organizationId, user_id: a.userId })));
  }
  const rows: { status: LeadStatus; source: string; count: string; score_sum: string }[] = await base
    .clone()
    .select('status', 'source')
    .count('* as count')
    .sum('score as score_sum')
    .groupBy('status', 'source');
  const total = rows.reduce((s, r) => s + Number(r.count), 0);
  const scoreSum = rows.reduce((s, r) => s + Number(r.score_sum), 0);
  const count = (pred: (r: (typeof rows)[number]) => boolean) => rows.filter(pred).reduce((s, r) => s + Number(r.count), 0);
  const sources = [...new Set(rows.map((r) => r.source))].sort();
  return {
    total,
    converted: count((r) => r.status === LeadStatus.CONVERTED),
    byStatus: Object.values(LeadStatus).map((status) => ({ status, count: count((r) => r.status === status) })),
    bySource: sources.map((source) => ({ source, count: count((r) => r.source === source) })),
    averageScore: total ? Math.round((scoreSum / total) * 100) / 100 : null,
  };
}
