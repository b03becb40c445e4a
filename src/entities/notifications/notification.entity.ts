import { Entity, Index, ManyToOne, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { TenantEntity } from '../../core/orm/base-entities';

/** Something that happened to one user in one organization (password changed, signed out by an admin…). */
@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'notifications_notification' })
@Index({ name: 'notifications_notification_recipient_idx', properties: ['organizationId', 'userId', 'createdAt'] })
export class Notification extends TenantEntity {
  /** The recipient; only they can read it. */
  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'user_id', deleteRule: 'cascade' })
  userId!: string;

  @Field({ description: 'What happened, e.g. `password_changed`, `sessions_revoked`, `invitation_accepted`' })
  @Property({ type: 'text' })
  type!: string;

  @Field()
  @Property({ type: 'text' })
  title!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  body?: string | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Details for the client (ids, links)' })
  @Property({ type: 'jsonb', nullable: true })
  data?: Record<string, unknown> | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  readAt?: Date | null;
}
