import { Entity, Enum, ManyToOne, Property } from '@mikro-orm/core';
import { BaseEntity } from '../../core/orm/base-entities';

export enum UserTokenPurpose {
  PASSWORD_RESET = 'password_reset',
  EMAIL_VERIFICATION = 'email_verification',
}

/** Single-use, expiring token sent by email (password reset, email verification); stored hashed. */
@Entity({ tableName: 'identity_user_token' })
export class UserToken extends BaseEntity {
  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'user_id', deleteRule: 'cascade', index: true })
  userId!: string;

  @Enum({ items: () => UserTokenPurpose, nativeEnumName: 'user_token_purpose' })
  purpose!: UserTokenPurpose;

  @Property({ type: 'text', unique: true })
  tokenHash!: string;

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  usedAt?: Date | null;
}
