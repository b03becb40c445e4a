import { Arg, Args, Ctx, ID, Int, Mutation, Query, Resolver, Subscription } from 'type-graphql';
import type { RequestContext } from '../../core/context/request-context';
import { Notification } from '../../entities/notifications/notification.entity';
import * as notifications from '../../services/notifications';
import type { NotificationEvent } from '../../services/notifications';
import { NotificationConnection, NotificationsArgs } from './notifications.types';
import { Parent } from '../../schema/common';
import { SelectedNodes, type FieldSelection } from '../../schema/selection';

@Resolver()
export class NotificationResolver {
  @Query(() => NotificationConnection, { description: 'The signed-in user’s notifications in this organization, newest first' })
  notifications(@Args() args: NotificationsArgs, @SelectedNodes(Notification) select: FieldSelection, @Ctx() ctx: RequestContext) {
    return notifications.listNotifications(ctx, { unread: args.filter?.unread, first: args.first, after: args.after, select });
  }

  @Mutation(() => Notification, { description: 'Marks one of the signed-in user’s notifications read' })
  markNotificationRead(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Notification> {
    return notifications.markNotificationRead(ctx, id);
  }

  @Mutation(() => Int, { description: 'Marks every unread notification read; returns how many changed' })
  markAllNotificationsRead(@Ctx() ctx: RequestContext): Promise<number> {
    return notifications.markAllNotificationsRead(ctx);
  }

  @Subscription(() => Notification, {
    description: 'The signed-in user’s new notifications in this organization, as they are created',
    subscribe: ({ context }) => notifications.subscribeNotificationAdded(context as RequestContext),
  })
  notificationAdded(@Parent() event: NotificationEvent): Notification {
    return notifications.notificationFromEvent(event);
  }
}
