import { Entity, Enum, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { TenantEntity } from '../../core/orm/base-entities';

export enum MembershipStatus {
  ACTIVE = 'active',
  SUSPENDED = 'suspended',
}
registerEnumType(MembershipStatus, { name: 'MembershipStatus' });

/** A user's place in an organization; the roles it holds are RoleAssignments. */
@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'tenancy_membership' })
@Unique({ properties: ['organizationId', 'userId'] })
export class Membership extends TenantEntity {
  @Field()
  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'user_id', deleteRule: 'cascade', index: true })
  userId!: string;

  @Field(() => MembershipStatus)
  @Enum({ items: () => MembershipStatus, nativeEnumName: 'membership_status' })
  status: MembershipStatus = MembershipStatus.ACTIVE;

  /**
   * Renewed by the database whenever the membership's grants may have changed (triggers on role
   * assignments and role permissions, Migration20261121070000GrantsVersion); never written here.
   */
  @Property({ type: 'bigint', hidden: true, lazy: true, default: 0 })
  grantsVersion?: string;
}
