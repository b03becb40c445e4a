/**
 * Maker-checker approvals. A service raises a request inside its own transaction
 * (requestApproval); a different member with approval:approve approves or declines it, which
 * applies (or drops) the change through the handler of the request's type. The requester can
 * never decide their own request: FORBIDDEN with extensions.reason SELF_APPROVAL.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../core/context/request-context';
import { requireTenant, requireViewer } from '../../core/context/request-context';
import { badInput, DomainError, notFound } from '../../core/errors';
import { assertId } from '../../core/ids';
import { buildConnection, type ListArgs } from '../../core/orm/connection';
import { Approval } from '../../entities/recon/approval.entity';
import { ApprovalStatus, ApprovalType } from '../../entities/recon/enums';
import { recordAudit } from '../audit';

export interface NewApproval {
  type: ApprovalType;
  title: string;
  resourceType: string;
  resourceId: string | null;
  payload: Record<string, unknown>;
}

/** Applies an approved request, or undoes the effects of a declined one, in the decision's transaction. */
export type ApprovalHandler = (ctx: RequestContext, em: EntityManager, approval: Approval, decision: 'approved' | 'declined') => Promise<void>;

const handlers = new Map<ApprovalType, ApprovalHandler>();
export function onApprovalDecision(type: ApprovalType, handler: ApprovalHandler): void {
  handlers.set(type, handler);
}

/** Raises a pending request in `em`'s transaction (the caller's mutation). */
export async function requestApproval(ctx: RequestContext, em: EntityManager, input: NewApproval): Promise<Approval> {
  const viewer = requireViewer(ctx);
  const approval = em.create(Approval, {
    type: input.type,
    title: input.title.slice(0, 255),
    resourceType: input.resourceType,
    resourceId: input.resourceId,
    payload: input.payload,
    status: ApprovalStatus.PENDING,
    requestedBy: viewer.userId,
    comments: [],
  } as unknown as Approval);
  await em.flush();
  await recordAudit(ctx, em, {
    action: 'recon.approval.request',
    resourceType: 'Approval',
    resourceId: approval.id,
    changes: { type: input.type, resourceType: input.resourceType, resourceId: input.resourceId, payload: input.payload },
  });
  return approval;
}

export async function getApproval(ctx: RequestContext, id: string): Promise<Approval> {
  requireTenant(ctx);
  const approval = await ctx.loaders.byId<Approval>(Approval, assertId('id', id));
  if (!approval) throw notFound('Approval', 'id');
  return approval;
}

export function listApprovals(ctx: RequestContext, args: ListArgs) {
  requireTenant(ctx);
  return buildConnection<Approval>(ctx.db, Approval, {
    filter: args.filter,
    orderBy: args.orderBy ?? [{ field: 'createdAt', direction: 'DESC' }],
    first: args.first,
    after: args.after,
  });
}

function cleanComment(comment: string | null | undefined, field = 'comment'): string | null {
  const body = comment?.trim();
  if (!body) return null;
  if (body.length > 2000) throw badInput(field, `${field} must be at most 2000 characters`);
  return body;
}

async function decide(ctx: RequestContext, id: string, decision: 'approved' | 'declined', comment: string | null | undefined): Promise<Approval> {
  requireTenant(ctx);
  const viewer = requireViewer(ctx);
  assertId('id', id);
  const body = cleanComment(comment);
  return ctx.db.transactional(async (em) => {
    // Locked: two checkers deciding at once decide once.
    const approval = await em.findOne(Approval, { id }, { lockMode: 4 });
    if (!approval) throw notFound('Approval', 'id');
    if (approval.requestedBy === viewer.userId) {
      throw new DomainError('FORBIDDEN', 'You cannot approve or decline your own request: another member with approval rights must decide it', {
        field: 'id',
        reason: 'SELF_APPROVAL',
      });
    }
    if (approval.status !== ApprovalStatus.PENDING) throw new DomainError('CONFLICT', `The request was ${approval.status} already`, { field: 'id' });
    approval.status = decision === 'approved' ? ApprovalStatus.APPROVED : ApprovalStatus.DECLINED;
    approval.decidedBy = viewer.userId;
    approval.decidedAt = new Date();
    if (body) approval.comments = [...approval.comments, { userId: viewer.userId, body, createdAt: new Date() }];
    await handlers.get(approval.type)?.(ctx, em, approval, decision);
    await em.flush();
    await recordAudit(ctx, em, {
      action: decision === 'approved' ? 'recon.approval.approve' : 'recon.approval.decline',
      resourceType: 'Approval',
      resourceId: id,
      changes: { status: approval.status, comment: body, type: approval.type, resourceId: approval.resourceId },
    });
    return approval;
  });
}

export const approveRequest = (ctx: RequestContext, id: string, comment?: string | null) => decide(ctx, id, 'approved', comment);
export const declineRequest = (ctx: RequestContext, id: string, comment?: string | null) => decide(ctx, id, 'declined', comment);

/** Adds a comment to a request (any status). */
export async function commentOnApproval(ctx: RequestContext, id: string, comment: string): Promise<Approval> {
  requireTenant(ctx);
  const viewer = requireViewer(ctx);
  assertId('id', id);
  const body = cleanComment(comment);
  if (!body) throw badInput('comment', 'comment must not be blank');
  return ctx.db.transactional(async (em) => {
    const approval = await em.findOne(Approval, { id }, { lockMode: 4 });
    if (!approval) throw notFound('Approval', 'id');
    approval.comments = [...approval.comments, { userId: viewer.userId, body, createdAt: new Date() }];
    await em.flush();
    await recordAudit(ctx, em, { action: 'recon.approval.comment', resourceType: 'Approval', resourceId: id, changes: { comment: body } });
    return approval;
  });
}
