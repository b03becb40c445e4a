import { NotificationResolver } from './notification.resolver';

export { notificationsRules } from './notifications.rules';
export const notificationsResolvers = [NotificationResolver] as const;
