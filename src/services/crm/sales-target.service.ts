/**
 * Sales targets: an amount to reach in a period, for one employee or the whole organization.
 * Achieved = sum of the values of the won, not deleted deals in the target's currency whose
 * actual close date falls in the period (assigned to the employee, when the target has one);
 * computed in SQL, batched for every target a request shows.
 */
import Decimal from 'decimal.js';
import type { RequestContext } from '../../core/context/request-context';
import { Employee } from '../../entities/crm/people.entity';
import { SalesTarget } from '../../entities/crm/sales.entity';
import { recordAudit } from '../audit';
import { access, applyPatch, contextLoader, created, dateRange, listRecords, loadForWrite, normalize, readRecord, requireRef, type FieldKind, type ListInput, type Row } from './common';

type Input = Record<string, unknown>;

const TARGET_FIELDS: Record<string, FieldKind> = {
  name: 'name', employeeId: 'ref', periodStart: 'value', periodEnd: 'value', amount: 'money', currency: 'currency',
};

export const getSalesTarget = (ctx: RequestContext, id: string) => readRecord<Row>(ctx, SalesTarget, 'Sales target', id, null);
export const listSalesTargets = (ctx: RequestContext, input: ListInput) => {
  access(ctx, 'sales_target:read');
  return listRecords(ctx, { entity: SalesTarget, searchColumns: ['name'] }, input, null);
};

/** The achieved amount of a target (batched per request). */
export function salesTargetAchieved(ctx: RequestContext, targetId: string): Promise<string> {
  return contextLoader<string>(ctx, 'crm:target-achieved', async (ids) => {
    const trx = await ctx.db.trx();
    const rows: { id: string; achieved: string }[] = await trx('crm_sales_target as t')
      .leftJoin('crm_deal as d', function joinWonDeals() {
        this.on('d.organization_id', 't.organization_id')
          .andOnVal('d.status', 'won')
          .andOnNull('d.deleted_at')
          .andOn('d.currency', 't.currency')
          .andOn('d.actual_close_date', '>=', 't.period_start')
          .andOn('d.actual_close_date', '<=', 't.period_end')
          .andOn(trx.raw('(t.employee_id is null or d.assigned_employee_id = t.employee_id)'));
      })
      .where('t.organization_id', ctx.db.organizationId!)
      .whereIn('t.id', [...ids])
      .groupBy('t.id')
      .select('t.id', trx.raw('coalesce(sum(d.value), 0)::text as achieved'));
    const byId = new Map(rows.map((r) => [r.id, new Decimal(r.achieved).toFixed(2)]));
    return ids.map((id) => byId.get(id) ?? '0.00');
  }).load(targetId);
}

export async function createSalesTarget(ctx: RequestContext, input: Input): Promise<SalesTarget> {
  access(ctx, 'sales_target:write');
  const data = normalize<SalesTarget>(input, TARGET_FIELDS, true);
  dateRange('periodStart', data.periodStart, data.periodEnd);
  return ctx.db.transactional(async (em) => {
    await requireRef(em, Employee, 'Employee', 'employeeId', data.employeeId);
    const target = em.create(SalesTarget, data as SalesTarget);
    await em.flush();
    await recordAudit(ctx, em, { action: 'crm.sales_target.create', resourceType: 'SalesTarget', resourceId: target.id, changes: created(target, Object.keys(data)) });
    return target;
  });
}

export async function updateSalesTarget(ctx: RequestContext, id: string, input: Input): Promise<SalesTarget> {
  access(ctx, 'sales_target:write');
  const patch = normalize<SalesTarget>(input, TARGET_FIELDS, false);
  return ctx.db.transactional(async (em) => {
    const target = await loadForWrite(em, SalesTarget, 'Sales target', id, null);
    await requireRef(em, Employee, 'Employee', 'employeeId', patch.employeeId);
    dateRange('periodStart', patch.periodStart ?? target.periodStart, patch.periodEnd ?? target.periodEnd);
    const diff = applyPatch(target, patch);
    await em.flush();
    if (Object.keys(diff).length) await recordAudit(ctx, em, { action: 'crm.sales_target.update', resourceType: 'SalesTarget', resourceId: id, changes: diff });
    return target;
  });
}

export async function deleteSalesTarget(ctx: RequestContext, id: string): Promise<boolean> {
  access(ctx, 'sales_target:delete');
  return ctx.db.transactional(async (em) => {
    const target = await loadForWrite(em, SalesTarget, 'Sales target', id, null);
    await em.remove(target).flush();
    await recordAudit(ctx, em, { action: 'crm.sales_target.delete', resourceType: 'SalesTarget', resourceId: id, changes: { name: target.name, amount: target.amount } });
    return true;
  });
}
