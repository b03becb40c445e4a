import { Entity, ManyToOne, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../core/orm/base-entities';

/**
 * One signed-in device. Its refresh tokens form one rotation family: replaying a rotated token
 * revokes the session. Access tokens carry the session id, so revocation takes effect at once.
 */
@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'identity_session' })
export class Session extends BaseEntity {
  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'user_id', deleteRule: 'cascade', index: true })
  userId!: string;

  @Field(() => String, { nullable: true })
  @ManyToOne({ entity: 'Organization', mapToPk: true, fieldName: 'organization_id', nullable: true, deleteRule: 'set null' })
  organizationId?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  ip?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  userAgent?: string | null;

  @Field()
  @Property({ type: 'timestamptz' })
  lastUsedAt: Date = new Date();

  @Field()
  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  revokedAt?: Date | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  revokedReason?: string | null;
}

/** A refresh token, stored as its SHA-256 only. `rotatedAt` set = already exchanged once. */
@Entity({ tableName: 'identity_refresh_token' })
export class RefreshToken extends BaseEntity {
  @ManyToOne({ entity: 'Session', mapToPk: true, fieldName: 'session_id', deleteRule: 'cascade', index: true })
  sessionId!: string;

  @Property({ type: 'text', unique: true })
  tokenHash!: string;

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  rotatedAt?: Date | null;
}
