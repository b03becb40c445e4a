/**
 * Deals through pipelines: create, update, move between stages (the probability follows the
 * stage unless given), win, lose (with a reason), soft delete and restore, bulk operations and
 * statistics (pipeline value, weighted forecast, won/lost in a period), all in the caller's
 * scope (`own` for sales: created by them or assigned to their employee record).
 */
import { LockMode } from '@mikro-orm/core';
import Decimal from 'decimal.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../core/context/request-context';
import { badInput, conflict, notFound } from '../../core/errors';
import { assertId } from '../../core/ids';
import { scopeOf } from '../../core/access/permissions';
import { publishAfterCommit } from '../../core/pubsub';
import { Contact, Customer, Employee } from '../../entities/crm/people.entity';
import { Deal, DealStatus, Lead, Pipeline, PipelineStage, StageKind } from '../../entities/crm/sales.entity';
import { recordAudit } from '../audit';
import {
  access, applyPatch, bulkIds, created, employeeUser, listRecords, loadForWrite, normalize, ownFilter, ownWhere, percent, readRecord, requireRef, text, today,
  type Access, type FieldKind, type ListInput, type ListSpec, type Row,
} from './common';
import { DealStageChanged } from './crm.events';
import { ensureDefaultPipeline, firstOpenStage, requireStage } from './pipeline.service';

type Input = Record<string, unknown>;

const DEAL_FIELDS: Record<string, FieldKind> = {
  title: 'name', description: 'text', customerId: 'ref', leadId: 'ref', contactId: 'ref', assignedEmployeeId: 'ref',
  value: 'money', currency: 'currency', probability: 'percent', priority: 'value', expectedCloseDate: 'optValue',
};

export const DEAL_LIST: ListSpec = {
  entity: Deal,
  searchColumns: ['title'],
  softDelete: true,
  relations: {
    customer: { column: 'customer_id', entity: Customer },
    stage: { column: 'stage_id', entity: PipelineStage },
  },
};

/** value × probability / 100, exact. */
export const expectedRevenue = (deal: { value: string; probability: number }) => new Decimal(deal.value).mul(deal.probability).div(100).toFixed();

export const getDeal = (ctx: RequestContext, id: string, includeDeleted = false) => {
  access(ctx, 'deal:read');
  return readRecord<Row>(ctx, Deal, 'Deal', id, 'deal:read', { softDelete: true, includeDeleted });
};

export function listDeals(ctx: RequestContext, input: ListInput) {
  return listRecords(ctx, DEAL_LIST, input, access(ctx, 'deal:read'));
}

async function checkRefs(em: EntityManager, a: Access, patch: Partial<Deal>, viewerPermissions: ReadonlySet<string>): Promise<void> {
  await requireRef(em, Customer, 'Customer', 'customerId', patch.customerId, { softDelete: true });
  await requireRef(em, Contact, 'Contact', 'contactId', patch.contactId, { softDelete: true });
  await requireRef(em, Employee, 'Employee', 'assignedEmployeeId', patch.assignedEmployeeId);
  if (patch.leadId) {
    // A lead outside the caller's lead scope does not exist for them.
    const leadScope = scopeOf(viewerPermissions, 'lead:read');
    if (!leadScope) throw notFound('Lead', 'leadId');
    const leadAccess: Access = { ...a, scope: leadScope };
    const lead = await em.findOne(Lead, { id: assertId('leadId', patch.leadId), deletedAt: null, ...(await ownFilter(em, leadAccess)) } as never);
    if (!lead) throw notFound('Lead', 'leadId');
  }
}

async function ownership(em: EntityManager, deal: Deal) {
  return { createdBy: deal.createdBy ?? null, assignedUserId: await employeeUser(em, deal.assignedEmployeeId) };
}

export interface NewDeal extends Input {
  pipelineId?: string | null;
  stageId?: string | null;
}

export async function createDeal(ctx: RequestContext, input: NewDeal): Promise<Deal> {
  const a = access(ctx, 'deal:write');
  const data = normalize<Deal>(input, DEAL_FIELDS, true);
  if (data.value === undefined) throw badInput('value', 'value is required');
  return ctx.db.transactional(async (em) => {
    await checkRefs(em, a, data, ctx.viewer!.permissions);
    const pipelineId = input.pipelineId ? assertId('pipelineId', input.pipelineId) : (await ensureDefaultPipeline(ctx, em)).id;
    await requireRef(em, Pipeline, 'Pipeline', 'pipelineId', pipelineId);
    const stage = input.stageId
      ? await requireStage(em, pipelineId, assertId('stageId', input.stageId), 'stageId')
      : await firstOpenStage(em, pipelineId);
    if (stage.kind !== StageKind.OPEN) throw badInput('stageId', 'A new deal starts in an open stage (use winDeal or loseDeal to close it)');
    const deal = em.create(Deal, {
      ...data,
      pipelineId,
      stageId: stage.id,
      probability: data.probability ?? stage.probability,
      status: DealStatus.OPEN,
      createdBy: a.userId,
    } as Deal);
    await em.flush();
    await recordAudit(ctx, em, { action: 'crm.deal.create', resourceType: 'Deal', resourceId: deal.id, changes: created(deal, [...Object.keys(data), 'pipelineId', 'stageId', 'probability']) });
    return deal;
  });
}

export async function updateDeal(ctx: RequestContext, id: string, input: Input): Promise<Deal> {
  const a = access(ctx, 'deal:write');
  const patch = normalize<Deal>(input, DEAL_FIELDS, false);
  return ctx.db.transactional(async (em) => {
    const deal = await loadForWrite(em, Deal, 'Deal', id, a, { softDelete: true });
    await checkRefs(em, a, patch, ctx.viewer!.permissions);
    const diff = applyPatch(deal, patch);
    await em.flush();
    if (Object.keys(diff).length) await recordAudit(ctx, em, { action: 'crm.deal.update', resourceType: 'Deal', resourceId: id, changes: diff });
    return deal;
  });
}

/** Moves the deal to `toStage` and records and publishes the change. */
async function changeStage(ctx: RequestContext, em: EntityManager, a: Access, deal: Deal, toStage: PipelineStage, extra: Partial<Deal>, action: string): Promise<Deal> {
  const fromStageId = deal.stageId;
  const diff = applyPatch(deal, { stageId: toStage.id, ...extra });
  await em.flush();
  await recordAudit(ctx, em, { action: `crm.deal.${action}`, resourceType: 'Deal', resourceId: deal.id, changes: diff });
  const now = new Date();
  publishAfterCommit(ctx, DealStageChanged, a.organizationId, {
    dealId: deal.id,
    fromStageId,
    toStageId: toStage.id,
    probability: deal.probability,
    status: deal.status,
    changedBy: a.userId,
    changedAt: now.toISOString(),
    ...(await ownership(em, deal)),
  });
  return deal;
}

function requireOpen(deal: Deal): void {
  if (deal.status !== DealStatus.OPEN) throw conflict(`The deal is ${deal.status}; only open deals change stage`, 'id');
}

/** Moves an open deal to another open stage of its pipeline; its probability becomes the stage's unless `probability` is given. */
export async function moveDealToStage(ctx: RequestContext, id: string, stageId: string, probability?: number | null): Promise<Deal> {
  const a = access(ctx, 'deal:write');
  assertId('stageId', stageId);
  if (probability !== undefined && probability !== null) percent('probability', probability);
  return ctx.db.transactional(async (em) => {
    const deal = await loadForWrite(em, Deal, 'Deal', id, a, { softDelete: true });
    requireOpen(deal);
    const stage = await requireStage(em, deal.pipelineId, stageId, 'stageId');
    if (stage.kind !== StageKind.OPEN) throw badInput('stageId', `Use ${stage.kind === StageKind.WON ? 'winDeal' : 'loseDeal'} to close a deal`);
    return changeStage(ctx, em, a, deal, stage, { probability: probability ?? stage.probability }, 'move_stage');
  });
}

async function closingStage(em: EntityManager, deal: Deal, kind: StageKind): Promise<PipelineStage> {
  const stage = await em.findOne(PipelineStage, { pipelineId: deal.pipelineId, kind });
  return stage ?? (await em.findOneOrFail(PipelineStage, { id: deal.stageId }));
}

/** Wins an open deal: won stage, probability 100, closed today (or on `closeDate`). */
export async function winDeal(ctx: RequestContext, id: string, closeDate?: string | null): Promise<Deal> {
  const a = access(ctx, 'deal:write');
  return ctx.db.transactional(async (em) => {
    const deal = await loadForWrite(em, Deal, 'Deal', id, a, { softDelete: true });
    requireOpen(deal);
    const stage = await closingStage(em, deal, StageKind.WON);
    return changeStage(ctx, em, a, deal, stage, { status: DealStatus.WON, probability: 100, actualCloseDate: closeDate ?? today(), lostReason: null }, 'win');
  });
}

/** Loses an open deal with a reason: lost stage, probability 0. */
export async function loseDeal(ctx: RequestContext, id: string, reason: string, closeDate?: string | null): Promise<Deal> {
  const a = access(ctx, 'deal:write');
  const lostReason = text('reason', reason, { required: true, max: 2000 })!;
  return ctx.db.transactional(async (em) => {
    const deal = await loadForWrite(em, Deal, 'Deal', id, a, { softDelete: true });
    requireOpen(deal);
    const stage = await closingStage(em, deal, StageKind.LOST);
    return changeStage(ctx, em, a, deal, stage, { status: DealStatus.LOST, probability: 0, actualCloseDate: closeDate ?? today(), lostReason }, 'lose');
  });
}

export async function setDealDeleted(ctx: RequestContext, id: string, deleted: boolean): Promise<Deal> {
  const a = access(ctx, deleted ? 'deal:delete' : 'deal:write');
  return ctx.db.transactional(async (em) => {
    const deal = await loadForWrite(em, Deal, 'Deal', id, a, { softDelete: true, deleted: !deleted });
    const diff = applyPatch(deal, { deletedAt: deleted ? new Date() : null });
    await em.flush();
    await recordAudit(ctx, em, { action: `crm.deal.${deleted ? 'delete' : 'restore'}`, resourceType: 'Deal', resourceId: id, changes: diff });
    return deal;
  });
}

async function selectedDeals(em: EntityManager, a: Access, ids: string[]): Promise<Deal[]> {
  const deals = await em.find(Deal, { id: { $in: ids }, deletedAt: null, ...(await ownFilter(em, a)) } as never, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (deals.length !== ids.length) throw notFound('Deal', 'ids');
  return deals;
}

/** Same fields on every selected deal (priority, assignee, expected close date, currency...); stages move one by one. */
export async function bulkUpdateDeals(ctx: RequestContext, ids: string[], input: Input): Promise<number> {
  const a = access(ctx, 'deal:write');
  const selected = bulkIds(ids);
  const patch = normalize<Deal>(input, Object.fromEntries(Object.entries(DEAL_FIELDS).filter(([, k]) => k !== 'name')), false);
  return ctx.db.transactional(async (em) => {
    const deals = await selectedDeals(em, a, selected);
    await checkRefs(em, a, patch, ctx.viewer!.permissions);
    for (const deal of deals) {
      const diff = applyPatch(deal, patch);
      if (Object.keys(diff).length) await recordAudit(ctx, em, { action: 'crm.deal.update', resourceType: 'Deal', resourceId: deal.id, changes: { ...diff, bulk: true } });
    }
    await em.flush();
    return deals.length;
  });
}

export async function bulkDeleteDeals(ctx: RequestContext, ids: string[]): Promise<number> {
  const a = access(ctx, 'deal:delete');
  const selected = bulkIds(ids);
  return ctx.db.transactional(async (em) => {
    const deals = await selectedDeals(em, a, selected);
    const now = new Date();
    for (const deal of deals) {
      const diff = applyPatch(deal, { deletedAt: now });
      await recordAudit(ctx, em, { action: 'crm.deal.delete', resourceType: 'Deal', resourceId: deal.id, changes: { ...diff, bulk: true } });
    }
    await em.flush();
    return deals.length;
  });
}

// ---------------------------------------------------------------- statistics

export interface DealStatisticsInput {
  pipelineId?: string | null;
  currency?: string | null;
  /** Period of won/lost deals (by actual close date), inclusive. */
  from?: string | null;
  to?: string | null;
}

export interface StageStatistics {
  stageId: string;
  name: string;
  position: number;
  probability: number;
  count: number;
  value: string;
  weightedValue: string;
}

export interface DealStatistics {
  byStatus: { status: DealStatus; count: number; value: string }[];
  byStage: StageStatistics[];
  openCount: number;
  pipelineValue: string;
  weightedForecast: string;
  wonCount: number;
  wonValue: string;
  lostCount: number;
  lostValue: string;
}

/**
 * Deal figures in the caller's scope, computed in SQL over not-deleted deals: per stage of the
 * pipeline (default one unless given) the open deals' count, value and weighted value (value ×
 * probability / 100); won and lost counts and values closed within [from, to]; optionally in one currency.
 */
export async function dealStatistics(ctx: RequestContext, input: DealStatisticsInput): Promise<DealStatistics> {
  const a = access(ctx, 'deal:read');
  if (input.from && input.to && input.from > input.to) throw badInput('from', 'from must not be after to');
  const trx = await ctx.db.trx();
  const pipelineId = input.pipelineId
    ? assertId('pipelineId', input.pipelineId)
    : (await ctx.db.transactional((em) => ensureDefaultPipeline(ctx, em))).id;
  const deals = () => {
    const qb = trx('crm_deal as d').where('d.organization_id', a.organizationId).whereNull('d.deleted_at');
    if (a.scope === 'own') ownWhere(trx, a, 'd.')(qb);
    if (input.currency) qb.where('d.currency', input.currency.toUpperCase());
    return qb;
  };
  const stageRows: { id: string; name: string; position: number; probability: number; count: string; value: string; weighted: string }[] = await trx('crm_pipeline_stage as s')
    .leftJoin(deals().select('d.stage_id', 'd.value', 'd.probability').where('d.status', DealStatus.OPEN).as('o'), 'o.stage_id', 's.id')
    .where('s.organization_id', a.organizationId)
    .where('s.pipeline_id', pipelineId)
    .groupBy('s.id', 's.name', 's.position', 's.probability')
    .orderBy('s.position')
    .select('s.id', 's.name', 's.position', 's.probability')
    .select(trx.raw('count(o.stage_id) as count'))
    .select(trx.raw('coalesce(sum(o.value), 0)::text as value'))
    .select(trx.raw('coalesce(sum(o.value * o.probability / 100), 0)::text as weighted'));
  if (!stageRows.length) throw notFound('Pipeline', 'pipelineId');
  const statusRows: { status: DealStatus; count: string; value: string }[] = await deals()
    .where('d.pipeline_id', pipelineId)
    .where((b) => {
      b.where('d.status', DealStatus.OPEN).orWhere((c) => {
        if (input.from) c.where('d.actual_close_date', '>=', input.from);
        if (input.to) c.where('d.actual_close_date', '<=', input.to);
        c.whereIn('d.status', [DealStatus.WON, DealStatus.LOST]);
      });
    })
    .groupBy('d.status')
    .select('d.status')
    .select(trx.raw('count(*) as count'))
    .select(trx.raw('coalesce(sum(d.value), 0)::text as value'));
  const status = (s: DealStatus) => statusRows.find((r) => r.status === s) ?? { count: '0', value: '0' };
  const fixed = (v: string) => new Decimal(v).toFixed(2);
  const byStage = stageRows.map((r) => ({
    stageId: r.id,
    name: r.name,
    position: r.position,
    probability: r.probability,
    count: Number(r.count),
    value: fixed(r.value),
    weightedValue: fixed(r.weighted),
  }));
  return {
    byStatus: Object.values(DealStatus).map((s) => ({ status: s, count: Number(status(s).count), value: fixed(status(s).value) })),
    byStage,
    openCount: Number(status(DealStatus.OPEN).count),
    pipelineValue: fixed(status(DealStatus.OPEN).value),
    weightedForecast: stageRows.reduce((sum, r) => sum.plus(r.weighted), new Decimal(0)).toFixed(2),
    wonCount: Number(status(DealStatus.WON).count),
    wonValue: fixed(status(DealStatus.WON).value),
    lostCount: Number(status(DealStatus.LOST).count),
    lostValue: fixed(status(DealStatus.LOST).value),
  };
}
