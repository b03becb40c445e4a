import { Entity, Enum, Index, Property } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../core/orm/base-entities';

export enum UserStatus {
  ACTIVE = 'active',
  INACTIVE = 'inactive',
  SUSPENDED = 'suspended',
  PENDING = 'pending',
}
registerEnumType(UserStatus, { name: 'UserStatus' });

/** A person who can sign in. Platform-level: a user may belong to several organizations. */
@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'identity_user' })
export class User extends BaseEntity {
  @Field()
  @Index({ name: 'identity_user_email_unique', expression: 'create unique index identity_user_email_unique on identity_user (lower(email))' })
  @Property({ type: 'text' })
  email!: string;

  @Property({ type: 'text', hidden: true })
  passwordHash!: string;

  @Field()
  @Property({ type: 'text' })
  firstName!: string;

  @Field()
  @Property({ type: 'text' })
  lastName!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  phone?: string | null;

  @Field(() => UserStatus)
  @Enum({ items: () => UserStatus, nativeEnumName: 'user_status' })
  status: UserStatus = UserStatus.ACTIVE;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  emailVerifiedAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  lastLoginAt?: Date | null;

  @Property({ type: 'integer' })
  failedLoginAttempts: number = 0;

  @Property({ type: 'timestamptz', nullable: true })
  lockedUntil?: Date | null;

  @Property({ type: 'timestamptz' })
  passwordChangedAt: Date = new Date();

  /** Hashes of the previous passwords, newest first (the policy forbids reusing the last 5). */
  @Property({ type: 'jsonb', hidden: true })
  passwordHistory: string[] = [];

  /** Sign-in needs a TOTP code (or a recovery code) after the password. */
  @Field()
  @Property({ type: 'boolean', default: false })
  mfaEnabled: boolean = false;

  /** The TOTP secret, sealed with the SecretBox (AES-256-GCM), never in clear text. */
  @Property({ type: 'text', nullable: true, hidden: true })
  mfaSecret?: string | null;

  /** A secret being enrolled (sealed like mfaSecret) until confirmMfa proves the app has it. */
  @Property({ type: 'text', nullable: true, hidden: true })
  mfaPendingSecret?: string | null;

  /** The last TOTP time step accepted: a code is refused unless its step is later (no replay). */
  @Property({ type: 'integer', nullable: true, hidden: true })
  mfaLastUsedStep?: number | null;

  /** SHA-256 of the unused recovery codes; each one is removed when used. */
  @Property({ type: 'jsonb', hidden: true, default: '[]' })
  mfaRecoveryCodeHashes: string[] = [];

  /** Platform operator: manages organizations, outside any tenant. */
  @Field()
  @Property({ type: 'boolean' })
  isPlatformOperator: boolean = false;

  /** The organization a login without an organization slug signs in to. */
  @Property({ type: 'uuid', nullable: true })
  lastOrganizationId?: string | null;
}
