/**
 * Activities (tasks, calls, meetings, emails, notes) linked to a lead, deal, contact or
 * customer. `own` scope (sales): the activities they created or that are assigned to them.
 */
import type { RequestContext } from '../../core/context/request-context';
import { badInput } from '../../core/errors';
import { Contact, Customer, Employee } from '../../entities/crm/people.entity';
import { Activity, Deal, Lead } from '../../entities/crm/sales.entity';
import { recordAudit } from '../audit';
import { access, applyPatch, created, listRecords, loadForWrite, normalize, readRecord, requireRef, type FieldKind, type ListInput, type Row } from './common';

type Input = Record<string, unknown>;

const ACTIVITY_FIELDS: Record<string, FieldKind> = {
  type: 'value', subject: 'name', description: 'text', dueAt: 'optValue', leadId: 'ref', dealId: 'ref', contactId: 'ref', customerId: 'ref', assignedEmployeeId: 'ref',
};

export const ACTIVITY_LIST = { entity: Activity, searchColumns: ['subject', 'description'] };

export const getActivity = (ctx: RequestContext, id: string) => {
  access(ctx, 'activity:read');
  return readRecord<Row>(ctx, Activity, 'Activity', id, 'activity:read');
};
export const listActivities = (ctx: RequestContext, input: ListInput) => listRecords(ctx, ACTIVITY_LIST, input, access(ctx, 'activity:read'));

async function checkLinks(em: Parameters<Parameters<RequestContext['db']['transactional']>[0]>[0], patch: Partial<Activity>): Promise<void> {
  await requireRef(em, Lead, 'Lead', 'leadId', patch.leadId, { softDelete: true });
  await requireRef(em, Deal, 'Deal', 'dealId', patch.dealId, { softDelete: true });
  await requireRef(em, Contact, 'Contact', 'contactId', patch.contactId, { softDelete: true });
  await requireRef(em, Customer, 'Customer', 'customerId', patch.customerId, { softDelete: true });
  await requireRef(em, Employee, 'Employee', 'assignedEmployeeId', patch.assignedEmployeeId);
}

export async function createActivity(ctx: RequestContext, input: Input): Promise<Activity> {
  const a = access(ctx, 'activity:write');
  const data = normalize<Activity>(input, ACTIVITY_FIELDS, true);
  if (!data.type) throw badInput('type', 'type is required');
  if (!data.leadId && !data.dealId && !data.contactId && !data.customerId) throw badInput('leadId', 'Link the activity to a lead, deal, contact or customer');
  return ctx.db.transactional(async (em) => {
    await checkLinks(em, data);
    const activity = em.create(Activity, { ...data, createdBy: a.userId } as Activity);
    await em.flush();
    await recordAudit(ctx, em, { action: 'crm.activity.create', resourceType: 'Activity', resourceId: activity.id, changes: created(activity, Object.keys(data)) });
    return activity;
  });
}

export async function updateActivity(ctx: RequestContext, id: string, input: Input & { completed?: boolean | null }): Promise<Activity> {
  const a = access(ctx, 'activity:write');
  const patch = normalize<Activity>(input, ACTIVITY_FIELDS, false);
  return ctx.db.transactional(async (em) => {
    const activity = await loadForWrite(em, Activity, 'Activity', id, a);
    await checkLinks(em, patch);
    if (input.completed === true && !activity.completedAt) patch.completedAt = new Date();
    if (input.completed === false) patch.completedAt = null;
    const diff = applyPatch(activity, patch);
    await em.flush();
    if (Object.keys(diff).length) await recordAudit(ctx, em, { action: 'crm.activity.update', resourceType: 'Activity', resourceId: id, changes: diff });
    return activity;
  });
}

export async function deleteActivity(ctx: RequestContext, id: string): Promise<boolean> {
  const a = access(ctx, 'activity:delete');
  return ctx.db.transactional(async (em) => {
    const activity = await loadForWrite(em, Activity, 'Activity', id, a);
    await em.remove(activity).flush();
    await recordAudit(ctx, em, { action: 'crm.activity.delete', resourceType: 'Activity', resourceId: id, changes: { subject: activity.subject, type: activity.type } });
    return true;
  });
}
