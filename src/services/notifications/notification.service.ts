/**
 * Notifications: written in the caller's transaction (so they exist only if what they announce
 * committed), published to the recipient's organization after commit, read and marked read by
 * their recipient only.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../core/context/request-context';
import { requireTenant, requireViewer } from '../../core/context/request-context';
import { notFound } from '../../core/errors';
import { isUuid } from '../../core/ids';
import { recordAudit } from '../audit';
import { buildConnection } from '../../core/orm/connection';
import { TENANT_FILTER, type TenantFilterParams } from '../../core/orm/base-entities';
import { defineEvent, publishAfterCommit, subscribeTo } from '../../core/pubsub';
import { Notification } from '../../entities/notifications/notification.entity';

/** What travels on the `notificationAdded` topic (JSON: timestamps as ISO strings). */
export interface NotificationEvent {
  id: string;
  organizationId: string;
  userId: string;
  type: string;
  title: string;
  body: string | null;
  data: Record<string, unknown> | null;
  createdAt: string;
  updatedAt: string;
}

export const NotificationAdded = defineEvent<NotificationEvent>('notificationAdded');

export interface NotifyInput {
  userId: string;
  /** Machine-readable kind, e.g. `password_changed`. */
  type: string;
  title: string;
  body?: string | null;
  data?: Record<string, unknown> | null;
}


/**
 * Notifies `userId` in the organization `em` acts in (the caller's, or the one of
 * `ctx.db.asTenant`). Written in `em`'s transaction; delivered to subscribers after commit.
 */
export async function notify(ctx: RequestContext, em: EntityManager, input: NotifyInput): Promise<Notification> {
  const organizationId = em.getFilterParams<TenantFilterParams>(TENANT_FILTER)?.organizationId;
  if (!organizationId) throw new Error('notify needs an organization: call it inside the tenant the user belongs to');
  const notification = em.create(Notification, {
    organizationId,
    userId: input.userId,
    type: input.type,
    title: input.title,
    body: input.body ?? null,
    data: input.data ?? null,
    readAt: null,
  } as Notification);
  await em.flush();
  publishAfterCommit(ctx, NotificationAdded, organizationId, {
    id: notification.id,
    organizationId,
    userId: notification.userId,
    type: notification.type,
    title: notification.title,
    body: notification.body ?? null,
    data: notification.data ?? null,
    createdAt: notification.createdAt.toISOString(),
    updatedAt: notification.updatedAt.toISOString(),
  });
  return notification;
}

/** The shape the API returns, from an event payload. */
export function notificationFromEvent(event: NotificationEvent): Notification {
  return { ...event, readAt: null, createdAt: new Date(event.createdAt), updatedAt: new Date(event.updatedAt) } as Notification;
}

export interface ListNotifications {
  unread?: boolean | null;
  first?: number | null;
  after?: string | null;
  /** The properties the client's selection needs (the page reads only those columns). */
  select?: Iterable<string>;
}

/** The caller's own notifications in the current organization, newest first. */
export function listNotifications(ctx: RequestContext, args: ListNotifications) {
  const viewer = requireViewer(ctx);
  requireTenant(ctx);
  return buildConnection<Notification>(ctx.db, Notification, {
    orderBy: [{ field: 'createdAt', direction: 'DESC' }],
    first: args.first,
    after: args.after,
    select: args.select,
    where: (qb) => {
      qb.where('user_id', viewer.userId);
      if (args.unread === true) qb.whereNull('read_at');
      if (args.unread === false) qb.whereNotNull('read_at');
    },
  });
}

/** Marks one of the caller's notifications read (idempotent); someone else's is NOT_FOUND. */
export async function markNotificationRead(ctx: RequestContext, id: string): Promise<Notification> {
  const viewer = requireViewer(ctx);
  requireTenant(ctx);
  if (!isUuid(id)) throw notFound('Notification', 'id');
  return ctx.db.transactional(async (em) => {
    const notification = await em.findOne(Notification, { id, userId: viewer.userId });
    if (!notification) throw notFound('Notification', 'id');
    if (!notification.readAt) {
      notification.readAt = new Date();
      await em.flush();
      await recordAudit(ctx, em, { action: 'notification.read', resourceType: 'Notification', resourceId: id });
    }
    return notification;
  });
}

/** Marks every unread notification of the caller read; returns how many changed. */
export async function markAllNotificationsRead(ctx: RequestContext): Promise<number> {
  const viewer = requireViewer(ctx);
  const organizationId = requireTenant(ctx);
  return ctx.db.transactional(async (em) => {
    const count = await em.nativeUpdate(
      Notification,
      { organizationId, userId: viewer.userId, readAt: null },
      { readAt: new Date(), updatedAt: new Date() },
    );
    if (count > 0) await recordAudit(ctx, em, { action: 'notification.read_all', resourceType: 'Notification', changes: { count } });
    return count;
  });
}

/** Live stream of the caller's own new notifications in the current organization. */
export function subscribeNotificationAdded(ctx: RequestContext): AsyncIterableIterator<NotificationEvent> {
  return subscribeTo(ctx, NotificationAdded, (event, viewer) => event.userId === viewer.userId);
}
