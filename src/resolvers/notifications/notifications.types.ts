import { ArgsType, Field, InputType } from 'type-graphql';
import { Notification } from '../../entities/notifications/notification.entity';
import { Connection, PageArgs } from '../../schema/common';

export const NotificationConnection = Connection(Notification);

@InputType()
export class NotificationFilter {
  @Field({ nullable: true, description: 'true: unread only; false: read only' }) unread?: boolean;
}

@ArgsType()
export class NotificationsArgs extends PageArgs {
  @Field(() => NotificationFilter, { nullable: true }) filter?: NotificationFilter;
}
