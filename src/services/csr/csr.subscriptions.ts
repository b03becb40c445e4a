/**
 * Live CSR events for subscribers of the organization. The WebSocket layer re-checks the
 * subscriber's permissions (shield) before each event; here a subscriber with `own` scope also
 * gets only the events of their partner's projects, checked against the partner link as it is
 * when the event arrives (a fresh context per check, closed at once).
 */
import type { RequestContext } from '../../core/context/request-context';
import { refreshContext, requireViewer } from '../../core/context/request-context';
import { scopeOf } from '../../core/access/permissions';
import { filterEvents, subscribeTo } from '../../core/pubsub';
import { Project } from '../../entities/csr/project.entity';
import { ExpenseApproved, MilestoneUpdated, type ExpenseApprovedEvent, type MilestoneUpdatedEvent } from './csr.events';
import { viewerPartnerIds } from './csr.scope';

async function inOwnScope(ctx: RequestContext, projectId: string, partnerId: string | null | undefined): Promise<boolean> {
  const check = refreshContext(ctx, requireViewer(ctx));
  try {
    const partners = await viewerPartnerIds(check);
    const current = partnerId === undefined ? (await check.loaders.byId<Project>(Project, projectId))?.partnerId : partnerId;
    return current != null && partners.includes(current);
  } finally {
    await check.db.finish(true);
  }
}

/** Milestone changes, optionally of one project; `own` subscribers see their partner's projects only. */
export function subscribeMilestoneUpdated(ctx: RequestContext, projectId?: string | null): AsyncIterableIterator<MilestoneUpdatedEvent> {
  const viewer = requireViewer(ctx);
  const own = scopeOf(viewer.permissions, 'milestone:read') === 'own';
  const source = subscribeTo(ctx, MilestoneUpdated, (e) => !projectId || e.projectId === projectId);
  return own ? filterEvents(source, (e) => inOwnScope(ctx, e.projectId, e.partnerId)) : source;
}

/** Approved expenses (expense:read, checked by shield), optionally of one project. */
export function subscribeExpenseApproved(ctx: RequestContext, projectId?: string | null): AsyncIterableIterator<ExpenseApprovedEvent> {
  requireViewer(ctx);
  return subscribeTo(ctx, ExpenseApproved, (e) => !projectId || e.projectId === projectId);
}
