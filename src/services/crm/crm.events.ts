/**
 * Subscription events of the CRM. Payloads carry who owns the record (creator and the user of
 * the assigned employee) so that subscribers with `own` scope only receive their own records.
 */
import { scopeOf } from '../../core/access/permissions';
import type { RequestContext, Viewer } from '../../core/context/request-context';
import { defineEvent, subscribeTo } from '../../core/pubsub';

export interface Ownership {
  createdBy: string | null;
  assignedUserId: string | null;
}

export interface DealStageChangedEvent extends Ownership {
  dealId: string;
  fromStageId: string;
  toStageId: string;
  probability: number;
  status: string;
  changedBy: string;
  changedAt: string;
}

export interface LeadConvertedEvent extends Ownership {
  leadId: string;
  customerId: string;
  contactId: string;
  dealId: string | null;
  convertedBy: string;
  convertedAt: string;
}

export const DealStageChanged = defineEvent<DealStageChangedEvent>('crm.dealStageChanged');
export const LeadConverted = defineEvent<LeadConvertedEvent>('crm.leadConverted');

/** Whether `viewer` may see a record with this ownership under `permission` (all, or own and theirs). */
export function seesOwned(viewer: Viewer, permission: string, o: Ownership): boolean {
  const scope = scopeOf(viewer.permissions, permission);
  return scope === 'all' || (scope === 'own' && (o.createdBy === viewer.userId || o.assignedUserId === viewer.userId));
}

/** Stage changes of the deals the subscriber may read (optionally one pipeline's). */
export function subscribeDealStageChanged(ctx: RequestContext, dealId?: string | null) {
  return subscribeTo(ctx, DealStageChanged, (e, viewer) => seesOwned(viewer, 'deal:read', e) && (!dealId || e.dealId === dealId));
}

/** Conversions of the leads the subscriber may read. */
export function subscribeLeadConverted(ctx: RequestContext) {
  return subscribeTo(ctx, LeadConverted, (e, viewer) => seesOwned(viewer, 'lead:read', e));
}
