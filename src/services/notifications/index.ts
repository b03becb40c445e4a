export {
  notify,
  listNotifications,
  markNotificationRead,
  markAllNotificationsRead,
  subscribeNotificationAdded,
  notificationFromEvent,
  NotificationAdded,
} from './notification.service';
export type { NotifyInput, NotificationEvent, ListNotifications } from './notification.service';
