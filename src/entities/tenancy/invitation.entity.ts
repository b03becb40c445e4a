import { Entity, ManyToOne, Property } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { TenantEntity } from '../../core/orm/base-entities';

/** Derived from the timestamps: accepted and revoked are final; pending turns expired at expiresAt. */
export enum InvitationStatus {
  PENDING = 'pending',
  ACCEPTED = 'accepted',
  REVOKED = 'revoked',
  EXPIRED = 'expired',
}
registerEnumType(InvitationStatus, { name: 'InvitationStatus' });

/** An invitation by email to join an organization with given roles; expiring, single use, token stored hashed. */
@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'tenancy_invitation' })
export class Invitation extends TenantEntity {
  @Field()
  @Property({ type: 'text' })
  email!: string;

  @Field(() => [String])
  @Property({ type: 'uuid[]' })
  roleIds: string[] = [];

  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'invited_by_id', deleteRule: 'set null', nullable: true })
  invitedById?: string | null;

  @Property({ type: 'text', unique: true, hidden: true })
  tokenHash!: string;

  @Field()
  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  acceptedAt?: Date | null;

  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'accepted_by_id', deleteRule: 'set null', nullable: true })
  acceptedById?: string | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  revokedAt?: Date | null;
}
