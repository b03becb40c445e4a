/**
 * Working exceptions: assign, comment, resolve (with a reason), escalate, ignore, in bulk too.
 * Resolving an exception whose amount is above the organization's threshold
 * (settings.reconciliation.resolutionApprovalAmount, default 100000) raises an
 * exception_resolution approval instead: it is resolved when another member approves.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import Decimal from 'decimal.js';
import type { RequestContext } from '../../core/context/request-context';
import { requireTenant, requireViewer } from '../../core/context/request-context';
import { badInput, DomainError, notFound } from '../../core/errors';
import { assertId } from '../../core/ids';
import { buildConnection, type ListArgs } from '../../core/orm/connection';
import type { Approval } from '../../entities/recon/approval.entity';
import { ApprovalType, ExceptionStatus } from '../../entities/recon/enums';
import { ReconciliationException } from '../../entities/recon/reconciliation-exception.entity';
import { recordAudit } from '../audit';
import { currentOrganization } from '../tenancy';
import { onApprovalDecision, requestApproval } from './approval.service';

export const DEFAULT_RESOLUTION_APPROVAL_AMOUNT = '100000';
const FINAL = new Set([ExceptionStatus.RESOLVED, ExceptionStatus.IGNORED]);
const MAX_BULK = 500;

/** Amount above which resolving needs an approval (organization setting reconciliation.resolutionApprovalAmount). */
export async function resolutionApprovalAmount(ctx: RequestContext): Promise<Decimal> {
  const org = await currentOrganization(ctx);
  const recon = (org.settings as { reconciliation?: { resolutionApprovalAmount?: unknown } }).reconciliation;
  try {
    const value = new Decimal(String(recon?.resolutionApprovalAmount ?? DEFAULT_RESOLUTION_APPROVAL_AMOUNT));
    return value.isFinite() && value.gte(0) ? value : new Decimal(DEFAULT_RESOLUTION_APPROVAL_AMOUNT);
  } catch {
    return new Decimal(DEFAULT_RESOLUTION_APPROVAL_AMOUNT);
  }
}

export async function getException(ctx: RequestContext, id: string): Promise<ReconciliationException> {
  requireTenant(ctx);
  const e = await ctx.loaders.byId<ReconciliationException>(ReconciliationException, assertId('id', id));
  if (!e) throw notFound('ReconciliationException', 'id');
  return e;
}

export function listExceptions(ctx: RequestContext, args: ListArgs) {
  requireTenant(ctx);
  return buildConnection<ReconciliationException>(ctx.db, ReconciliationException, {
    filter: args.filter,
    orderBy: args.orderBy ?? [{ field: 'createdAt', direction: 'DESC' }],
    first: args.first,
    after: args.after,
  });
}

function text(field: string, value: string | null | undefined, required: boolean): string | null {
  const s = value?.trim();
  if (!s) {
    if (required) throw badInput(field, `${field} must not be blank`);
    return null;
  }
  if (s.length > 2000) throw badInput(field, `${field} must be at most 2000 characters`);
  return s;
}

async function assertMember(em: EntityManager, userId: string): Promise<void> {
  const [member] = await em.execute<{ id: string }[]>(`select id from tenancy_membership where user_id = ? and status = 'active' limit 1`, [userId]);
  if (!member) throw badInput('userId', 'The assignee is not an active member of this organization');
}

async function load(em: EntityManager, id: string): Promise<ReconciliationException> {
  const e = await em.findOne(ReconciliationException, { id }, { lockMode: 4 });
  if (!e) throw notFound('ReconciliationException', 'id');
  return e;
}

function assertOpen(e: ReconciliationException): void {
  if (FINAL.has(e.status)) throw new DomainError('CONFLICT', `The exception is ${e.status} already`, { field: 'id' });
  if (e.approvalId) throw new DomainError('CONFLICT', 'A resolution of this exception is awaiting approval', { field: 'id', approvalId: e.approvalId });
}

export async function assignException(ctx: RequestContext, id: string, userId: string | null): Promise<ReconciliationException> {
  requireTenant(ctx);
  assertId('id', id);
  if (userId) assertId('userId', userId);
  return ctx.db.transactional(async (em) => {
    const e = await load(em, id);
    assertOpen(e);
    if (userId) await assertMember(em, userId);
    const before = e.assignedTo ?? null;
    e.assignedTo = userId;
    if (userId && e.status === ExceptionStatus.OPEN) e.status = ExceptionStatus.IN_PROGRESS;
    await em.flush();
    await recordAudit(ctx, em, { action: 'recon.exception.assign', resourceType: 'ReconciliationException', resourceId: id, changes: { assignedTo: [before, userId] } });
    return e;
  });
}

export async function commentOnException(ctx: RequestContext, id: string, body: string): Promise<ReconciliationException> {
  requireTenant(ctx);
  const viewer = requireViewer(ctx);
  assertId('id', id);
  const comment = text('body', body, true)!;
  return ctx.db.transactional(async (em) => {
    const e = await load(em, id);
    e.comments = [...e.comments, { userId: viewer.userId, body: comment, createdAt: new Date() }];
    await em.flush();
    await recordAudit(ctx, em, { action: 'recon.exception.comment', resourceType: 'ReconciliationException', resourceId: id, changes: { comment } });
    return e;
  });
}

async function setStatus(ctx: RequestContext, id: string, status: ExceptionStatus.ESCALATED | ExceptionStatus.IGNORED, reason: string | null): Promise<ReconciliationException> {
  requireTenant(ctx);
  const viewer = requireViewer(ctx);
  assertId('id', id);
  return ctx.db.transactional(async (em) => {
    const e = await load(em, id);
    assertOpen(e);
    if (e.status === status) throw new DomainError('CONFLICT', `The exception is ${status} already`, { field: 'id' });
    const before = e.status;
    e.status = status;
    if (status === ExceptionStatus.IGNORED) {
      e.resolutionReason = reason;
      e.resolvedBy = viewer.userId;
      e.resolvedAt = new Date();
    }
    if (reason) e.comments = [...e.comments, { userId: viewer.userId, body: reason, createdAt: new Date() }];
    await em.flush();
    await recordAudit(ctx, em, { action: `recon.exception.${status === ExceptionStatus.ESCALATED ? 'escalate' : 'ignore'}`, resourceType: 'ReconciliationException', resourceId: id, changes: { status: [before, status], reason } });
    return e;
  });
}

export const escalateException = (ctx: RequestContext, id: string, comment?: string | null) => setStatus(ctx, id, ExceptionStatus.ESCALATED, text('comment', comment, false));
export const ignoreException = (ctx: RequestContext, id: string, reason: string) => setStatus(ctx, id, ExceptionStatus.IGNORED, text('reason', reason, true));

function applyResolution(e: ReconciliationException, userId: string | null, reason: string): void {
  e.status = ExceptionStatus.RESOLVED;
  e.resolutionReason = reason;
  e.resolvedBy = userId;
  e.resolvedAt = new Date();
  e.approvalId = null;
}

async function resolveIn(ctx: RequestContext, em: EntityManager, e: ReconciliationException, reason: string, threshold: Decimal): Promise<'resolved' | 'pending_approval'> {
  const viewer = requireViewer(ctx);
  assertOpen(e);
  if (new Decimal(e.amount).abs().gt(threshold)) {
    const approval = await requestApproval(ctx, em, {
      type: ApprovalType.EXCEPTION_RESOLUTION,
      title: `Resolve ${e.type} exception of ${e.amount}${e.currency ? ` ${e.currency}` : ''}`,
      resourceType: 'ReconciliationException',
      resourceId: e.id,
      payload: { reason, amount: e.amount, threshold: threshold.toString() },
    });
    e.approvalId = approval.id;
    if (e.status === ExceptionStatus.OPEN) e.status = ExceptionStatus.IN_PROGRESS;
    await em.flush();
    await recordAudit(ctx, em, { action: 'recon.exception.resolve_requested', resourceType: 'ReconciliationException', resourceId: e.id, changes: { reason, approvalId: approval.id } });
    return 'pending_approval';
  }
  const before = e.status;
  applyResolution(e, viewer.userId, reason);
  await em.flush();
  await recordAudit(ctx, em, { action: 'recon.exception.resolve', resourceType: 'ReconciliationException', resourceId: e.id, changes: { status: [before, e.status], reason } });
  return 'resolved';
}

/** Resolves (or, above the threshold, requests approval to resolve) an exception. */
export async function resolveException(ctx: RequestContext, id: string, reason: string): Promise<ReconciliationException> {
  requireTenant(ctx);
  assertId('id', id);
  const why = text('reason', reason, true)!;
  const threshold = await resolutionApprovalAmount(ctx);
  return ctx.db.transactional(async (em) => {
    const e = await load(em, id);
    await resolveIn(ctx, em, e, why, threshold);
    return e;
  });
}

onApprovalDecision(ApprovalType.EXCEPTION_RESOLUTION, async (ctx, em, approval: Approval, decision) => {
  if (!approval.resourceId) return;
  const e = await em.findOne(ReconciliationException, { id: approval.resourceId }, { lockMode: 4 });
  if (!e || e.approvalId !== approval.id) return;
  if (decision === 'approved') {
    applyResolution(e, approval.requestedBy ?? null, String(approval.payload.reason ?? ''));
  } else {
    e.approvalId = null;
  }
  await em.flush();
  await recordAudit(ctx, em, {
    action: decision === 'approved' ? 'recon.exception.resolve' : 'recon.exception.resolution_declined',
    resourceType: 'ReconciliationException',
    resourceId: e.id,
    changes: { approvalId: approval.id, status: e.status },
  });
});

function bulkIds(ids: string[]): string[] {
  if (!ids.length || ids.length > MAX_BULK) throw badInput('ids', `ids must hold 1 to ${MAX_BULK} ids`);
  return [...new Set(ids.map((id) => assertId('ids', id)))];
}

export interface BulkOutcome {
  updated: number;
  pendingApproval: number;
}

/** Assigns many open exceptions at once (one statement); every id must be an open exception of the organization. */
export async function bulkAssignExceptions(ctx: RequestContext, ids: string[], userId: string | null): Promise<BulkOutcome> {
  requireTenant(ctx);
  const list = bulkIds(ids);
  if (userId) assertId('userId', userId);
  return ctx.db.transactional(async (em) => {
    if (userId) await assertMember(em, userId);
    const visible = await em.execute<{ id: string }[]>('select id from recon_exception where id = any(?::uuid[])', [`{${list.join(',')}}`]);
    if (visible.length !== list.length) throw notFound('ReconciliationException', 'ids');
    const rows = await em.execute<{ id: string }[]>(
      `update recon_exception set assigned_to_id = ?, status = case when ?::uuid is not null and status = 'open' then 'in_progress'::recon_exception_status else status end,
              updated_at = now()
        where id = any(?::uuid[]) and status not in ('resolved', 'ignored') and approval_id is null returning id`,
      [userId, userId, `{${list.join(',')}}`],
    );
    if (rows.length !== list.length) throw new DomainError('CONFLICT', `${list.length - rows.length} of the exceptions are closed or awaiting approval; nothing was assigned`, { field: 'ids' });
    await recordAudit(ctx, em, { action: 'recon.exception.bulk_assign', resourceType: 'ReconciliationException', changes: { ids: list, assignedTo: userId } });
    return { updated: rows.length, pendingApproval: 0 };
  });
}

/** Resolves many exceptions with one reason; those above the threshold get an approval request each. */
export async function bulkResolveExceptions(ctx: RequestContext, ids: string[], reason: string): Promise<BulkOutcome> {
  requireTenant(ctx);
  const list = bulkIds(ids);
  const why = text('reason', reason, true)!;
  const threshold = await resolutionApprovalAmount(ctx);
  return ctx.db.transactional(async (em) => {
    const found = await em.find(ReconciliationException, { id: { $in: list } }, { lockMode: 4 });
    if (found.length !== list.length) throw notFound('ReconciliationException', 'ids');
    let updated = 0;
    let pendingApproval = 0;
    for (const e of found) {
      if ((await resolveIn(ctx, em, e, why, threshold)) === 'resolved') updated++;
      else pendingApproval++;
    }
    return { updated, pendingApproval };
  });
}

export interface AgingBucket {
  bucket: string;
  count: number;
  amount: string;
}

/** Open (not resolved or ignored) exceptions by age of their transaction: 0-1, 2-7, 8-30, >30 days. */
export async function exceptionAging(ctx: RequestContext, jobId?: string | null): Promise<AgingBucket[]> {
  requireTenant(ctx);
  if (jobId) assertId('jobId', jobId);
  await ctx.db.trx();
  const rows = await ctx.db.em.execute<{ bucket: string; count: string; amount: string }[]>(
    `with aged as (
       select amount, current_date - coalesce(transaction_date, created_at::date) as age
         from recon_exception where status not in ('resolved', 'ignored') and (?::uuid is null or job_id = ?::uuid))
     select b.bucket, count(a.age) as count, coalesce(sum(abs(a.amount)), 0) as amount
       from (values ('0-1', 1, -100000, 1), ('2-7', 2, 2, 7), ('8-30', 3, 8, 30), ('>30', 4, 31, 100000)) as b(bucket, ord, lo, hi)
       left join aged a on a.age between b.lo and b.hi
      group by b.bucket, b.ord order by b.ord`,
    [jobId ?? null, jobId ?? null],
  );
  return rows.map((r) => ({ bucket: r.bucket, count: Number(r.count), amount: new Decimal(r.amount).toFixed(2) }));
}
