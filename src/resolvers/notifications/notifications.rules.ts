import { isAuthenticated, type RuleMap } from '../../schema/rules';

// A user's own notifications: no permission beyond being signed in (services scope to the user and organization).
export const notificationsRules: RuleMap = {
  Query: { notifications: isAuthenticated },
  Mutation: { markNotificationRead: isAuthenticated, markAllNotificationsRead: isAuthenticated },
  Subscription: { notificationAdded: isAuthenticated },
};
